package graph

import (
	"time"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// buildRecurrences links each incident to the most recent earlier incident
// sharing a root cause and an affected system (SPEC §4); of several
// started at the same time, the first in the graph's order (smallest id).
// It finds each incident's earlier one (recurrenceSources), then makes
// the recurrences and their indexes by position (makeRecurrences).
func (g *Graph) buildRecurrences(ps []*postmortem.Postmortem) {
	source := g.recurrenceSources()
	g.makeRecurrences(source, g.firstDoneOf(ps, source))
}

// firstDoneOf returns, by position, the first done_on of the incidents
// that others recur (see firstDone): they are read in the order of ps,
// where their actions lie, and only they.
func (g *Graph) firstDoneOf(ps []*postmortem.Postmortem, source []int32) []time.Time {
	recurred := make([]bool, len(source))
	for _, e := range source {
		if e >= 0 {
			recurred[e] = true
		}
	}
	out := make([]time.Time, len(source))
	for i, p := range ps {
		if r := g.rank[i]; recurred[r] {
			out[r] = firstDone(p)
		}
	}
	return out
}

// recurrenceSources returns, for each position, the position of the
// incident its incident recurs (-1: none).
//
// An earlier incident shares a cause and a system with a later one when
// it holds one of the later one's (cause, system) pairs. The incidents
// are visited oldest first, and each pair remembers the last incident
// visited that holds it: an incident's recurrence is the newest of the
// incidents its pairs remember. The cost is linear in the pairs (a few
// per incident), however many incidents share a cause without sharing a
// system (their number grows with the KB's systems).
func (g *Graph) recurrenceSources() []int32 {
	causes, systems := kindIndex(Causes), kindIndex(Systems)
	last := map[uint64]int32{} // (cause, system) → position of the newest incident visited
	pairs := func(i int, visit func(key uint64)) {
		for _, c := range g.terms(causes, i) {
			for _, s := range g.terms(systems, i) {
				visit(uint64(c)<<32 | uint64(s))
			}
		}
	}
	source := make([]int32, len(g.Postmortems))
	// Oldest first: positions from the end. The incidents that started at
	// the same time (a run of positions) look up their pairs before any
	// of them is remembered, so that only strictly earlier ones count;
	// the last one remembered of such a run is the first in graph order.
	for hi := len(g.Postmortems) - 1; hi >= 0; {
		lo := hi
		for lo > 0 && g.started[lo-1].Equal(g.started[hi]) {
			lo--
		}
		for i := hi; i >= lo; i-- {
			source[i] = -1
			if !g.incident[i] || g.started[i].IsZero() {
				continue
			}
			best := int32(-1)
			pairs(i, func(key uint64) {
				if e, ok := last[key]; ok && (best < 0 || e < best) {
					best = e
				}
			})
			source[i] = best
		}
		for i := hi; i >= lo; i-- {
			if g.incident[i] && !g.started[i].IsZero() {
				pairs(i, func(key uint64) { last[key] = int32(i) })
			}
		}
		hi = lo - 1
	}
	return source
}

// makeRecurrences makes the recurrence of each position with a source
// (firstDone: that of the sources, see firstDoneOf),
// later incident newest first (by position), all in one array, and
// indexes them by the positions of their later and earlier incidents.
func (g *Graph) makeRecurrences(source []int32, firstDone []time.Time) {
	causes, systems := kindIndex(Causes), kindIndex(Systems)
	n := 0
	g.recurredAt = make([]int32, len(source)+1)
	for _, e := range source {
		if e >= 0 {
			n++
			g.recurredAt[e+1]++
		}
	}
	for r := range source {
		g.recurredAt[r+1] += g.recurredAt[r]
	}
	recs := make([]Recurrence, n)
	if n > 0 {
		g.Recurrences = make([]*Recurrence, n)
	}
	g.recurrenceOf = make([]int32, len(source))
	g.recurredBy = make([]*Recurrence, n)
	next := append([]int32(nil), g.recurredAt[:len(source)]...) // the next free place of each earlier position
	var slugs []string                                          // shared by the recurrences' Causes and Systems
	k := 0
	for l, e := range source {
		g.recurrenceOf[l] = -1
		if e < 0 {
			continue
		}
		rec := &recs[k]
		rec.Earlier, rec.Later = g.Postmortems[e], g.Postmortems[l]
		rec.Causes, slugs = g.shared(causes, int(e), l, slugs)
		rec.Systems, slugs = g.shared(systems, int(e), l, slugs)
		rec.ActionDidNotPrevent = !firstDone[e].IsZero() && firstDone[e].Before(g.started[l])
		g.Recurrences[k] = rec
		g.recurrenceOf[l] = int32(k)
		g.recurredBy[next[e]] = rec
		next[e]++
		k++
	}
}

// shared returns the slugs of taxonomy x that the postmortems at
// positions e and l share, in the order of e's list, carved from the
// front of free (a fresh block when it is too short); and the rest of
// free.
func (g *Graph) shared(x, e, l int, free []string) (out, rest []string) {
	te, tl := g.terms(x, e), g.terms(x, l)
	if len(free) < len(te) {
		free = make([]string, max(len(te), 1024))
	}
	n := 0
	for _, a := range te {
		for _, b := range tl {
			if a == b {
				free[n] = g.Taxonomies[x].Terms[a].Slug
				n++
				break
			}
		}
	}
	return free[:n:n], free[n:]
}

// kindIndex returns the position of kind in kinds (and in Taxonomies).
func kindIndex(kind string) int {
	for i, k := range kinds {
		if k.kind == kind {
			return i
		}
	}
	panic("graph: unknown kind " + kind)
}

// DoneBefore returns the indexes of the earlier incident's actions marked
// done (with done_on) before the later one started: the corrective
// actions that did not prevent it.
func (r *Recurrence) DoneBefore() []int {
	var out []int
	for i := range r.Earlier.Actions {
		if actionDoneBefore(&r.Earlier.Actions[i], r.Later) {
			out = append(out, i)
		}
	}
	return out
}

// firstDone returns the earliest done_on of p's actions marked done
// (zero: none): a recurrence of p is not prevented by a done action (see
// DoneBefore) when it started after that.
func firstDone(p *postmortem.Postmortem) time.Time {
	var first time.Time
	for i := range p.Actions {
		a := &p.Actions[i]
		if doneWithDate(a) && (first.IsZero() || a.DoneOn.Before(first)) {
			first = a.DoneOn
		}
	}
	return first
}

func actionDoneBefore(a *postmortem.Action, later *postmortem.Postmortem) bool {
	return doneWithDate(a) && a.DoneOn.Before(later.Started)
}

// doneWithDate reports whether a is marked done with its done_on.
func doneWithDate(a *postmortem.Action) bool { return a.Status == "done" && !a.DoneOn.IsZero() }

// RecurrenceOf returns the recurrence whose later incident is p, or nil.
func (g *Graph) RecurrenceOf(p *postmortem.Postmortem) *Recurrence {
	if r := g.position(p); r >= 0 && g.recurrenceOf[r] >= 0 {
		return g.Recurrences[g.recurrenceOf[r]]
	}
	return nil
}

// RecurredBy returns the recurrences whose earlier incident is p, later
// incident newest first.
func (g *Graph) RecurredBy(p *postmortem.Postmortem) []*Recurrence {
	r := g.position(p)
	if r < 0 || g.recurredAt[r] == g.recurredAt[r+1] {
		return nil
	}
	return g.recurredBy[g.recurredAt[r]:g.recurredAt[r+1]:g.recurredAt[r+1]]
}
