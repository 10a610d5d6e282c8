package markdown

import (
	"sort"
	"strconv"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// footnotes are footnotes as goldmark's extension.Footnote reads and
// renders them ([^1] references, "[^1]: text" definitions, ids fn:1 and
// fnref:1, which no heading anchor can take: anchors have no ':'), with
// two changes:
//   - a reference finds its definition in a map: goldmark's inline parser
//     reads the list of definitions at each reference, quadratic work
//     (20 s for 40,000 of each in a 780 KB file);
//   - each definition's note is rendered where the definition is written,
//     not in one list at the end of the document. Without cuts a section
//     by its place in the HTML; a note written in an internal section is
//     cut with it rather than published at the end of the page.
//
// The block parser and the HTML renderer are goldmark's; the inline
// parser and the AST transformer are here.
type footnotes struct{}

// Extend implements goldmark.Extender.
func (footnotes) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(util.Prioritized(footnoteBlocks{extension.NewFootnoteBlockParser()}, 999)),
		parser.WithInlineParsers(util.Prioritized(footnoteRefs{}, 101)),
		parser.WithASTTransformers(util.Prioritized(footnoteTransformer{}, 999)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(extension.NewFootnoteHTMLRenderer(), 500)))
}

// footnoteKey holds the *footnoteState of a parse.
var footnoteKey = parser.NewContextKey()

// footnoteState is what the footnote parsers share during one parse.
type footnoteState struct {
	// list is the list goldmark's block parser puts the definitions in.
	list *east.FootnoteList
	// defs are the definitions by label, the first of each label.
	defs map[string]*east.Footnote
	// refs are the references in document order.
	refs []*east.FootnoteLink
}

func footnoteStateOf(pc parser.Context) *footnoteState {
	st, _ := pc.Get(footnoteKey).(*footnoteState)
	if st == nil {
		st = &footnoteState{defs: map[string]*east.Footnote{}}
		pc.Set(footnoteKey, st)
	}
	return st
}

// footnoteBlocks is goldmark's footnote block parser, noting each
// definition by its label.
type footnoteBlocks struct {
	parser.BlockParser
}

// Close implements parser.BlockParser.
func (b footnoteBlocks) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	b.BlockParser.Close(node, reader, pc)
	fn, ok := node.(*east.Footnote)
	if !ok {
		return
	}
	st := footnoteStateOf(pc)
	if l, ok := fn.Parent().(*east.FootnoteList); ok {
		st.list = l
	}
	if _, dup := st.defs[string(fn.Ref)]; !dup {
		st.defs[string(fn.Ref)] = fn
	}
}

// footnoteRefs parses a reference [^label] (or ![^label], an '!' then a
// reference) to a definition, as goldmark's footnote parser does.
type footnoteRefs struct{}

// Trigger implements parser.InlineParser.
func (footnoteRefs) Trigger() []byte { return []byte{'!', '['} }

// Parse implements parser.InlineParser.
func (footnoteRefs) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, segment := block.PeekLine()
	pos := 1
	if len(line) > 0 && line[0] == '!' {
		pos++
	}
	if pos >= len(line) || line[pos] != '^' {
		return nil
	}
	pos++
	if pos >= len(line) {
		return nil
	}
	st, _ := pc.Get(footnoteKey).(*footnoteState)
	if st == nil || st.list == nil {
		return nil
	}
	open := pos
	// Labels are at most 999 bytes long, as link labels.
	closure := util.FindClosure(line[pos:min(len(line), pos+999)], '[', ']', false, false) //nolint:staticcheck // goldmark's own call
	if closure < 0 {
		return nil
	}
	closes := pos + closure
	def := st.defs[string(block.Value(text.NewSegment(segment.Start+open, segment.Start+closes)))]
	if def == nil {
		return nil
	}
	block.Advance(closes + 1)
	if def.Index < 0 {
		st.list.Count++
		def.Index = st.list.Count
	}
	link := east.NewFootnoteLink(def.Index)
	st.refs = append(st.refs, link)
	if line[0] == '!' {
		parent.AppendChild(parent, ast.NewTextSegment(text.NewSegment(segment.Start, segment.Start+1)))
	}
	return link
}

// footnoteTransformer numbers the references of each footnote and gives
// its note the links back to them (as goldmark's transformer does), drops
// the definitions nothing references, then puts each note back where its
// definition was written: before the first top-level block that starts
// after it (notes written one after another share one list), in the
// order of their numbers. A note that is not its list's n-th item gets
// value="number".
type footnoteTransformer struct{}

// Transform implements parser.ASTTransformer.
func (footnoteTransformer) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	st, _ := pc.Get(footnoteKey).(*footnoteState)
	pc.Set(footnoteKey, nil)
	if st == nil || st.list == nil {
		return
	}
	count := map[int]int{}
	for _, l := range st.refs {
		count[l.Index]++
	}
	seen := map[int]int{}
	for _, l := range st.refs {
		l.RefCount = count[l.Index]
		l.RefIndex = seen[l.Index]
		seen[l.Index]++
	}
	list := st.list
	if p := list.Parent(); p != nil {
		p.RemoveChild(p, list)
	}
	var fns []*east.Footnote
	for c := list.FirstChild(); c != nil; c = c.NextSibling() {
		if fn := c.(*east.Footnote); fn.Index >= 0 {
			fns = append(fns, fn)
		}
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].Index < fns[j].Index })
	if len(fns) == 0 {
		return
	}
	// The top-level blocks and where each starts, in order.
	var tops []ast.Node
	var starts []int
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if lo, _ := Span(c); lo >= 0 {
			tops = append(tops, c)
			starts = append(starts, lo)
		}
	}
	lists := map[ast.Node]*east.FootnoteList{} // by the block they go before (nil: the end)
	for _, fn := range fns {
		list.RemoveChild(list, fn)
		var container ast.Node = fn
		if last := fn.LastChild(); last != nil && ast.IsParagraph(last) {
			container = last
		}
		for i := range count[fn.Index] {
			back := east.NewFootnoteBacklink(fn.Index)
			back.RefCount, back.RefIndex = count[fn.Index], i
			container.AppendChild(container, back)
		}
		var before ast.Node
		if lo, _ := Span(fn); lo >= 0 {
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
