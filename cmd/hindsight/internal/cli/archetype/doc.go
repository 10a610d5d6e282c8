// Package archetype owns the scaffold that `hindsight new` writes: the
// default postmortem template (front matter filled in, every required and
// recommended section with a "TBD: …" placeholder saying what to write),
// the guidance for the sections hindsight knows, and the execution of the
// template, the default one or a KB's
// themes/<theme>/archetypes/postmortem.md.
package archetype
