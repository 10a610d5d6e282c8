package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// spanRef is Span without its shortcut: every line and text segment of n
// and of all its descendants.
func spanRef(n ast.Node, lo, hi int) (int, int) {
	add := func(s, e int) {
		if lo < 0 || s < lo {
			lo = s
		}
		if e > hi {
			hi = e
		}
	}
	if n.Type() == ast.TypeBlock {
		for i := 0; i < n.Lines().Len(); i++ {
			s := n.Lines().At(i)
			add(s.Start, s.Stop)
		}
	}
	if t, ok := n.(*ast.Text); ok {
		add(t.Segment.Start, t.Segment.Stop)
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		lo, hi = spanRef(c, lo, hi)
	}
	return lo, hi
}

// sameSpans checks Span against spanRef on every node of md parsed by
// each of the processors.
func sameSpans(t *testing.T, md []byte, gms ...goldmark.Markdown) {
	t.Helper()
	for _, gm := range gms {
		doc := gm.Parser().Parse(text.NewReader(md))
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			lo, hi := Span(n)
			if wlo, whi := spanRef(n, -1, -1); lo != wlo || hi != whi {
				t.Fatalf("%q: Span(%s) = %d, %d, want %d, %d", md, n.Kind(), lo, hi, wlo, whi)
			}
			return ast.WalkContinue, nil
		})
	}
}

// spanSeeds are bodies with every kind of block and inline.
var spanSeeds = []string{
	"## Summary\n\nText *em* **strong** `code` [link](/x) ![img](/i.png) <b>raw</b> https://example.com\n",
	"- a\n  - b\n\n    > quoted [x][ref]\n\n[ref]: /r\n",
	"| Time | Event |\n|---|---|\n| 09:00 | *deploy* `x` |\n| 09:05 | back |\n",
	"> [!NOTE]\n> an alert\n\n1. one\n2. two\n\n- [ ] task\n- [x] done\n",
	"Setext\n===\n\n  indented code\n\n```go\nfenced\n```\n\n<div>\nhtml\n</div>\n",
	"Text with a note[^1] and ~~struck~~ text.\n\n[^1]: The note, *with* emphasis.\n",
	"- item\n  continued lazily\nlazy line\n\n* * *\n\n#\n\n##   \n\nA\\\nhard break  \nand soft\n",
}

// TestSpanLines: Span, which does not read the inlines of a block with
// lines, gives what reading every node gives, on the seeds, the test
// bodies of site/postmortem and the sample KB.
func TestSpanLines(t *testing.T) {
	gms := []goldmark.Markdown{New(true), New(false), NewStructure()}
	for _, s := range spanSeeds {
		sameSpans(t, []byte(s), gms...)
	}
	for _, root := range []string{filepath.Join("..", "testdata"), filepath.Join("..", "..", "..", "content")} {
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				if b, err := os.ReadFile(p); err == nil {
					sameSpans(t, b, gms...)
				}
			}
			return nil
		})
	}
}

func FuzzSpan(f *testing.F) {
	for _, s := range spanSeeds {
		f.Add(s)
	}
	gms := []goldmark.Markdown{New(true), NewStructure()}
	f.Fuzz(func(t *testing.T, md string) {
		if _, msg := CheckComplexity([]byte(md)); msg != "" {
			return
		}
		sameSpans(t, []byte(md), gms...)
	})
}
