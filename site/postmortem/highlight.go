package postmortem

import (
	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// codeRenderer highlights fenced code blocks with chroma CSS classes, as
// goldmark-highlighting does, but with one formatter for every block:
// goldmark-highlighting builds a formatter per block, and each new
// formatter recomputes the style's class table (a third of the cost of
// highlighting a block). Blocks it does not handle the same way (no known
// language, or attributes in the info string such as {linenos=true}) go
// to goldmark-highlighting, so the HTML is the same either way. It holds no
// per-block state and is safe for concurrent use.
type codeRenderer struct {
	formatter *chromahtml.Formatter
	style     *chroma.Style
	fallback  renderer.NodeRendererFunc
}

func newCodeRenderer(opts ...chromahtml.Option) *codeRenderer {
	r := &codeRenderer{formatter: chromahtml.New(opts...), style: styles.Get("github")}
	if r.style == nil {
		r.style = styles.Fallback
	}
	hl := highlighting.NewHTMLRenderer(highlighting.WithFormatOptions(opts...), highlighting.WithGuessLanguage(false))
	hl.RegisterFuncs(funcCapture{kind: ast.KindFencedCodeBlock, fn: &r.fallback})
	return r
}

// funcCapture is a registerer that keeps the function registered for one
// node kind.
type funcCapture struct {
	kind ast.NodeKind
	fn   *renderer.NodeRendererFunc
}

func (c funcCapture) Register(k ast.NodeKind, f renderer.NodeRendererFunc) {
	if k == c.kind {
		*c.fn = f
	}
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.render)
}

func (r *codeRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	language := n.Language(source)
	if language == nil || n.Attributes() != nil || (n.Info != nil && len(n.Info.Segment.Value(source)) != len(language)) {
		return r.fallback(w, source, node, entering)
	}
	lexer := lexers.Get(string(language))
	if lexer == nil {
		return r.fallback(w, source, node, entering)
	}
	var size int
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		size += seg.Len()
	}
	code := make([]byte, 0, size)
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code = append(code, seg.Value(source)...)
	}
	iterator, err := chroma.Coalesce(lexer).Tokenise(nil, string(code))
	if err != nil {
		return r.fallback(w, source, node, entering)
	}
	_ = r.formatter.Format(w, r.style, iterator)
	return ast.WalkContinue, nil
}
