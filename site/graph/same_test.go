package graph

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// slowSame is the plain ranking Same must equal: count each other
// postmortem's shared terms in a map, sort by count then by the graph's
// order, cut at n.
func slowSame(g *Graph, p *postmortem.Postmortem, kind string, n int) []Ref {
	tx := g.Taxonomy(kind)
	if tx == nil {
		return nil
	}
	index := make(map[*postmortem.Postmortem]int, len(g.Postmortems))
	for i, q := range g.Postmortems {
		index[q] = i
	}
	shared := map[*postmortem.Postmortem][]string{}
	for _, s := range dedupe(Slugs(p, kind)) {
		t := tx.bySlug[s]
		if t == nil {
			continue
		}
		for _, q := range t.Postmortems {
			if q != p {
				shared[q] = append(shared[q], s)
			}
		}
	}
	out := make([]Ref, 0, len(shared))
	for q, s := range shared {
		out = append(out, Ref{P: q, Shared: s})
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].Shared) != len(out[j].Shared) {
			return len(out[i].Shared) > len(out[j].Shared)
		}
		return index[out[i].P] < index[out[j].P]
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// TestSameMatchesOracle checks the merge-based ranking against slowSame
// on random postmortems (duplicate slugs and ties in Started included).
func TestSameMatchesOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(prefix string, max int) []string {
		var out []string
		n := 1 + r.IntN(3)
		if r.IntN(8) == 0 { // more terms than pairTerms: a wide postmortem
			n, max = 9+r.IntN(12), 3*max
		}
		for range n {
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
	g := Build(ps, config.Default())
	for _, p := range g.Postmortems {
		for _, kind := range []string{Causes, Systems} {
			for _, n := range []int{0, 1, 5, 1000} {
				want := slowSame(g, p, kind, n)
				got := g.Same(p, kind, n)
				if fmt.Sprint(refIDs(got)) != fmt.Sprint(refIDs(want)) {
					t.Fatalf("%s %s n=%d: got %v, want %v", p.ID, kind, n, refIDs(got), refIDs(want))
				}
			}
		}
	}
}

func refIDs(rs []Ref) []string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s%v", r.P.ID, r.Shared))
	}
	return out
}

// TestSameManyTerms: of a postmortem naming more terms than its parser
// keeps (postmortem.MaxNames, 64), Same ranks by the first 64, the bits
// of its masks.
func TestSameManyTerms(t *testing.T) {
	var many []string
	for i := range 70 {
		many = append(many, fmt.Sprintf("s%d", i))
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(id string, day int, systems ...string) *postmortem.Postmortem {
		return &postmortem.Postmortem{ID: id, Status: "published", Started: base.AddDate(0, 0, day), Systems: systems}
	}
	p := mk("p", 0, many...)
	ps := []*postmortem.Postmortem{p,
		mk("a", 6, "s0", "s64"), mk("b", 2, "s1"), mk("c", 3, "s5", "s6", "s69"),
		mk("d", 4, "s63", "s66", "s67", "s68"), mk("e", 5, "s2", "s3"), mk("f", 7, "s65")}
	g := Build(ps, config.Default())
	first := *p
	first.Systems = many[:64]
	for _, n := range []int{1, 3, 10} {
		var want []Ref
		for _, r := range slowSame(g, &first, Systems, n+1) {
			if r.P != p && len(want) < n {
				want = append(want, r)
			}
		}
		if got := g.Same(p, Systems, n); fmt.Sprint(refIDs(got)) != fmt.Sprint(refIDs(want)) {
			t.Errorf("n=%d: got %v, want %v", n, refIDs(got), refIDs(want))
		}
	}
}
