package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// alertTitles are the GitHub alert types ("> [!NOTE]") and their titles.
var alertTitles = map[string]string{"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution"}

// alertAttr is the attribute that marks a block quote as an alert (its
// value is the type, lower-case). Only alertRenderer reads it.
var alertAttr = []byte("hindsight-alert")

// alerts are GitHub's alerts: a block quote whose first line is [!NOTE],
// [!TIP], [!IMPORTANT], [!WARNING] or [!CAUTION] (any case, alone on its
// line) renders as <div class="alert alert-note"> with a title paragraph
// (<p class="alert-title">Note</p>) and the rest of the quote. The node
// stays an *ast.Blockquote, so the walk treats it as any block quote (its
// text, nested headings, timeline); the marker line is taken out of it.
type alerts struct{}

// Extend implements goldmark.Extender.
func (alerts) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(alertMarker{}, 900)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(newAlertRenderer(), 200)))
}

// alertMarker marks the block quotes that are alerts and removes their
// marker line.
type alertMarker struct{}

// Transform implements parser.ASTTransformer.
func (alertMarker) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	if !bytes.Contains(src, []byte("[!")) {
		return // no marker line, no alert: the walk is not needed
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindDocument, ast.KindBlockquote, ast.KindList, ast.KindListItem:
		default:
			return ast.WalkSkipChildren, nil
		}
		if q, ok := n.(*ast.Blockquote); ok {
			markAlert(q, src)
		}
		return ast.WalkContinue, nil
	})
}

// markAlert marks q as an alert when its first line is a marker, and
// removes the marker's text from its first paragraph (the paragraph
// too when nothing else is in it).
func markAlert(q *ast.Blockquote, src []byte) {
	p, ok := q.FirstChild().(*ast.Paragraph)
	if !ok || p.Lines().Len() == 0 {
		return
	}
	first := p.Lines().At(0)
	line := bytes.TrimSpace(first.Value(src))
	if len(line) < 4 || line[0] != '[' || line[1] != '!' || line[len(line)-1] != ']' {
		return
	}
	typ := string(bytes.ToLower(line[2 : len(line)-1]))
	if _, ok := alertTitles[typ]; !ok {
		return
	}
	// The inline nodes of the marker line: text only (a link reference
	// named "!note" makes it a link, not a marker).
	var marker []ast.Node
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok {
			if c.Kind() == ast.KindLink {
				return
			}
			break
		}
		if t.Segment.Start >= first.Stop {
			break
		}
		marker = append(marker, c)
	}
	for _, c := range marker {
		p.RemoveChild(p, c)
	}
	if p.ChildCount() == 0 {
		q.RemoveChild(q, p)
	}
	q.SetAttribute(alertAttr, []byte(typ))
}

// alertRenderer renders block quotes: alerts as a div with a title, the
// others with goldmark's renderer.
type alertRenderer struct {
	blockquote renderer.NodeRendererFunc
}

func newAlertRenderer() *alertRenderer {
	r := &alertRenderer{}
	html.NewRenderer().RegisterFuncs(funcCapture{kind: ast.KindBlockquote, fn: &r.blockquote})
	return r
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *alertRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindBlockquote, r.render)
}

func (r *alertRenderer) render(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	v, ok := n.AttributeString(string(alertAttr))
	typ, _ := v.([]byte)
	if !ok || alertTitles[string(typ)] == "" {
		return r.blockquote(w, source, n, entering)
	}
	if !entering {
		_, _ = w.WriteString("</div>\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<div class="markdown-alert markdown-alert-`)
	_, _ = w.Write(typ)
	_, _ = w.WriteString(`">` + "\n" + `<p class="markdown-alert-title">`)
	_, _ = w.WriteString(alertTitles[string(typ)])
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}
