// Package postmortem owns the model of one postmortem file and its parser:
// front matter (YAML, TOML or JSON) decoded into typed fields, H2 sections
// from goldmark's AST, timeline entries, corrective actions, links and prose
// runs, every one with its 1-based line and column in the file.
//
// Parse does not judge content against the config (required fields,
// enums, vocabularies): that is site/check's job. It reports only what stops
// a value from being read at all: syntax errors, wrong types and unknown
// keys, as diagnostics in Postmortem.Problems.
package postmortem
