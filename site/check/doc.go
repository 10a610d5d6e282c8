// Package check owns the rules of `hindsight check` (SPEC §3) and their
// list (Rules); the printers of their results are site/check/report.
//
// A rule is a small type with a stable id (the ids of SPEC §3's table) that
// looks at one parsed postmortem (FileRule) or at the text of any Markdown
// file of the knowledge base (TextRule) and returns diagnostics. Rules that
// need the whole knowledge base (duplicate ids, related ids, link targets)
// read indexes that Run builds once per run in a Context, so every rule is
// linear in the size of the KB and a run over a few selected files still
// sees all the others.
//
// The KB is untrusted input (SPEC §9). Attachments under content/ are
// checked too: unsafe-attachment refuses the types a browser runs script
// from, and secret scans every text attachment and hindsight.yaml. The
// problems that leave a file out of the site (file-encoding, file-size,
// file-unreadable) stay at least warnings whatever the config says (the
// printers in site/check/report escape control characters).
//
// Run applies the config's re-levelling (rules: {id: off|warning|error}),
// --strict, and the <!-- hindsight-ignore RULE --> suppressions, and sorts
// the result.
//
// blame-language reports blame of people, not the words alone: a phrase
// inside double quotes, after a negation or a word of prevention ("not
// human error", "prevent human error"), or said of a thing ("the tests
// failed to catch", "sloppy code") is left alone. The heuristic, over the
// words of the phrase's sentence, is written out on excused in blame.go.
package check
