package graph

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Same returns up to n other postmortems sharing terms of kind with p,
// ranked by how many they share, then by recency (the graph's order). It
// is safe to call from many goroutines.
//
// The ranking depends on p only through its terms (and p is left out),
// so it is made once for each list of terms (sameMemo): n+1 postmortems,
// of which p's are the n that are not p. Postmortems share few lists of
// terms (their causes or systems, from a taxonomy), so the work grows
// with the KB, not with its square: at 100,000 postmortems, a ranking
// for each of them read lists of thousands for nothing (×32 the time of
// 10,000).
func (g *Graph) Same(p *postmortem.Postmortem, kind string, n int) []Ref {
	tx := g.Taxonomy(kind)
	if tx == nil || n <= 0 {
		return nil
	}
	var slugs []string
	var terms []*Term
	for _, s := range Slugs(p, kind) {
		dup := false
		for _, x := range slugs {
			if x == s {
				dup = true
			}
		}
		if t := tx.Term(s); t != nil && !dup {
			slugs = append(slugs, s)
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return nil
	}
	key := kind + "\x00" + strconv.Itoa(n) + "\x00" + strings.Join(slugs, "\x00")
	e := g.same.entry(key)
	e.once.Do(func() { e.refs = g.rankShared(kindIndex(kind), slugs, terms, n+1) })
	out := make([]Ref, 0, n)
	for _, r := range e.refs {
		if r.P != p && len(out) < n {
			out = append(out, r)
		}
	}
	return out
}

// sameMemo holds Same's rankings by list of terms. Its zero value is
// empty and ready.
type sameMemo struct {
	mu sync.Mutex
	m  map[string]*sameEntry
}

type sameEntry struct {
	once sync.Once
	refs []Ref // read-only once made: callers share the Shared slices
}

// entry returns the entry of key, new and empty the first time.
func (s *sameMemo) entry(key string) *sameEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.m[key]
	if e == nil {
		if s.m == nil {
			s.m = map[string]*sameEntry{}
		}
		e = &sameEntry{}
		s.m[key] = e
	}
	return e
}

// rankShared returns up to n postmortems holding any of terms (their
// slugs; of taxonomy x), ranked by how many they hold, then in the
// graph's order.
//
// A postmortem holding two of the terms or more is in the list of one of
// their pairs (g.pairs): those lists are short, as few postmortems name
// any one pair, so they give every such postmortem, counted from its own
// slugs. The rest hold one term each: the newest of them come from a
// merge of the terms' lists (newest first) that stops when the result
// is full. Cost: the pairs' lists, plus n and those already taken, per
// list of terms. same_test.go keeps the plain map-and-sort ranking as
// the oracle Same is checked against.
func (g *Graph) rankShared(x int, slugs []string, terms []*Term, n int) []Ref {
	type cand struct {
		rank   int32
		shared []string
	}
	many := map[int32]bool{} // the postmortems holding two terms or more
	var cands []cand
	for i, a := range terms {
		for _, b := range terms[i+1:] {
			for _, r := range g.pairs[x][pairKey(a.n, b.n)] {
				if !many[r] {
					many[r] = true
					cands = append(cands, cand{r, held(slugs, Slugs(g.Postmortems[r], kinds[x].kind))})
				}
			}
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if len(a.shared) != len(b.shared) {
			return len(b.shared) - len(a.shared)
		}
		return cmp.Compare(a.rank, b.rank)
	})
	pos := make([]int, len(terms))
	for len(cands) < n {
		// The newest head among the lists (lowest rank), past those
		// holding two terms or more.
		head, at := int32(-1), -1
		for i, t := range terms {
			for pos[i] < len(t.ranks) && many[t.ranks[pos[i]]] {
				pos[i]++
			}
			if pos[i] < len(t.ranks) && (head < 0 || t.ranks[pos[i]] < head) {
				head, at = t.ranks[pos[i]], i
			}
		}
		if at < 0 {
			break
		}
		cands = append(cands, cand{head, slugs[at : at+1 : at+1]})
		pos[at]++
	}
	out := make([]Ref, 0, min(n, len(cands)))
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, Ref{P: g.Postmortems[c.rank], Shared: c.shared})
	}
	return out
}

// held returns the slugs of have that are in slugs, in the order of
// slugs (which are distinct).
func held(slugs, have []string) []string {
	var out []string
	for _, s := range slugs {
		if slices.Contains(have, s) {
			out = append(out, s)
		}
	}
	return out
}

// pairKey is the key in Graph.pairs of the terms numbered a and b.
func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(uint32(b))
}

// listPairs fills g.pairs: for each taxonomy, the positions (ascending)
// of the postmortems naming each pair of its terms.
func (g *Graph) listPairs() {
	g.pairs = make([]map[uint64][]int32, len(g.Taxonomies))
	for x := range g.Taxonomies {
		g.pairs[x] = map[uint64][]int32{}
		for r := range g.Postmortems {
			ts := g.terms(x, r)
			for i, a := range ts {
				for _, b := range ts[i+1:] {
					k := pairKey(a, b)
					g.pairs[x][k] = append(g.pairs[x][k], int32(r))
				}
			}
		}
	}
}
