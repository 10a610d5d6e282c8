package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

var linkifySeeds = []string{
	"See https://example.com/a_(b) and www.example.org, or ftp://x.y/z.\n",
	"Mail ops@example.com, (ops@example.com) *x@y.z* _a@b.co_ ~c@d.ef~ or a.b-c@e-f.gh.\n",
	"not@mail @home x@ y@z a@b. h@i.j f@g.hi w@x.yz\n",
	"http: https: ftp: www. http://  hTTp://x.y WWW.x.y\n",
	"[a link with https://inside.example](https://x.y) and ![img www.x.y](p.png)\n",
	"`code https://x.y` <https://auto.link> <a@b.cd>\n",
	"| a | https://t.example |\n|---|---|\n| x@y.zz | www.q.rs |\n",
	"- [ ] task www.a.bc\n- ~~strike https://s.t~~\n",
	"plain words only, with punctuation; and (parentheses) * stars _ under ~ tilde\n",
	"line one\nline two https://x.y\n  indented@mail.example\n",
	"ünïcödé ü@ö.de é https://ü.example/ä\n",
}

// astString writes the tree below n with the text segments and link
// destinations: two parses give the same string when they give the same
// tree.
func astString(n ast.Node, src []byte) string {
	var b strings.Builder
	var walk func(n ast.Node, depth int)
	walk = func(n ast.Node, depth int) {
		fmt.Fprintf(&b, "%s%s", strings.Repeat(" ", depth), n.Kind())
		switch x := n.(type) {
		case *ast.Text:
			fmt.Fprintf(&b, " %d-%d %v %v %v %q", x.Segment.Start, x.Segment.Stop, x.SoftLineBreak(), x.HardLineBreak(), x.IsRaw(), x.Segment.Value(src))
		case *ast.AutoLink:
			fmt.Fprintf(&b, " %d %q %q", x.AutoLinkType, x.URL(src), x.Label(src))
		case *ast.Link:
			fmt.Fprintf(&b, " %q", x.Destination)
		}
		b.WriteByte('\n')
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

func checkLinkify(t *testing.T, want, got goldmark.Markdown, src string) {
	t.Helper()
	s := []byte(src)
	wd := want.Parser().Parse(text.NewReader(s))
	gd := got.Parser().Parse(text.NewReader(s))
	if w, g := astString(wd, s), astString(gd, s); w != g {
		t.Fatalf("%q: trees differ\ngot\n%s\nwant\n%s", src, g, w)
	}
	var w, g bytes.Buffer
	if err := want.Renderer().Render(&w, s, wd); err != nil {
		t.Fatal(err)
	}
	if err := got.Renderer().Render(&g, s, gd); err != nil {
		t.Fatal(err)
	}
	if w.String() != g.String() {
		t.Fatalf("%q:\ngot  %q\nwant %q", src, g.String(), w.String())
	}
}

// TestLinkifySameAsGFM: the GFM extension with fastLinkify gives the tree
// and HTML of extension.GFM.
func TestLinkifySameAsGFM(t *testing.T) {
	want := goldmark.New(goldmark.WithExtensions(extension.GFM))
	got := goldmark.New(goldmark.WithExtensions(gfm{}))
	for _, s := range linkifySeeds {
		checkLinkify(t, want, got, s)
	}
}

func FuzzLinkify(f *testing.F) {
	for _, s := range linkifySeeds {
		f.Add(s)
	}
	want := goldmark.New(goldmark.WithExtensions(extension.GFM))
	got := goldmark.New(goldmark.WithExtensions(gfm{}))
	f.Fuzz(func(t *testing.T, s string) { checkLinkify(t, want, got, s) })
}
