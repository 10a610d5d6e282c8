package graph

import (
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
	e.once.Do(func() { e.refs = rankShared(slugs, terms, n+1) })
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
// slugs), ranked by how many they hold, then in the graph's order.
//
// Every term's list is in the graph's order (newest first), so a k-way
// merge over the terms meets each postmortem's occurrences together and
// knows its shared count at once, without a map or a sort. Candidates go
// into one bucket per count (each capped at n); the merge stops as soon
// as the bucket of the highest possible count is full, since nothing
// older can outrank it. Cost: O(Σ list lengths) at worst, no allocation
// beyond the result. same_test.go keeps the plain map-and-sort ranking
// as the oracle Same is checked against.
func rankShared(slugs []string, terms []*Term, n int) []Ref {
	k := len(terms)
	pos := make([]int, k)
	buckets := make([][]Ref, k+1)
	for {
		// The newest head among the lists (lowest rank).
		head := int32(-1)
		for i, t := range terms {
			if pos[i] < len(t.ranks) && (head < 0 || t.ranks[pos[i]] < head) {
				head = t.ranks[pos[i]]
			}
		}
		if head < 0 {
			break
		}
		c := 0
		var hp *postmortem.Postmortem
		for i, t := range terms {
			if pos[i] < len(t.ranks) && t.ranks[pos[i]] == head {
				hp = t.Postmortems[pos[i]]
				c++
			}
		}
		if len(buckets[c]) < n {
			shared := make([]string, 0, c)
			for i, t := range terms {
				if pos[i] < len(t.ranks) && t.ranks[pos[i]] == head {
					shared = append(shared, slugs[i])
				}
			}
			buckets[c] = append(buckets[c], Ref{P: hp, Shared: shared})
		}
		for i, t := range terms {
			if pos[i] < len(t.ranks) && t.ranks[pos[i]] == head {
				pos[i]++
			}
		}
		if len(buckets[k]) == n {
			break
		}
	}
	out := make([]Ref, 0, n)
	for c := k; c >= 1 && len(out) < n; c-- {
		for _, r := range buckets[c] {
			if len(out) == n {
				break
			}
			out = append(out, r)
		}
	}
	return out
}
