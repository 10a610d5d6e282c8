package postmortem

import (
	"sort"
	"strconv"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/yuin/goldmark/extension"
)

// footnotes is goldmark's footnote extension (extension.Footnote: [^1]
// references, "[^1]: text" definitions, ids fn:1 and fnref:1, which no
// heading anchor can take: anchors have no ':'), with one change: each
// definition's text stays in the part of the body where it is written,
// instead of one list at the end of the document. Without cuts a section
// by its place in the HTML; a definition written in an internal section
// is cut with it rather than published in a list at the end.
type footnotes struct{}

// Extend implements goldmark.Extender.
func (footnotes) Extend(m goldmark.Markdown) {
	extension.Footnote.Extend(m)
	// After goldmark's transformer (999), which numbers the footnotes,
	// adds their back links and puts them in one list at the end.
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(footnotesInPlace{}, 1000)))
}

// footnotesInPlace moves each footnote of the list goldmark put at the
// end of the document back to where its definition was written: before
// the first top-level block that starts after it (definitions written
// one after another share one list). A footnote keeps its number: when
// it is not the list's n-th item, its item gets value="number".
type footnotesInPlace struct{}

// Transform implements parser.ASTTransformer.
func (footnotesInPlace) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	list, ok := doc.LastChild().(*east.FootnoteList)
	if !ok {
		return
	}
	doc.RemoveChild(doc, list)
	// The top-level blocks and where each starts, in order.
	var tops []ast.Node
	var starts []int
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if lo, _ := span(c); lo >= 0 {
			tops = append(tops, c)
			starts = append(starts, lo)
		}
	}
	var fns []*east.Footnote
	for c := list.FirstChild(); c != nil; c = c.NextSibling() {
		fns = append(fns, c.(*east.Footnote))
	}
	lists := map[ast.Node]*east.FootnoteList{} // by the block they go before (nil: the end)
	for _, fn := range fns {
		list.RemoveChild(list, fn)
		var before ast.Node
		if lo, _ := span(fn); lo >= 0 {
			if i := sort.SearchInts(starts, lo+1); i < len(tops) {
				before = tops[i]
			}
		}
		l := lists[before]
		if l == nil {
			l = east.NewFootnoteList()
			lists[before] = l
			if before == nil {
				doc.AppendChild(doc, l)
			} else {
				doc.InsertBefore(doc, before, l)
			}
		}
		l.AppendChild(l, fn)
		l.Count++
		if l.Count != fn.Index {
			fn.SetAttributeString("value", []byte(strconv.Itoa(fn.Index)))
		}
	}
}
