package markdown

import (
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// TestLinkRefFilterSameAsGoldmark: with linkRefFilter, link reference
// definitions are found where goldmark finds them, and nothing else
// changes.
func TestLinkRefFilterSameAsGoldmark(t *testing.T) {
	want := goldmark.New(goldmark.WithExtensions(extension.GFM))
	got := goldmark.New(goldmark.WithParser(newGoldmarkParser()), goldmark.WithExtensions(extension.GFM))
	for _, src := range []string{
		"[ref]: https://example.com \"Title\"\n\nSee [ref] and [x][ref].\n",
		"   [ref]: /a\n[two]: /b\ntext after\n\n[ref] [two]\n",
		"text first\n[ref]: /a\n\n[ref]\n",
		"    [code]: /a\n\n[code]\n",
		"- [ref]: /in-list\n\n[ref]\n",
		"> [q]: /quoted\n\n[q]\n",
		"\t[tab]: /t\n\n[tab]\n",
		"[not a def]\n\n[a]:\n/next-line\n\n[a]\n",
		"| a |\n|---|\n| [b] |\n\n[b]: /b\n",
		"plain paragraph\nwith two lines\n",
	} {
		if w, g := convertBoth(t, want, got, src); w != g {
			t.Errorf("%q:\ngot  %q\nwant %q", src, g, w)
		}
	}
}
