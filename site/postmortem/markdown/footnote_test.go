package markdown

import (
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// TestFootnotesAsGoldmark: where every definition is written after the
// last other block, the HTML is goldmark's footnote extension's.
func TestFootnotesAsGoldmark(t *testing.T) {
	want, got := goldmark.New(goldmark.WithExtensions(extension.Footnote)), goldmark.New(goldmark.WithExtensions(footnotes{}))
	for _, src := range []string{
		"Text[^1] and[^2], again[^1].\n\n[^2]: Two.\n[^1]: One.\n",
		"An image mark![^a] and an undefined [^zz].\n\n[^a]: A.\n[^unused]: Never referenced.\n",
		"- item[^n]\n\n> quote[^q]\n\n[^n]: In a list.\n\n    A second paragraph.\n[^q]: From a quote.\n",
		"[^x]: Only a definition.\n",
		"No footnotes [at all].\n",
		"Same label twice[^d].\n\n[^d]: First.\n[^d]: Second.\n",
	} {
		w, g := convertBoth(t, want, got, src)
		if w != g {
			t.Errorf("%q:\ngot  %q\nwant %q", src, g, w)
		}
	}
}
