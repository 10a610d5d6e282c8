package graph

import (
	"slices"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// buildTaxonomies makes the four taxonomies of ps in four steps: number
// the terms as met (one pass over ps), sort them, list each term's
// postmortems, and count the terms that co-occur with each.
//
// The terms are numbered in their taxonomy (g.met) so that every step
// after the first works on small integers: a postmortem's slugs are read
// and hashed once, and no step keeps a table as large as the product of
// two taxonomies.
func (g *Graph) buildTaxonomies(ps []*postmortem.Postmortem, cfg *config.Config) {
	counts := g.numberTerms(ps, cfg)
	for x := range g.Taxonomies {
		g.sortTerms(x, counts[x])
	}
	g.listTerms()
	g.listPairs()
	g.coOccurrence()
}

// numberTerms makes the taxonomies' terms in the order they are met in
// ps and fills g.met and g.metAt with their numbers. It returns, per
// taxonomy, how many postmortems name each term (by number).
func (g *Graph) numberTerms(ps []*postmortem.Postmortem, cfg *config.Config) [][]int32 {
	g.met = make([][]int32, len(kinds))
	g.metAt = make([][]int32, len(kinds))
	counts := make([][]int32, len(kinds))
	num := make([]map[string]int32, len(kinds)) // slug → number, per taxonomy
	g.Taxonomies = make([]*Taxonomy, len(kinds))
	for x, k := range kinds {
		g.Taxonomies[x] = &Taxonomy{Kind: k.kind, Title: k.title, Singular: k.singular}
		g.met[x] = make([]int32, 0, 2*len(ps)) // a few terms each
		g.metAt[x] = make([]int32, 0, len(ps)+1)
		num[x] = map[string]int32{}
	}
	for _, p := range ps { // in memory order (see Build)
		for x, k := range kinds {
			tx := g.Taxonomies[x]
			g.metAt[x] = append(g.metAt[x], int32(len(g.met[x])))
			for _, slug := range dedupe(Slugs(p, k.kind)) {
				n, ok := num[x][slug]
				if !ok {
					n = int32(len(tx.Terms))
					num[x][slug] = n
					tx.Terms = append(tx.Terms, newTerm(k.kind, slug, cfg))
					counts[x] = append(counts[x], 0)
				}
				counts[x][n]++
				g.met[x] = append(g.met[x], n)
			}
		}
	}
	for x := range kinds {
		g.metAt[x] = append(g.metAt[x], int32(len(g.met[x])))
	}
	return counts
}

// newTerm returns the term of kind and slug, titled from the vocabulary
// of cfg (causes and systems) or from the slug.
func newTerm(kind, slug string, cfg *config.Config) *Term {
	t := &Term{Kind: kind, Slug: slug, CoOccurs: map[string][]TermCount{}}
	switch kind {
	case Causes, Systems:
		ct := cfg.Term(kind, slug)
		t.Title, t.Description, t.Owner = ct.Title, ct.Description, ct.Owner
	case Techniques:
		t.Title = slug
	default:
		t.Title = config.TitleFromSlug(slug)
	}
	return t
}

// sortTerms sorts the terms of taxonomy x by count (descending), then
// slug, renumbers g.met[x] to match and indexes the terms by slug.
// count[n] is the count of term number n as met.
func (g *Graph) sortTerms(x int, count []int32) {
	tx := g.Taxonomies[x]
	byMet := make([]int32, len(tx.Terms)) // sorted position → number as met
	for n := range byMet {
		byMet[n] = int32(n)
	}
	slices.SortFunc(byMet, func(a, b int32) int {
		if count[a] != count[b] {
			return int(count[b] - count[a])
		}
		return strings.Compare(tx.Terms[a].Slug, tx.Terms[b].Slug)
	})
	terms := make([]*Term, len(tx.Terms))
	sorted := make([]int32, len(tx.Terms)) // number as met → sorted position
	tx.bySlug = make(map[string]*Term, len(tx.Terms))
	for i, n := range byMet {
		t := tx.Terms[n]
		terms[i], sorted[n], t.n = t, int32(i), int32(i)
		tx.bySlug[t.Slug] = t
		// Sized once: the lists are filled by listTerms.
		t.Postmortems = make([]*postmortem.Postmortem, 0, count[n])
		t.ranks = make([]int32, 0, count[n])
	}
	tx.Terms = terms
	for j, n := range g.met[x] {
		g.met[x][j] = sorted[n]
	}
}

// seen accumulates the earliest and latest Started of a term's
// postmortems (see Term.FirstSeen).
type seen struct{ first, last time.Time }

func (s *seen) add(t time.Time) {
	if s.first.IsZero() || t.Before(s.first) {
		s.first = t
	}
	if t.After(s.last) {
		s.last = t
	}
}

// listTerms fills each term's postmortems in the graph's order (newest
// first) with their incident and drill counts and first and last seen:
// those of its incidents, or of all its postmortems when it has no
// incident.
func (g *Graph) listTerms() {
	all := make([][]seen, len(g.Taxonomies))
	inc := make([][]seen, len(g.Taxonomies))
	for x, tx := range g.Taxonomies {
		all[x] = make([]seen, len(tx.Terms))
		inc[x] = make([]seen, len(tx.Terms))
	}
	for r, p := range g.Postmortems {
		started := g.started[r]
		for x, tx := range g.Taxonomies {
			for _, n := range g.terms(x, r) {
				t := tx.Terms[n]
				t.Postmortems = append(t.Postmortems, p)
				t.ranks = append(t.ranks, int32(r))
				if g.drill[r] {
					t.Drills++
				} else if !g.draft[r] {
					t.Incidents++
				}
				if started.IsZero() {
					continue
				}
				all[x][n].add(started)
				if g.incident[r] {
					inc[x][n].add(started)
				}
			}
		}
	}
	for x, tx := range g.Taxonomies {
		for n, t := range tx.Terms {
			s := all[x][n]
			if t.Incidents > 0 {
				s = inc[x][n]
			}
			t.FirstSeen, t.LastSeen = s.first, s.last
		}
	}
}

// coOccurrence lists, for each term, the terms of the other taxonomies
// in its postmortems, most frequent first. One counter per term of the
// other taxonomy is reused from term to term: the memory is the size of
// the taxonomies, not of their product, and the time that of the
// (term, term) pairs of each postmortem.
func (g *Graph) coOccurrence() {
	count := make([][]int32, len(g.Taxonomies)) // per taxonomy y, per term of y
	touched := make([][]int32, len(g.Taxonomies))
	for y, ty := range g.Taxonomies {
		count[y] = make([]int32, len(ty.Terms))
	}
	for x, tx := range g.Taxonomies {
		for _, t := range tx.Terms {
			for _, r := range t.ranks {
				for y := range g.Taxonomies {
					if y == x {
						continue
					}
					for _, j := range g.terms(y, int(r)) {
						if count[y][j] == 0 {
							touched[y] = append(touched[y], j)
						}
						count[y][j]++
					}
				}
			}
			for y, other := range g.Taxonomies {
				if y == x || len(touched[y]) == 0 {
					continue
				}
				tcs := make([]TermCount, len(touched[y]))
				for i, j := range touched[y] {
					tcs[i] = TermCount{Term: other.Terms[j], Count: int(count[y][j])}
					count[y][j] = 0
				}
				touched[y] = touched[y][:0]
				slices.SortFunc(tcs, func(a, b TermCount) int {
					if a.Count != b.Count {
						return b.Count - a.Count
					}
					return strings.Compare(a.Term.Slug, b.Term.Slug)
				})
				t.CoOccurs[other.Kind] = tcs
			}
		}
	}
}
