package markdown

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Span returns the first and last byte offsets (in the body) covered by n
// and its descendants, or -1.
func Span(n ast.Node) (int, int) {
	return spanOf(n, -1, -1)
}

// spanOf widens lo..hi to cover n and its descendants: the lines of
// blocks and the segments of text.
func spanOf(n ast.Node, lo, hi int) (int, int) {
	add := func(s, e int) {
		if lo < 0 || s < lo {
			lo = s
		}
		if e > hi {
			hi = e
		}
	}
	if n.Type() == ast.TypeBlock {
		ls := n.Lines()
		for i := 0; i < ls.Len(); i++ {
			s := ls.At(i)
			add(s.Start, s.Stop)
		}
		if ls.Len() > 0 {
			// A block with lines holds inlines parsed from them
			// (TestSpanLines): they widen nothing.
			return lo, hi
		}
	}
	if t, ok := n.(*ast.Text); ok {
		add(t.Segment.Start, t.Segment.Stop)
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		lo, hi = spanOf(c, lo, hi)
	}
	return lo, hi
}

// ignoreRE matches a hindsight-ignore comment; its group is the rules
// it names.
var ignoreRE = regexp.MustCompile(`<!--\s*hindsight-ignore\b([^>]*?)-->`)

// IgnoreRules reports whether raw, raw HTML of a body, is a
// hindsight-ignore comment, and returns the rules it names (none: all).
// Such a comment is not rendered.
func IgnoreRules(raw string) ([]string, bool) {
	m := ignoreRE.FindStringSubmatch(raw)
	if m == nil {
		return nil, false
	}
	return strings.Fields(m[1]), true
}
