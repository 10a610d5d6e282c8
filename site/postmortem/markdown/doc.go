// Package markdown owns the goldmark set-up that every postmortem and
// page body is parsed and rendered with: the GFM extensions (tables,
// strikethrough, task lists, linkify), footnotes whose notes stay where
// they are written, GitHub alerts, raw HTML rendered as text, code
// highlighted with chroma's CSS classes, heading ids and link places noted
// in a Writer, and the complexity budget checked before goldmark runs on
// untrusted input (complexity.go).
//
// New and NewStructure return the processors; site/postmortem walks the
// tree they parse, reading the text of its nodes with the helpers of
// node.go and text.go (Span, AppendInline, SingleRun, …).
//
// A few goldmark and chroma pieces have faster stand-ins: linkify asked
// only where it can link (linkify.go), the link reference transformer
// only on paragraphs that start with '[' (linkref.go), plain table cells
// (tablecell.go), heading ids without attribute lists (heading.go),
// plain-text code blocks without chroma (highlight.go).
// Each must give exactly the library's result: a test compares them on
// tricky inputs, and a fuzz test on random ones where the input space is
// large (FuzzLinkify, FuzzPlainCode).
package markdown
