package postmortem

import (
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// htmlWriter is the writer a body is rendered to: a util.BufWriter that
// appends to one reusable buffer (a bufio.Writer in front of a
// bytes.Buffer copied every byte once more), and carries the ids of the
// body's top-level headings, in document order, for headingRenderer.
// Setting them as attributes on the nodes cost an attribute list (ten
// slots) per heading.
type htmlWriter struct {
	buf  []byte
	ids  []headingID
	next int
	// links are the nodes of Body.Links, in document order, for
	// linkRenderer; nextLink is the next one to be rendered.
	links    []linkNode
	nextLink int
}

// Write implements io.Writer.
func (w *htmlWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// WriteString implements util.BufWriter.
func (w *htmlWriter) WriteString(s string) (int, error) {
	w.buf = append(w.buf, s...)
	return len(s), nil
}

// WriteByte implements util.BufWriter.
func (w *htmlWriter) WriteByte(c byte) error {
	w.buf = append(w.buf, c)
	return nil
}

// WriteRune implements util.BufWriter.
func (w *htmlWriter) WriteRune(r rune) (int, error) {
	n := len(w.buf)
	w.buf = utf8.AppendRune(w.buf, r)
	return len(w.buf) - n, nil
}

// Available implements util.BufWriter: the room left before the buffer
// grows.
func (w *htmlWriter) Available() int { return cap(w.buf) - len(w.buf) }

// Buffered implements util.BufWriter.
func (w *htmlWriter) Buffered() int { return len(w.buf) }

// Flush implements util.BufWriter: there is nothing to flush.
func (w *htmlWriter) Flush() error { return nil }

// headingID is the id attribute of one heading, and where its element
// starts in the rendered HTML (-1 until it is rendered).
type headingID struct {
	node *ast.Heading
	id   string
	off  int
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
		hw.ids[hw.next].off = len(hw.buf)
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

// linkNode is the node of one link or image of Body.Links, and where its
// element starts in the rendered HTML (-1 until it is rendered).
type linkNode struct {
	node ast.Node
	idx  int // in Body.Links
	off  int
}

// linkRenderer renders links and images with goldmark's HTML renderer,
// noting where the element of each one of Body.Links starts (see
// Link.HTMLOffset).
type linkRenderer struct {
	link, image renderer.NodeRendererFunc
}

func newLinkRenderer() *linkRenderer {
	r := &linkRenderer{}
	h := html.NewRenderer()
	h.RegisterFuncs(funcCapture{kind: ast.KindLink, fn: &r.link})
	h.RegisterFuncs(funcCapture{kind: ast.KindImage, fn: &r.image})
	return r
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, r.renderLink)
	reg.Register(ast.KindImage, r.renderImage)
}

func (r *linkRenderer) renderLink(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		noteLink(w, n)
	}
	return r.link(w, source, n, entering)
}

func (r *linkRenderer) renderImage(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		noteLink(w, n)
	}
	return r.image(w, source, n, entering)
}

// noteLink records where n's element starts when n is the next link of
// the htmlWriter.
func noteLink(w util.BufWriter, n ast.Node) {
	if hw, ok := w.(*htmlWriter); ok && hw.nextLink < len(hw.links) && hw.links[hw.nextLink].node == n {
		hw.links[hw.nextLink].off = len(hw.buf)
		hw.nextLink++
	}
}
