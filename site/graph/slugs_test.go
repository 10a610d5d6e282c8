package graph

import (
	"fmt"
	"testing"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// TestDistinctAndSharedSlugs: each slug once, in the first postmortem's
// order, and only those the second has too (nil when none).
func TestDistinctAndSharedSlugs(t *testing.T) {
	p := &postmortem.Postmortem{RootCauses: []string{"dns", "ttl", "dns", "cert"}, Systems: []string{"api"}}
	q := &postmortem.Postmortem{RootCauses: []string{"cert", "dns", "cert"}, Systems: []string{"db"}}
	for _, tt := range []struct {
		name      string
		got, want []string
	}{
		{"distinct causes", DistinctSlugs(p, Causes), []string{"dns", "ttl", "cert"}},
		{"distinct systems", DistinctSlugs(q, Systems), []string{"db"}},
		{"distinct none", DistinctSlugs(p, Data), nil},
		{"shared causes", SharedSlugs(p, q, Causes), []string{"dns", "cert"}},
		{"shared causes, q first", SharedSlugs(q, p, Causes), []string{"cert", "dns"}},
		{"shared systems", SharedSlugs(p, q, Systems), nil},
	} {
		if fmt.Sprintf("%#v", tt.got) != fmt.Sprintf("%#v", tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.name, tt.got, tt.want)
		}
	}
}
