// Package postmortem owns the model of one postmortem file and its parser:
// front matter (YAML, TOML or JSON) decoded into typed fields, H2 sections
// from goldmark's AST, timeline entries, corrective actions, links and prose
// runs, every one with its 1-based line and column in the file.
//
// Parse does not judge content against the config (required fields,
// enums, vocabularies): that is site/check's job. It reports only what stops
// a value from being read at all: syntax errors, wrong types and unknown
// keys, as diagnostics in Postmortem.Problems.
//
// The parser is one walk over goldmark's tree (body.go, timeline.go) with
// three helpers below it, each owning one thing:
//   - site/postmortem/frontmatter finds the front matter block, decodes it
//     into a positioned tree and reads typed values out of it; the schema
//     (which key fills which field) is here, in frontmatter.go;
//   - site/postmortem/markdown is the goldmark set-up (GFM, footnotes,
//     alerts, safe HTML, highlighting, heading ids and link places), the
//     complexity budget checked before goldmark runs, and the text of
//     nodes;
//   - site/postmortem/timeline reads the times of timeline entries and
//     places them in time, and writes the visual timeline's time markers.
//
// Loading is the first stage of every command, so the parser avoids work
// its libraries would do for nothing: the usual front matter block is
// split without adrg/frontmatter, timeline times are matched by hand, and
// a body with nothing linkify could link is parsed without linkify, its
// prose runs split afterwards as linkify splits them (resplit.go). Each
// such stand-in must give exactly the library's result: a test compares
// them on tricky inputs, and a fuzz test on random ones where the input
// space is large (FuzzSplitFrontMatter, FuzzLinkify, FuzzPlainCode,
// FuzzNoLinkify). Buffers are reused from one file to the next through
// sync.Pools held by the Parser.
package postmortem
