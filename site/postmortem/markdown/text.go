package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// The text of goldmark's nodes, read without allocating where it can,
// and the small rewrites of a parsed tree that the walk and the visual
// timeline make before it is rendered.

// AppendSeg appends what seg.Value(md) returns, without allocating.
func AppendSeg(dst []byte, seg text.Segment, md []byte) []byte {
	for range seg.Padding {
		dst = append(dst, ' ')
	}
	start := len(dst)
	dst = append(dst, md[seg.Start:seg.Stop]...)
	if seg.ForceNewline && len(dst) > start-seg.Padding && dst[len(dst)-1] != '\n' {
		dst = append(dst, '\n')
	}
	return dst
}

// AppendBlockText appends the lines of block n.
func AppendBlockText(dst []byte, n ast.Node, md []byte) []byte {
	ls := n.Lines()
	for i := 0; i < ls.Len(); i++ {
		dst = AppendSeg(dst, ls.At(i), md)
	}
	return dst
}

// AppendInline appends the inline text of n (code spans included),
// untrimmed.
func AppendInline(dst []byte, n ast.Node, md []byte) []byte {
	switch x := n.(type) {
	case *ast.Text:
		dst = AppendSeg(dst, x.Segment, md)
		if x.SoftLineBreak() || x.HardLineBreak() {
			dst = append(dst, ' ')
		}
	case *ast.String:
		dst = append(dst, x.Value...)
	case *ast.AutoLink:
		// Keep a bare URL's text, as it reads without linkify.
		dst = append(dst, x.Label(md)...)
	case *ast.RawHTML:
		for i := 0; i < x.Segments.Len(); i++ {
			dst = AppendSeg(dst, x.Segments.At(i), md)
		}
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		dst = AppendInline(dst, c, md)
	}
	return dst
}

// SingleRun returns the text node of a block made of one run of text
// whose segment is a plain piece of the source.
func SingleRun(n ast.Node) *ast.Text {
	if c := n.FirstChild(); c != nil && c == n.LastChild() {
		if t, ok := c.(*ast.Text); ok && t.Segment.Padding == 0 {
			return t
		}
	}
	return nil
}

// ResolveLinks rewrites the destinations of the links and images below n.
func ResolveLinks(n ast.Node, resolve func(string) (string, bool)) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch l := c.(type) {
		case *ast.Link:
			if d, ok := resolve(string(l.Destination)); ok {
				l.Destination = []byte(d)
			}
		case *ast.Image:
			if d, ok := resolve(string(l.Destination)); ok {
				l.Destination = []byte(d)
			}
		}
		ResolveLinks(c, resolve)
	}
}

// StripParts removes the first skip bytes of the parts' plain text (each
// part's trimmed, joined with sep) from their nodes, and returns the
// parts left. It stops short at a node it cannot cut (see stripLead).
func StripParts(parts []ast.Node, skip int, sep string, md []byte) []ast.Node {
	for len(parts) > 0 && skip > 0 {
		u := AppendInline(nil, parts[0], md)
		lead := len(u) - len(bytes.TrimLeft(u, " \t\r\n\f\v"))
		n := len(bytes.TrimSpace(u))
		if skip >= n && !HasLink(parts[0]) {
			skip -= n + len(sep)
			parts = parts[1:]
			continue
		}
		stripLead(parts[0], lead+skip, md)
		break
	}
	return parts
}

// stripLead removes the first k bytes of n's inline text (as
// AppendInline gives it) from n's children: whole texts and emphasis,
// and the start of a text. It stops at a node it cannot cut or drop (a
// link, an image, code, raw HTML: the rest of the time then shows) and
// returns what was left of k.
func stripLead(n ast.Node, k int, md []byte) int {
	for c := n.FirstChild(); c != nil && k > 0; {
		next := c.NextSibling()
		l := len(AppendInline(nil, c, md))
		switch x := c.(type) {
		case *ast.Text:
			if k >= l {
				n.RemoveChild(n, c)
				k -= l
			} else if x.Segment.Padding == 0 && k < x.Segment.Len() {
				x.Segment = x.Segment.WithStart(x.Segment.Start + k)
				k = 0
			} else {
				return k
			}
		case *ast.String:
			if k >= l {
				n.RemoveChild(n, c)
				k -= l
			} else {
				x.Value = x.Value[k:]
				k = 0
			}
		case *ast.Emphasis, *east.Strikethrough:
			if HasLink(c) {
				return k
			}
			if k >= l {
				n.RemoveChild(n, c)
				k -= l
			} else if k = stripLead(c, k, md); k > 0 {
				return k
			}
		default:
			return k
		}
		c = next
	}
	return k
}

// HasLink reports whether n holds a link or an image.
func HasLink(n ast.Node) bool {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Link, *ast.Image:
			return true
		}
		if HasLink(c) {
			return true
		}
	}
	return false
}
