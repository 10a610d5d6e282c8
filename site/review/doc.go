// Package review owns what a reviewer needs to know about the postmortems
// a pull request adds or changes (`hindsight review`, issue #16): for each
// changed file, its check diagnostics; the earlier incident it recurs
// (SPEC §4's rule, from site/graph) and whether a corrective action of
// that incident was done before it started; its most similar incidents
// (site/similar's model, with the shared causes, systems and distinctive
// words that made them similar) and which of them its related: list does
// not name yet; the causes and systems it uses that the vocabulary does
// not know or no other postmortem uses, with the closest existing slug;
// and its context: the incidents of the last twelve months that share its
// causes and systems, and the open and overdue actions on its systems.
//
// Stream loads the knowledge base once, as `hindsight check` does: each
// postmortem is checked (only the selected ones) and its words counted
// for similar incidents as soon as its body is parsed, and its text is
// then freed; Finish builds the graph and the similarity model from what
// is left and returns a Report, plain data with no formatting. It never
// builds the site. With Options.CacheRoot, the word counts of every
// published postmortem are kept in CacheFile by the hash of its file
// (cache.go: the format and its checked decoding; cacheuse.go: its use
// during a review): the bodies of the files it knows are neither parsed
// nor analysed, and WriteCache updates it. The printers (Markdown for a pull request comment,
// text for a terminal, JSON) are separate and escape every value that
// comes from the knowledge base, which whoever opens the pull request
// controls (SPEC §9).
package review
