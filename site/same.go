package site

import (
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// same returns up to n other postmortems sharing terms of kind with p,
// ranked by how many they share, then by recency: graph.Same's order,
// computed without a map or a sort.
//
// Every term's list is in the graph's order (newest first), so a k-way
// merge meets each postmortem's occurrences together and knows its shared
// count at once. Candidates go into one bucket per count (each capped at
// n); the merge stops as soon as the bucket of the highest possible count
// is full, since nothing older can outrank it. Cost: O(Σ list lengths)
// at worst, no allocation beyond the result.
func same(g *graph.Graph, ranks map[*graph.Term][]int32, p *postmortem.Postmortem, kind string, n int) []graph.Ref {
	tx := g.Taxonomy(kind)
	if tx == nil || n <= 0 {
		return nil
	}
	var slugs []string
	var lists [][]*postmortem.Postmortem
	var rlists [][]int32
	for _, s := range graph.Slugs(p, kind) {
		dup := false
		for _, x := range slugs {
			if x == s {
				dup = true
			}
		}
		if t := tx.Term(s); t != nil && !dup {
			slugs = append(slugs, s)
			lists = append(lists, t.Postmortems)
			r := ranks[t]
			if r == nil {
				r = termRanks(g, t)
			}
			rlists = append(rlists, r)
		}
	}
	k := len(lists)
	if k == 0 {
		return nil
	}
	pos := make([]int, k)
	buckets := make([][]graph.Ref, k+1)
	for {
		// The newest head among the lists (lowest rank).
		head := int32(-1)
		for i, r := range rlists {
			if pos[i] < len(r) && (head < 0 || r[pos[i]] < head) {
				head = r[pos[i]]
			}
		}
		if head < 0 {
			break
		}
		c := 0
		var hp *postmortem.Postmortem
		for i, r := range rlists {
			if pos[i] < len(r) && r[pos[i]] == head {
				hp = lists[i][pos[i]]
				c++
			}
		}
		if hp != p && len(buckets[c]) < n {
			shared := make([]string, 0, c)
			for i, r := range rlists {
				if pos[i] < len(r) && r[pos[i]] == head {
					shared = append(shared, slugs[i])
				}
			}
			buckets[c] = append(buckets[c], graph.Ref{P: hp, Shared: shared})
		}
		for i, r := range rlists {
			if pos[i] < len(r) && r[pos[i]] == head {
				pos[i]++
			}
		}
		if len(buckets[k]) == n {
			break
		}
	}
	out := make([]graph.Ref, 0, n)
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

// newerPM is the graph's order: later Started first, then id.
func newerPM(a, b *postmortem.Postmortem) bool {
	if !a.Started.Equal(b.Started) {
		return a.Started.After(b.Started)
	}
	return a.ID < b.ID
}

// termRanks returns the positions in g.Postmortems of a term's
// postmortems (the lists share the graph's order, so ranks ascend).
func termRanks(g *graph.Graph, t *graph.Term) []int32 {
	idx := make(map[*postmortem.Postmortem]int32, len(g.Postmortems))
	for i, p := range g.Postmortems {
		idx[p] = int32(i)
	}
	return ranksWith(idx, t)
}

func ranksWith(idx map[*postmortem.Postmortem]int32, t *graph.Term) []int32 {
	r := make([]int32, len(t.Postmortems))
	for i, p := range t.Postmortems {
		r[i] = idx[p]
	}
	return r
}

// allTermRanks precomputes termRanks for every term of every taxonomy.
func allTermRanks(g *graph.Graph) map[*graph.Term][]int32 {
	idx := make(map[*postmortem.Postmortem]int32, len(g.Postmortems))
	for i, p := range g.Postmortems {
		idx[p] = int32(i)
	}
	out := map[*graph.Term][]int32{}
	for _, tx := range g.Taxonomies {
		for _, t := range tx.Terms {
			out[t] = ranksWith(idx, t)
		}
	}
	return out
}
