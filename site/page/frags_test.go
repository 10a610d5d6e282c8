package page

import (
	"html/template"
	"testing"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// TestFragCache: each (postmortem, kind, root, variant, compact) renders
// once, keys that differ in any part render apart, and postmortems the
// cache was not made for are cached too.
func TestFragCache(t *testing.T) {
	a, b, stranger := &postmortem.Postmortem{Path: "a.md"}, &postmortem.Postmortem{Path: "b.md"}, &postmortem.Postmortem{Path: "c.md"}
	c := newFragCache([]*postmortem.Postmortem{a, b})
	renders := 0
	get := func(p *postmortem.Postmortem, kind fragKind, root, variant string, compact bool) template.HTML {
		t.Helper()
		h, err := c.pm(p, kind, root, variant, compact, func() (template.HTML, error) {
			renders++
			return template.HTML(p.Path + root + variant), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	tests := []struct {
		name    string
		p       *postmortem.Postmortem
		kind    fragKind
		root    string
		variant string
		compact bool
		renders int // renders so far, after this call
	}{
		{"first row", a, fragRow, "../", "", false, 1},
		{"same row", a, fragRow, "../", "", false, 1},
		{"other root", a, fragRow, "../../", "", false, 2},
		{"compact", a, fragRow, "../", "", true, 3},
		{"other kind", a, fragPMItem, "../", "", false, 4},
		{"refitem", a, fragRefItem, "../", "x", false, 5},
		{"refitem, other shared terms", a, fragRefItem, "../", "y", false, 6},
		{"refitem again", a, fragRefItem, "../", "x", false, 6},
		{"other postmortem", b, fragRow, "../", "", false, 7},
		{"unknown postmortem", stranger, fragRow, "../", "", false, 8},
		{"unknown postmortem again", stranger, fragRow, "../", "", false, 8},
	}
	for _, tt := range tests {
		h := get(tt.p, tt.kind, tt.root, tt.variant, tt.compact)
		if want := template.HTML(tt.p.Path + tt.root + tt.variant); h != want {
			t.Errorf("%s: got %q, want %q", tt.name, h, want)
		}
		if renders != tt.renders {
			t.Errorf("%s: %d renders, want %d", tt.name, renders, tt.renders)
		}
	}
	if got := joinShared([]string{"a", "b"}); got == joinShared([]string{"a"}) || got == joinShared(nil) {
		t.Errorf("joinShared does not tell lists apart: %q", got)
	}
}
