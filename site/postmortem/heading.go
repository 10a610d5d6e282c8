package postmortem

import (
	"bufio"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// htmlWriter is the writer a body is rendered to: a bufio.Writer that also
// carries the ids of the body's top-level headings, in document order, for
// headingRenderer. Setting them as attributes on the nodes cost an
// attribute list (ten slots) per heading.
type htmlWriter struct {
	*bufio.Writer
	ids  []headingID
	next int
}

// headingID is the id attribute of one heading.
type headingID struct {
	node *ast.Heading
	id   string
}

// headingRenderer renders headings as goldmark's HTML renderer does, with
// the id attribute taken from the htmlWriter when the heading has one
// there.
type headingRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (headingRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, renderHeading)
}

func renderHeading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	if !entering {
		_, _ = w.WriteString("</h")
		_ = w.WriteByte("0123456"[n.Level])
		_, _ = w.WriteString(">\n")
		return ast.WalkContinue, nil
	}
	if hw, ok := w.(*htmlWriter); ok && hw.next < len(hw.ids) && hw.ids[hw.next].node == n {
		id := hw.ids[hw.next].id
		hw.next++
		if n.Attributes() != nil {
			// Written among the others, in their order.
			n.SetAttributeString("id", id)
		} else {
			_, _ = w.WriteString("<h")
			_ = w.WriteByte("0123456"[n.Level])
			_, _ = w.WriteString(` id="`)
			_, _ = w.Write(util.EscapeHTML(util.StringToReadOnlyBytes(id)))
			_, _ = w.WriteString(`">`)
			return ast.WalkContinue, nil
		}
	}
	_, _ = w.WriteString("<h")
	_ = w.WriteByte("0123456"[n.Level])
	if n.Attributes() != nil {
		html.RenderAttributes(w, node, html.HeadingAttributeFilter)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}
