package site

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// TestSameMatchesGraph checks the merge-based ranking against graph.Same
// on random postmortems.
func TestSameMatchesGraph(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(prefix string, max int) []string {
		var out []string
		for range 1 + r.IntN(3) {
			out = append(out, fmt.Sprintf("%s%d", prefix, r.IntN(max)))
		}
		return out
	}
	var ps []*postmortem.Postmortem
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 400 {
		ps = append(ps, &postmortem.Postmortem{ID: fmt.Sprintf("p%03d", i), Status: "published",
			Started: base.Add(time.Duration(r.IntN(200)) * 24 * time.Hour), RootCauses: pick("c", 8), Systems: pick("s", 6)})
	}
	g := graph.Build(ps, config.Default())
	ranks := allTermRanks(g)
	for i, p := range g.Postmortems {
		if i%3 == 0 {
			ranks = nil // also without the precomputed ranks
		} else {
			ranks = allTermRanks(g)
		}
		for _, kind := range []string{graph.Causes, graph.Systems} {
			want := g.Same(p, kind, 5)
			got := same(g, ranks, p, kind, 5)
			if fmt.Sprint(refIDs(got)) != fmt.Sprint(refIDs(want)) {
				t.Fatalf("%s %s: got %v, want %v", p.ID, kind, refIDs(got), refIDs(want))
			}
		}
	}
}

func refIDs(rs []graph.Ref) []string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s%v", r.P.ID, r.Shared))
	}
	return out
}
