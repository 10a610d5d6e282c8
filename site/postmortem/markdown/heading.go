package markdown

import (
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Writer is the writer a body is rendered to: a util.BufWriter that
// appends to one reusable buffer (a bufio.Writer in front of a
// bytes.Buffer copied every byte once more). It carries the ids of the
// body's top-level headings, in document order, for the heading renderer
// (setting them as attributes on the nodes cost an attribute list, ten
// slots, per heading), and the links whose place in the HTML is wanted.
type Writer struct {
	// Buf is the HTML rendered so far.
	Buf []byte
	// Headings are the headings that get an id, in document order; each
	// one's Off is set when it is rendered.
	Headings    []HeadingMark
	nextHeading int
	// Links are the links and images whose place is noted, in document
	// order; each one's Off is set when it is rendered.
	Links    []LinkMark
	nextLink int
}

// HeadingMark is a heading that gets an id attribute, and where its
// element starts in the rendered HTML (-1 until it is rendered).
type HeadingMark struct {
	Node *ast.Heading
	ID   string
	Off  int
}

// LinkMark is a link or image, the caller's index of it, and where its
// element starts in the rendered HTML (-1 until it is rendered).
type LinkMark struct {
	Node  ast.Node
	Index int
	Off   int
}

// Reset empties w for the next body, keeping its buffers but no
// reference to the last body's nodes.
func (w *Writer) Reset() {
	w.Buf = w.Buf[:0]
	clear(w.Headings)
	w.Headings, w.nextHeading = w.Headings[:0], 0
	clear(w.Links)
	w.Links, w.nextLink = w.Links[:0], 0
}

// SkipLinks passes the links below n that are not rendered (their Off
// stays -1), so that the next ones are noted.
func (w *Writer) SkipLinks(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if w.nextLink < len(w.Links) && w.Links[w.nextLink].Node == c {
			w.nextLink++
		}
		w.SkipLinks(c)
	}
}

// Write implements io.Writer.
func (w *Writer) Write(p []byte) (int, error) {
	w.Buf = append(w.Buf, p...)
	return len(p), nil
}

// WriteString implements util.BufWriter.
func (w *Writer) WriteString(s string) (int, error) {
	w.Buf = append(w.Buf, s...)
	return len(s), nil
}

// WriteByte implements util.BufWriter.
func (w *Writer) WriteByte(c byte) error {
	w.Buf = append(w.Buf, c)
	return nil
}

// WriteRune implements util.BufWriter.
func (w *Writer) WriteRune(r rune) (int, error) {
	n := len(w.Buf)
	w.Buf = utf8.AppendRune(w.Buf, r)
	return len(w.Buf) - n, nil
}

// Available implements util.BufWriter: the room left before the buffer
// grows.
func (w *Writer) Available() int { return cap(w.Buf) - len(w.Buf) }

// Buffered implements util.BufWriter.
func (w *Writer) Buffered() int { return len(w.Buf) }

// Flush implements util.BufWriter: there is nothing to flush.
func (w *Writer) Flush() error { return nil }

// headingRenderer renders headings as goldmark's HTML renderer does, with
// the id attribute taken from the Writer when the heading has one
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
	if hw, ok := w.(*Writer); ok && hw.nextHeading < len(hw.Headings) && hw.Headings[hw.nextHeading].Node == n {
		id := hw.Headings[hw.nextHeading].ID
		hw.Headings[hw.nextHeading].Off = len(hw.Buf)
		hw.nextHeading++
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

// linkRenderer renders links and images with goldmark's HTML renderer,
// noting where the element of each one of the Writer's Links starts.
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
// the Writer.
func noteLink(w util.BufWriter, n ast.Node) {
	if hw, ok := w.(*Writer); ok && hw.nextLink < len(hw.Links) && hw.Links[hw.nextLink].Node == n {
		hw.Links[hw.nextLink].Off = len(hw.Buf)
		hw.nextLink++
	}
}
