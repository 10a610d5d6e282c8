package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// safeHTML renders raw HTML found in Markdown as visible, escaped text: a
// payload quoted in a security postmortem must be read, never run. The
// hindsight-ignore comments are dropped from the page.
type safeHTML struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (safeHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
	reg.Register(ast.KindRawHTML, renderRawHTML)
}

func renderHTMLBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	hb := n.(*ast.HTMLBlock)
	var raw []byte
	ls := hb.Lines()
	for i := 0; i < ls.Len(); i++ {
		s := ls.At(i)
		raw = append(raw, s.Value(src)...)
	}
	if hb.HasClosure() {
		cl := hb.ClosureLine
		raw = append(raw, cl.Value(src)...)
	}
	if ignoreRE.Match(raw) {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<pre class="raw-html"><code>`)
	_, _ = w.Write(util.EscapeHTML(raw))
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkContinue, nil
}

func renderRawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	r := n.(*ast.RawHTML)
	var raw []byte
	for i := 0; i < r.Segments.Len(); i++ {
		raw = append(raw, segVal(r.Segments, i, src)...)
	}
	if ignoreRE.Match(raw) {
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.Write(util.EscapeHTML(raw))
	return ast.WalkSkipChildren, nil
}

func segVal(segs *text.Segments, i int, src []byte) []byte {
	s := segs.At(i)
	return s.Value(src)
}
