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
func same(g *graph.Graph, p *postmortem.Postmortem, kind string, n int) []graph.Ref {
	tx := g.Taxonomy(kind)
	if tx == nil || n <= 0 {
		return nil
	}
	var slugs []string
	var lists [][]*postmortem.Postmortem
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
		}
	}
	k := len(lists)
	if k == 0 {
		return nil
	}
	pos := make([]int, k)
	buckets := make([][]graph.Ref, k+1)
	for {
		// The newest head among the lists.
		var head *postmortem.Postmortem
		for i, l := range lists {
			if pos[i] < len(l) && (head == nil || newerPM(l[pos[i]], head)) {
				head = l[pos[i]]
			}
		}
		if head == nil {
			break
		}
		var shared []string
		for i, l := range lists {
			if pos[i] < len(l) && l[pos[i]] == head {
				shared = append(shared, slugs[i])
				pos[i]++
			}
		}
		c := len(shared)
		if head != p && len(buckets[c]) < n {
			buckets[c] = append(buckets[c], graph.Ref{P: head, Shared: shared})
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
