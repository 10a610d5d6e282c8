// Package graph owns the cross-links between postmortems: the four
// taxonomies (root causes, affected systems, data involved, ATT&CK
// techniques) built by one mechanism, explicit related links and
// backlinks, "same root cause" / "same system" lists, and recurrences as
// SPEC §4 defines them. It reads the parsed model and never the files.
package graph
