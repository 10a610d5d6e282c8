package markdown

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"

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
	// plain is chroma's plain-text lexer ("text", "plain", …), whose
	// output is escaped lines between fixed markup: preStart, then
	// lineStart, the line and lineEnd per line, then preEnd. The markup is
	// taken from the formatter itself, on the first block (setup, which
	// costs more than the rest of NewParser); plain is nil if it could not
	// be.
	setup                                sync.Once
	plain                                chroma.Lexer
	preStart, lineStart, lineEnd, preEnd string
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

// setupPlain learns the markup of plain-text blocks from the formatter:
// one line gives preStart+lineStart and lineEnd+preEnd around it, two
// lines give lineEnd+lineStart between them. It leaves r.plain nil when
// the output does not have that shape.
func (r *codeRenderer) setupPlain() {
	lexer := lexers.Get("plaintext")
	if lexer == nil {
		return
	}
	format := func(text string) string {
		it, err := chroma.Coalesce(lexer).Tokenise(nil, text)
		if err != nil {
			return ""
		}
		var b strings.Builder
		if r.formatter.Format(&b, r.style, it) != nil {
			return ""
		}
		return b.String()
	}
	const a, b = "a<&\n", "b\n"
	one, two, none := format(a), format(a+b), format("")
	i := strings.Index(one, "a&lt;&amp;\n")
	if i < 0 {
		return
	}
	head, tail := one[:i], one[i+len("a&lt;&amp;\n"):]
	// two = head + "a…" + lineEnd + lineStart + "b\n" + tail.
	if !strings.HasPrefix(two, head+"a&lt;&amp;\n") || !strings.HasSuffix(two, "b\n"+tail) {
		return
	}
	between := strings.TrimSuffix(strings.TrimPrefix(two, head+"a&lt;&amp;\n"), "b\n"+tail)
	// lineEnd is the longest common prefix of tail and between, as
	// lineStart is the longest common suffix of head and between; none
	// is preStart + preEnd.
	for e := len(between); e >= 0; e-- {
		lineEnd, lineStart := between[:e], between[e:]
		if strings.HasPrefix(tail, lineEnd) && strings.HasSuffix(head, lineStart) &&
			strings.TrimSuffix(head, lineStart)+strings.TrimPrefix(tail, lineEnd) == none {
			r.preStart, r.lineStart = strings.TrimSuffix(head, lineStart), lineStart
			r.lineEnd, r.preEnd = lineEnd, strings.TrimPrefix(tail, lineEnd)
			r.plain = lexer
			return
		}
	}
}

// renderPlain writes a plain-text block as chroma does: line ends made
// "\n", each line (with its "\n") HTML-escaped between the line markup.
// It reports false, writing nothing, for text chroma would change in
// other ways (invalid UTF-8 becomes U+FFFD in its runes).
func (r *codeRenderer) renderPlain(w util.BufWriter, code []byte) bool {
	if !utf8.Valid(code) {
		return false
	}
	_, _ = w.WriteString(r.preStart)
	for len(code) > 0 {
		// A line ends at "\n", "\r\n" or "\r" (chroma's ensureLF).
		end, next := len(code), len(code)
		if i := bytes.IndexAny(code, "\r\n"); i >= 0 {
			end, next = i, i+1
			if code[i] == '\r' && i+1 < len(code) && code[i+1] == '\n' {
				next = i + 2
			}
		}
		_, _ = w.WriteString(r.lineStart)
		writeEscaped(w, code[:end])
		if end < len(code) {
			_ = w.WriteByte('\n')
		}
		_, _ = w.WriteString(r.lineEnd)
		code = code[next:]
	}
	_, _ = w.WriteString(r.preEnd)
	return true
}

// writeEscaped writes s escaped as html.EscapeString does.
func writeEscaped(w util.BufWriter, s []byte) {
	for len(s) > 0 {
		i := bytes.IndexAny(s, "<>&'\"")
		if i < 0 {
			_, _ = w.Write(s)
			return
		}
		_, _ = w.Write(s[:i])
		switch s[i] {
		case '<':
			_, _ = w.WriteString("&lt;")
		case '>':
			_, _ = w.WriteString("&gt;")
		case '&':
			_, _ = w.WriteString("&amp;")
		case '\'':
			_, _ = w.WriteString("&#39;")
		case '"':
			_, _ = w.WriteString("&#34;")
		}
		s = s[i+1:]
	}
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
	r.setup.Do(r.setupPlain)
	if lexer == r.plain && r.renderPlain(w, code) {
		return ast.WalkContinue, nil
	}
	iterator, err := chroma.Coalesce(lexer).Tokenise(nil, string(code))
	if err != nil {
		return r.fallback(w, source, node, entering)
	}
	_ = r.formatter.Format(w, r.style, iterator)
	return ast.WalkContinue, nil
}
