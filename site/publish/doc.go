// Package publish owns the publication policy: which postmortems and
// content pages a build holds, for which audience (Internal or Public),
// with or without drafts. For a public build it makes copies without the
// internal fields (internal_fields) and sections (internal_sections, at
// any heading level), drops from related lists the ids of postmortems the
// build does not publish, and unlinks body links to them (the text stays,
// the href goes). It is the only place that decides what a public build
// holds: every later stage (graph, trends, search, pages, feeds, JSON)
// sees only its copies. It works on the parsed model and never reads the
// files.
package publish
