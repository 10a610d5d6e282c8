package graph

import (
	"math/bits"
	"slices"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Same returns up to n other postmortems sharing terms of kind with p,
// ranked by how many they share, then by recency (the graph's order). It
// is safe to call from many goroutines. Its cost does not grow with the
// KB (rankShared): at 100,000 postmortems, walking every term's whole
// list for each of them took ×32 the time of 10,000.
func (g *Graph) Same(p *postmortem.Postmortem, kind string, n int) []Ref {
	tx := g.Taxonomy(kind)
	if tx == nil || n <= 0 {
		return nil
	}
	var slugs []string
	var terms []*Term
	for _, s := range DistinctSlugs(p, kind) {
		if t := tx.Term(s); t != nil {
			slugs = append(slugs, s)
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return nil
	}
	// A postmortem names at most postmortem.MaxNames terms of a kind (its
	// parser leaves the rest out), so that each fits a bit of a mask
	// (rankShared); a postmortem made otherwise shares its first 64.
	if len(terms) > 64 {
		slugs, terms = slugs[:64], terms[:64]
	}
	// The ranking of the terms, of which p's are the n that are not p.
	out := make([]Ref, 0, n)
	for _, r := range g.rankShared(kindIndex(kind), slugs, terms, n+1) {
		if r.P != p && len(out) < n {
			out = append(out, r)
		}
	}
	return out
}

// pairTerms is the most terms rankShared reads through the lists of
// their pairs (28 lists); a postmortem naming more (up to
// postmortem.MaxNames, 64: 2,016 pairs) is ranked by one merge of its
// terms' own lists.
const pairTerms = 8

// rankShared returns up to n postmortems holding any of terms (their
// slugs; of taxonomy x), ranked by how many they hold, then in the
// graph's order.
//
// Every list is in the graph's order (newest first), so a k-way merge
// meets each postmortem's occurrences together and knows its count at
// once, without a map or a sort. A postmortem holding two of the terms or
// more is in the list of one of their pairs (g.pairs), which are short:
// the first merge, over the pairs' lists, fills one bucket per count and
// stops as soon as the bucket of all the terms is full, since nothing
// older can outrank it. The second, over the terms' own lists, is only
// for a result still short: it takes the newest postmortems holding one
// term (met in one list at a time) until the result is full. Cost: the
// pairs' lists at most, and n postmortems of the terms' lists, where one
// merge over the terms' whole lists grew with the KB's square (it is
// still the way for more than pairTerms terms). same_test.go keeps the
// plain map-and-sort ranking as the oracle Same is checked against.
func (g *Graph) rankShared(x int, slugs []string, terms []*Term, n int) []Ref {
	k := len(terms)
	buckets := make([][]Ref, k+1)
	add := func(r int32, mask uint64) {
		if c := bits.OnesCount64(mask); len(buckets[c]) < n {
			shared := make([]string, 0, c)
			for i, s := range slugs {
				if mask&(1<<i) != 0 {
					shared = append(shared, s)
				}
			}
			buckets[c] = append(buckets[c], Ref{P: g.Postmortems[r], Shared: shared})
		}
	}
	singles := make([][]int32, k)
	for i, t := range terms {
		singles[i] = t.ranks
	}
	if k > pairTerms {
		merge(singles, func(r int32, in []int) bool {
			var mask uint64
			for _, i := range in {
				mask |= 1 << i
			}
			add(r, mask)
			return len(buckets[k]) < n
		})
		return firstOf(buckets, 1, n)
	}
	// The pairs' lists, with the terms of each (bits i and j), and last
	// the postmortems with too many terms for theirs to be listed.
	tp := g.pairs[x]
	var lists [][]int32
	var masks []uint64
	for i, a := range terms {
		for j := i + 1; j < k; j++ {
			if l := tp.lists[pairKey(a.n, terms[j].n)]; len(l) > 0 {
				lists = append(lists, l)
				masks = append(masks, uint64(1)<<i|uint64(1)<<j)
			}
		}
	}
	wide := len(lists)
	lists = append(lists, tp.wide)
	merge(lists, func(r int32, in []int) bool {
		var mask uint64
		for _, i := range in {
			if i < wide {
				mask |= masks[i]
				continue
			}
			for b, t := range terms {
				if slices.Contains(tp.wideTerms[r], t.n) {
					mask |= 1 << b
				}
			}
		}
		add(r, mask) // buckets[1] is the second merge's: not read
		return len(buckets[k]) < n
	})
	out := firstOf(buckets, 2, n)
	if len(out) == n {
		return out
	}
	merge(singles, func(r int32, in []int) bool {
		if len(in) == 1 {
			i := in[0]
			out = append(out, Ref{P: g.Postmortems[r], Shared: slugs[i : i+1 : i+1]})
		}
		return len(out) < n
	})
	return out
}

// firstOf returns up to n of buckets[c] for c from the last down to
// least, in that order.
func firstOf(buckets [][]Ref, least, n int) []Ref {
	out := make([]Ref, 0, n)
	for c := len(buckets) - 1; c >= least && len(out) < n; c-- {
		out = append(out, buckets[c][:min(len(buckets[c]), n-len(out))]...)
	}
	return out
}

// merge calls fn with each position in lists (ascending, each list in
// order and without repeats), newest first, and the lists holding it,
// until fn returns false.
func merge(lists [][]int32, fn func(r int32, in []int) bool) {
	pos := make([]int, len(lists))
	var in []int
	for {
		head := int32(-1)
		for i, l := range lists {
			if pos[i] < len(l) && (head < 0 || l[pos[i]] < head) {
				head = l[pos[i]]
			}
		}
		if head < 0 {
			return
		}
		in = in[:0]
		for i, l := range lists {
			if pos[i] < len(l) && l[pos[i]] == head {
				in = append(in, i)
				pos[i]++
			}
		}
		if !fn(head, in) {
			return
		}
	}
}

// pairKey is the key in Graph.pairs of the terms numbered a and b.
func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(uint32(b))
}

// listPairs fills g.pairs: for each taxonomy, the positions (ascending)
// of the postmortems naming each pair of its terms, and those naming more
// than pairTerms terms (wide), whose pairs are not listed: up to 2,016
// each, a list of them would make a few kilobytes of front matter tens of
// kilobytes of memory.
func (g *Graph) listPairs() {
	g.pairs = make([]termPairs, len(g.Taxonomies))
	for x := range g.Taxonomies {
		tp := termPairs{lists: map[uint64][]int32{}, wideTerms: map[int32][]int32{}}
		for r := range g.Postmortems {
			ts := g.terms(x, r)
			if len(ts) > pairTerms {
				tp.wide = append(tp.wide, int32(r))
				tp.wideTerms[int32(r)] = slices.Clone(ts)
				continue
			}
			for i, a := range ts {
				for _, b := range ts[i+1:] {
					k := pairKey(a, b)
					tp.lists[k] = append(tp.lists[k], int32(r))
				}
			}
		}
		g.pairs[x] = tp
	}
}

// termPairs are the pair lists of one taxonomy (listPairs).
type termPairs struct {
	lists     map[uint64][]int32 // by pairKey
	wide      []int32            // the postmortems naming more than pairTerms terms
	wideTerms map[int32][]int32  // their terms' numbers
}
