package graph

import "github.com/hindsight-kb/hindsight/site/postmortem"

// Same returns up to n other postmortems sharing terms of kind with p,
// ranked by how many they share, then by recency (the graph's order). It
// is safe to call from many goroutines.
//
// Every term's list is in the graph's order (newest first), so a k-way
// merge over p's terms meets each postmortem's occurrences together and
// knows its shared count at once, without a map or a sort. Candidates go
// into one bucket per count (each capped at n); the merge stops as soon
// as the bucket of the highest possible count is full, since nothing
// older can outrank it. Cost: O(Σ list lengths) at worst, no allocation
// beyond the result. graph_test.go keeps the plain map-and-sort ranking
// as the oracle it is checked against.
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
	k := len(terms)
	if k == 0 {
		return nil
	}
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
		if hp != p && len(buckets[c]) < n {
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
