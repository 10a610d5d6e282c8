package review

import (
	"slices"
	"strings"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// vocabulary fills f.Vocabulary: with a configured vocabulary, the causes
// and systems of n it does not list; without one, those no other
// postmortem uses. Each comes with the closest existing slugs.
func (rv *reviewer) vocabulary(f *File, n *postmortem.Postmortem) {
	for _, k := range []struct {
		kind, name string
		vocab      []config.Term
	}{{graph.Causes, "cause", rv.cfg.Causes}, {graph.Systems, "system", rv.cfg.Systems}} {
		tx := rv.g.Taxonomy(k.kind)
		var known []string
		if k.vocab != nil {
			for _, t := range k.vocab {
				known = append(known, t.Slug)
			}
			for _, slug := range graph.DistinctSlugs(n, k.kind) {
				if !slices.Contains(known, slug) {
					f.Vocabulary = append(f.Vocabulary, Vocab{Kind: k.name, Slug: slug, Problem: NotInVocabulary, DidYouMean: suggest(slug, known)})
				}
			}
			continue
		}
		// No vocabulary: the slugs the other postmortems use.
		for _, t := range tx.Terms {
			if len(t.Postmortems) > 1 || len(t.Postmortems) == 1 && t.Postmortems[0] != n {
				known = append(known, t.Slug)
			}
		}
		for _, slug := range graph.DistinctSlugs(n, k.kind) {
			if !slices.Contains(known, slug) {
				f.Vocabulary = append(f.Vocabulary, Vocab{Kind: k.name, Slug: slug, Problem: Unused, DidYouMean: suggest(slug, known)})
			}
		}
	}
}

// suggest returns the slugs of known closest to slug ("did you mean").
func suggest(slug string, known []string) []string {
	return orEmpty(diag.Suggest(slug, known, 3))
}

// context fills f.Context: the other incidents of the last 12 months
// that share n's causes and systems, and the open actions of the other
// postmortems on its systems.
func (rv *reviewer) context(f *File, n *postmortem.Postmortem) {
	c := &f.Context
	now := rv.s.opts.Now
	inWindow := func(q *postmortem.Postmortem) bool {
		return q != n && graph.IsIncident(q) && !q.Started.Before(c.From) && !q.Started.After(now)
	}
	seen := map[*postmortem.Postmortem]bool{}
	for _, k := range []string{graph.Causes, graph.Systems} {
		tx := rv.g.Taxonomy(k)
		for _, slug := range graph.DistinctSlugs(n, k) {
			ct := rv.cfg.Term(k, slug)
			load := TermLoad{Slug: slug, Title: ct.Title, Owner: ct.Owner}
			if t := tx.Term(slug); t != nil {
				for _, q := range t.Postmortems {
					if inWindow(q) {
						load.Incidents++
						seen[q] = true
					}
				}
			}
			if k == graph.Causes {
				c.Causes = append(c.Causes, load)
			} else {
				c.Systems = append(c.Systems, load)
			}
		}
	}
	c.Incidents = len(seen)
	type key struct {
		q *postmortem.Postmortem
		i int
	}
	done := map[key]bool{}
	tx := rv.g.Taxonomy(graph.Systems)
	for _, slug := range graph.DistinctSlugs(n, graph.Systems) {
		t := tx.Term(slug)
		if t == nil {
			continue
		}
		for _, q := range t.Postmortems {
			if q == n {
				continue
			}
			for i, a := range q.Actions {
				if a.IsOpen() && !done[key{q, i}] {
					done[key{q, i}] = true
					x := rv.action(q, a)
					if x.Overdue {
						c.Overdue++
					}
					c.Actions = append(c.Actions, x)
				}
			}
		}
	}
	slices.SortStableFunc(c.Actions, func(a, b Action) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		if (a.Due == "") != (b.Due == "") {
			if a.Due == "" {
				return 1
			}
			return -1
		}
		if x := strings.Compare(a.Due, b.Due); x != 0 {
			return x
		}
		return strings.Compare(a.Of.ID, b.Of.ID)
	})
}
