package markdown

import (
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// TestTableCellRendererSameAsGFM: the table cell renderer writes exactly
// what goldmark's table renderer writes, for plain and aligned cells,
// header rows, empty cells and inline formatting, in HTML and XHTML.
func TestTableCellRendererSameAsGFM(t *testing.T) {
	sources := []string{
		"| a | b |\n|---|---|\n| 1 | 2 |\n",
		"| left | center | right | none |\n|:---|:---:|---:|---|\n| 1 | 2 | 3 | 4 |\n",
		"| only a header |\n|---|\n",
		"| a | b |\n|---|---|\n| | |\n| x |\n| 1 | 2 | 3 |\n",
		"| **bold** `code` | [link](x.md) \\| pipe |\n|---|---|\n| *em* ~~del~~ | https://example.com |\n",
		"a | b\n--|--\n1 | 2\n\n| next |\n|:-:|\n| c |\n",
	}
	for _, xhtml := range []bool{false, true} {
		var opts []renderer.Option
		if xhtml {
			opts = append(opts, renderer.WithOption("XHTML", true))
		}
		want := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(opts...))
		got := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(append(opts,
			renderer.WithNodeRenderers(util.Prioritized(newTableCellRenderer(), 200)))...))
		for _, src := range sources {
			if w, g := convertBoth(t, want, got, src); w != g {
				t.Errorf("xhtml=%v %q:\ngot  %s\nwant %s", xhtml, src, g, w)
			}
		}
	}
}
