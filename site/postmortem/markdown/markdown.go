package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
)

// New returns the Markdown processor that renders a body to HTML: GFM
// (with linkify unless linkify is false), footnotes and alerts, raw HTML
// kept as text, code highlighted with chroma's CSS classes, heading ids
// and link places taken from a Writer.
func New(linkify bool) goldmark.Markdown {
	md := goldmark.New(
		goldmark.WithParser(newGoldmarkParser()),
		// Footnotes and GitHub alerts: footnote.go, alert.go.
		goldmark.WithExtensions(gfm{noLinkify: !linkify}, footnotes{}, alerts{}),
		goldmark.WithRendererOptions(
			// Raw HTML is never passed through; safeHTML below renders it
			// as visible text.
			renderer.WithNodeRenderers(
				util.Prioritized(safeHTML{}, 100),
				// Code blocks are highlighted with chroma CSS classes.
				util.Prioritized(newCodeRenderer(chromahtml.WithClasses(true)), 200),
				// Plain table cells without fmt.
				util.Prioritized(newTableCellRenderer(), 200),
				// Heading ids without attribute lists.
				util.Prioritized(headingRenderer{}, 200),
				// Links and images, with their offsets.
				util.Prioritized(newLinkRenderer(), 200),
				// Task list boxes with a name (tasklist.go).
				util.Prioritized(taskBox{}, 200),
			),
		),
	)
	_ = html.WithUnsafe // documented choice: raw HTML stays escaped, never unsafe
	return md
}

// NewStructure returns the Markdown processor for a body whose structure
// only is read (no HTML): New's parser without linkify, which costs a
// fifth of the parse and changes no text the walk reads (an autolink
// keeps its URL as text).
func NewStructure() goldmark.Markdown {
	return goldmark.New(goldmark.WithParser(newGoldmarkParser()),
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList, footnotes{}, alerts{}))
}
