// Package check owns the rules of `hindsight check` (SPEC §3) and the
// printers of their results.
//
// A rule is a small type with a stable id (the ids of SPEC §3's table) that
// looks at one parsed postmortem (FileRule) or at the text of any Markdown
// file of the knowledge base (TextRule) and returns diagnostics. Rules that
// need the whole knowledge base (duplicate ids, related ids, link targets)
// read indexes that Run builds once per run in a Context, so every rule is
// linear in the size of the KB and a run over a few selected files still
// sees all the others.
//
// Run applies the config's re-levelling (rules: {id: off|warning|error}),
// --strict, and the <!-- hindsight-ignore RULE --> suppressions, and sorts
// the result. The printers (text, json, github, sarif) are separate types
// behind one Printer interface, as in Vale.
package check
