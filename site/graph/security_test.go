package graph

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/internal/bounded"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// TestSecuritySameWide: a pull request may name as many root causes and
// systems as the parser keeps (postmortem.MaxNames, 64) in every
// postmortem. Ranking the same-cause and same-system lists of all of
// them stays fast (read through 2,016 pair lists each, it took minutes)
// and exact.
func TestSecuritySameWide(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pick := func(prefix string) []string {
		var out []string
		for _, i := range r.Perm(300)[:postmortem.MaxNames] {
			out = append(out, fmt.Sprintf("%s%d", prefix, i))
		}
		return out
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var ps []*postmortem.Postmortem
	for i := range 1500 {
		ps = append(ps, &postmortem.Postmortem{ID: fmt.Sprintf("w%04d", i), Status: "published",
			Started: base.Add(time.Duration(i) * time.Hour), RootCauses: pick("c"), Systems: pick("s")})
	}
	ps = append(ps, &postmortem.Postmortem{ID: "narrow", Status: "published", Started: base,
		RootCauses: []string{"c1", "c2"}, Systems: []string{"s7"}})
	var g *Graph
	bounded.Within(t, 20*time.Second, func() {
		g = Build(ps, config.Default())
		for _, p := range g.Postmortems {
			g.Same(p, Causes, 5)
			g.Same(p, Systems, 5)
		}
	})
	for _, p := range []*postmortem.Postmortem{g.Postmortems[0], g.Postmortems[700], g.Get("narrow")} {
		for _, kind := range []string{Causes, Systems} {
			if got, want := g.Same(p, kind, 5), slowSame(g, p, kind, 5); fmt.Sprint(refIDs(got)) != fmt.Sprint(refIDs(want)) {
				t.Errorf("%s %s: got %v, want %v", p.ID, kind, refIDs(got), refIDs(want))
			}
		}
	}
}
