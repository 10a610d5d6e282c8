package graph

import (
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Taxonomy kinds, also the URL folders of their pages.
const (
	Causes     = "causes"
	Systems    = "systems"
	Data       = "data"
	Techniques = "techniques"
)

// Kinds lists the taxonomies in display order.
var kinds = []struct{ kind, title, singular string }{
	{Causes, "Root causes", "Root cause"},
	{Systems, "Affected systems", "System"},
	{Data, "Data involved", "Data"},
	{Techniques, "ATT&CK techniques", "Technique"},
}

// Graph holds every cross-link of one set of postmortems (the ones a build
// publishes).
type Graph struct {
	// Postmortems are the input, sorted by Started, newest first (ties by
	// id).
	Postmortems []*postmortem.Postmortem
	byID        map[string]*postmortem.Postmortem
	// Taxonomies in display order: causes, systems, data, techniques.
	Taxonomies []*Taxonomy
	related    map[*postmortem.Postmortem][]*postmortem.Postmortem
	backlinks  map[*postmortem.Postmortem][]*postmortem.Postmortem
	// Recurrences lists every recurrence pair, later incident newest first.
	Recurrences  []*Recurrence
	recurrenceOf map[*postmortem.Postmortem]*Recurrence
	recurredBy   map[*postmortem.Postmortem][]*Recurrence

	// What the cross-links read of each postmortem, by its position in
	// Postmortems, side by side in memory: at 100,000 postmortems a
	// field read through each *Postmortem is a cache miss (scratch of
	// Build, dropped when it returns).
	//
	// order[r] is the index in Build's input of the postmortem at
	// position r, rank the reverse; started, incident, drill and draft
	// are by position.
	order, rank            []int32
	started                []time.Time
	incident, drill, draft []bool
	// met[x] holds the numbers (positions in Taxonomies[x].Terms) of the
	// terms of taxonomy x of each postmortem, by input index: those of
	// input i are met[x][metAt[x][i]:metAt[x][i+1]].
	met, metAt [][]int32
}

// terms returns the numbers of the terms of taxonomy x of the postmortem
// at position r (during Build).
func (g *Graph) terms(x, r int) []int32 { return g.termsIn(x, int(g.order[r])) }

// termsIn returns the numbers of the terms of taxonomy x of the
// postmortem at index i of Build's input.
func (g *Graph) termsIn(x, i int) []int32 { return g.met[x][g.metAt[x][i]:g.metAt[x][i+1]] }

// Taxonomy is one of the four cross-link dimensions.
type Taxonomy struct {
	// Kind is "causes", "systems", "data" or "techniques".
	Kind     string
	Title    string
	Singular string
	// Terms sorted by count (descending), then slug.
	Terms  []*Term
	bySlug map[string]*Term
}

// Term returns the term for slug, or nil.
func (t *Taxonomy) Term(slug string) *Term { return t.bySlug[slug] }

// Term is one cause, system, data kind or technique, with the postmortems
// that name it.
type Term struct {
	Kind        string
	Slug        string
	Title       string
	Description string
	// Owner is the owning team (systems in the vocabulary).
	Owner string
	// Postmortems naming the term, newest first.
	Postmortems []*postmortem.Postmortem
	// ranks holds the position in Graph.Postmortems of each of
	// Postmortems (ascending, as both lists share the graph's order).
	ranks []int32
	// Incidents counts the postmortems that are neither drafts nor drills.
	Incidents int
	Drills    int
	// FirstSeen and LastSeen are the earliest and latest Started of the
	// incidents (drills excluded when there are incidents).
	FirstSeen, LastSeen time.Time
	// CoOccurs lists, per other taxonomy kind, the terms that appear in
	// the same postmortems, most frequent first.
	CoOccurs map[string][]TermCount
}

// URL returns the term page's site-relative URL, e.g. "causes/dns/".
func (t *Term) URL() string { return t.Kind + "/" + t.Slug + "/" }

// TermCount is a term and how often it co-occurs.
type TermCount struct {
	Term  *Term
	Count int
}

// Recurrence links an incident to the most recent earlier incident that
// shares at least one root cause and one affected system with it.
type Recurrence struct {
	Earlier, Later *postmortem.Postmortem
	Causes         []string
	Systems        []string
	// ActionDidNotPrevent is true when the earlier incident had an action
	// marked done (with done_on) before the later one started.
	ActionDidNotPrevent bool
}

// Ref is a postmortem in a ranked list, with how much it shares.
type Ref struct {
	P *postmortem.Postmortem
	// Shared lists the slugs shared with the page's postmortem.
	Shared []string
}

// IsIncident reports whether p counts as an incident for recurrences and
// metrics: not a draft and not a drill.
func IsIncident(p *postmortem.Postmortem) bool { return !p.IsDraft() && !p.Drill }

// Build computes the graph of ps (the postmortems one build publishes).
//
// The postmortems are read in the order of ps, which is the order of
// their files and mostly of their memory, and what the later steps need
// of each is copied into arrays by its place in the graph's order
// (newest first): at 100,000 postmortems, visiting them in that order
// through their pointers would jump about a heap of several GB at every
// step.
func Build(ps []*postmortem.Postmortem, cfg *config.Config) *Graph {
	g := &Graph{
		byID:         make(map[string]*postmortem.Postmortem, len(ps)),
		related:      map[*postmortem.Postmortem][]*postmortem.Postmortem{},
		backlinks:    map[*postmortem.Postmortem][]*postmortem.Postmortem{},
		recurrenceOf: map[*postmortem.Postmortem]*Recurrence{},
		recurredBy:   map[*postmortem.Postmortem][]*Recurrence{},
	}
	g.order = newestFirst(ps)
	g.Postmortems = make([]*postmortem.Postmortem, len(ps))
	g.rank = make([]int32, len(ps))
	for r, i := range g.order {
		g.Postmortems[r] = ps[i]
		g.rank[i] = int32(r)
	}
	g.started = make([]time.Time, len(ps))
	g.incident = make([]bool, len(ps))
	g.drill = make([]bool, len(ps))
	g.draft = make([]bool, len(ps))
	firstID := make(map[string]int32, len(ps)) // the lowest rank of each id
	for i, p := range ps {
		r := g.rank[i]
		g.started[r], g.incident[r], g.drill[r], g.draft[r] = p.Started, IsIncident(p), p.Drill, p.IsDraft()
		if q, dup := firstID[p.URLID()]; !dup || r < q {
			firstID[p.URLID()] = r
		}
	}
	for id, r := range firstID {
		g.byID[id] = g.Postmortems[r]
	}
	g.buildTaxonomies(ps, cfg)
	g.buildLinks(ps)
	g.buildRecurrences()
	g.order, g.rank, g.started, g.incident, g.drill, g.draft, g.met, g.metAt = nil, nil, nil, nil, nil, nil, nil, nil
	return g
}

// newestFirst returns the indexes of ps in the order of Postmortem.Newer,
// stable. The keys are copied out before sorting, so that the n log n
// comparisons read them side by side rather than through each pointer.
func newestFirst(ps []*postmortem.Postmortem) []int32 {
	type key struct {
		started time.Time
		id      string
		i       int32
	}
	keys := make([]key, len(ps))
	for i, p := range ps {
		keys[i] = key{p.Started, p.ID, int32(i)}
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		if c := b.started.Compare(a.started); c != 0 {
			return c // the later first
		}
		return strings.Compare(a.id, b.id)
	})
	out := make([]int32, len(ps))
	for r, k := range keys {
		out[r] = k.i
	}
	return out
}

// Get returns the postmortem with id (case-insensitive), or nil.
func (g *Graph) Get(id string) *postmortem.Postmortem { return g.byID[strings.ToLower(id)] }

// Taxonomy returns the taxonomy of kind, or nil.
func (g *Graph) Taxonomy(kind string) *Taxonomy {
	for _, t := range g.Taxonomies {
		if t.Kind == kind {
			return t
		}
	}
	return nil
}

// Slugs returns the slugs p has in a taxonomy kind.
func Slugs(p *postmortem.Postmortem, kind string) []string {
	switch kind {
	case Causes:
		return p.RootCauses
	case Systems:
		return p.Systems
	case Data:
		return p.DataInvolved
	case Techniques:
		return p.AttackTechniques
	}
	return nil
}

func (g *Graph) buildTaxonomies(ps []*postmortem.Postmortem, cfg *config.Config) {
	// met[x] lists the terms of taxonomy x of each postmortem in turn
	// (see Graph.met), numbered as first met, then renumbered once the
	// terms are sorted: the term lists, the co-occurrence count below and
	// the recurrences read them instead of looking each slug up again.
	met := make([][]int32, len(kinds))
	metAt := make([][]int32, len(kinds))
	g.met, g.metAt = met, metAt
	for x, k := range kinds {
		tx := &Taxonomy{Kind: k.kind, Title: k.title, Singular: k.singular, bySlug: map[string]*Term{}}
		metAt[x] = make([]int32, 0, len(ps)+1)
		byNum := map[*Term]int32{}
		for _, p := range ps { // in memory order (see Build)
			metAt[x] = append(metAt[x], int32(len(met[x])))
			for _, slug := range dedupe(Slugs(p, k.kind)) {
				t := tx.bySlug[slug]
				if t == nil {
					t = &Term{Kind: k.kind, Slug: slug, CoOccurs: map[string][]TermCount{}}
					switch k.kind {
					case Causes, Systems:
						ct := cfg.Term(k.kind, slug)
						t.Title, t.Description, t.Owner = ct.Title, ct.Description, ct.Owner
					case Techniques:
						t.Title = slug
					default:
						t.Title = config.TitleFromSlug(slug)
					}
					tx.bySlug[slug] = t
					byNum[t] = int32(len(tx.Terms))
					tx.Terms = append(tx.Terms, t)
				}
				met[x] = append(met[x], byNum[t])
			}
		}
		metAt[x] = append(metAt[x], int32(len(met[x])))
		// The term lists in the graph's order (newest first).
		for r, p := range g.Postmortems {
			for _, n := range g.terms(x, r) {
				t := tx.Terms[n]
				t.Postmortems = append(t.Postmortems, p)
				t.ranks = append(t.ranks, int32(r))
				if g.drill[r] {
					t.Drills++
				} else if !g.draft[r] {
					t.Incidents++
				}
			}
		}
		for _, t := range tx.Terms {
			for _, r := range t.ranks {
				started := g.started[r]
				if started.IsZero() || (t.Incidents > 0 && !g.incident[r]) {
					continue
				}
				if t.FirstSeen.IsZero() || started.Before(t.FirstSeen) {
					t.FirstSeen = started
				}
				if started.After(t.LastSeen) {
					t.LastSeen = started
				}
			}
		}
		// Numbered as met, then sorted: sorted[n] is where term n went.
		sorted := make([]int32, len(tx.Terms))
		sort.SliceStable(tx.Terms, func(i, j int) bool {
			a, b := tx.Terms[i], tx.Terms[j]
			if len(a.Postmortems) != len(b.Postmortems) {
				return len(a.Postmortems) > len(b.Postmortems)
			}
			return a.Slug < b.Slug
		})
		for i, t := range tx.Terms {
			sorted[byNum[t]] = int32(i)
		}
		for j, n := range met[x] {
			met[x][j] = sorted[n]
		}
		g.Taxonomies = append(g.Taxonomies, tx)
	}
	// Co-occurrence: for each term, count the terms of the other kinds in
	// its postmortems. Terms are numbered in their taxonomy, so the
	// counting is slice increments, not map lookups (serve redoes this on
	// every change).
	// counts[x][i][y] counts, for term i of taxonomy x, the terms of
	// taxonomy y (by number) in its postmortems.
	counts := make([][][][]int32, len(g.Taxonomies))
	for x, tx := range g.Taxonomies {
		counts[x] = make([][][]int32, len(tx.Terms))
		for i := range tx.Terms {
			counts[x][i] = make([][]int32, len(g.Taxonomies))
			for y, other := range g.Taxonomies {
				if y != x {
					counts[x][i][y] = make([]int32, len(other.Terms))
				}
			}
		}
	}
	terms := make([][]int32, len(g.Taxonomies)) // this postmortem's term numbers per taxonomy
	for i := range ps {
		for x := range g.Taxonomies {
			terms[x] = g.termsIn(x, i)
		}
		for x := range g.Taxonomies {
			for _, i := range terms[x] {
				for y := range g.Taxonomies {
					if y == x {
						continue
					}
					c := counts[x][i][y]
					for _, j := range terms[y] {
						c[j]++
					}
				}
			}
		}
	}
	for x, tx := range g.Taxonomies {
		for i, t := range tx.Terms {
			for y, other := range g.Taxonomies {
				if y == x {
					continue
				}
				var tcs []TermCount
				for j, n := range counts[x][i][y] {
					if n > 0 {
						tcs = append(tcs, TermCount{Term: other.Terms[j], Count: int(n)})
					}
				}
				sort.Slice(tcs, func(i, j int) bool {
					if tcs[i].Count != tcs[j].Count {
						return tcs[i].Count > tcs[j].Count
					}
					return tcs[i].Term.Slug < tcs[j].Term.Slug
				})
				if len(tcs) > 0 {
					t.CoOccurs[other.Kind] = tcs
				}
			}
		}
	}
}

func dedupe(ss []string) []string {
	// Lists are short (a few slugs): check pairs, and return the list
	// itself when it has no duplicate, which is almost always.
	dup := false
	for i := 1; i < len(ss) && !dup; i++ {
		for j := 0; j < i; j++ {
			if ss[i] == ss[j] {
				dup = true
				break
			}
		}
	}
	if !dup {
		return ss
	}
	out := make([]string, 0, len(ss))
	for i, s := range ss {
		seen := false
		for _, x := range ss[:i] {
			if x == s {
				seen = true
				break
			}
		}
		if !seen {
			out = append(out, s)
		}
	}
	return out
}

// buildLinks resolves related ids and body links into explicit links and
// backlinks. It reads ps in Build's order (see Build): the lists it makes
// do not depend on it (related ids keep their order, back links are
// sorted).
func (g *Graph) buildLinks(ps []*postmortem.Postmortem) {
	byPath := make(map[string]*postmortem.Postmortem, len(ps))
	for _, p := range ps {
		byPath[p.Path] = p
	}
	addBack := func(to, from *postmortem.Postmortem) {
		for _, x := range g.backlinks[to] {
			if x == from {
				return
			}
		}
		g.backlinks[to] = append(g.backlinks[to], from)
	}
	for _, p := range ps {
		for _, id := range p.Related {
			if q := g.Get(id); q != nil && q != p {
				g.related[p] = append(g.related[p], q)
				addBack(q, p)
			}
		}
		for _, l := range p.Body.Links {
			target, _, ok := kb.Target(p.Path, l.Dest)
			if !ok || path.Ext(target) == "" {
				continue
			}
			if q := byPath[target]; q != nil && q != p {
				addBack(q, p)
			}
		}
	}
	for _, bl := range g.backlinks {
		sort.SliceStable(bl, func(i, j int) bool { return bl[i].Newer(bl[j]) })
	}
}

// Related returns the postmortems p lists in related (those that exist in
// the graph).
func (g *Graph) Related(p *postmortem.Postmortem) []*postmortem.Postmortem { return g.related[p] }

// Backlinks returns the postmortems that list p in related or link to it
// from their body, newest first.
func (g *Graph) Backlinks(p *postmortem.Postmortem) []*postmortem.Postmortem { return g.backlinks[p] }

// buildRecurrences links each incident to the most recent earlier incident
// sharing a root cause and an affected system (SPEC §4); of several
// started at the same time, the first in the graph's order (smallest id).
//
// An earlier incident shares a cause and a system with a later one when
// it holds one of the later one's (cause, system) pairs. The incidents
// are visited oldest first, and each pair remembers the last incident
// visited that holds it: an incident's recurrence is the newest of the
// incidents its pairs remember. The cost is linear in the pairs (a few
// per incident), however many incidents share a cause without sharing a
// system (their number grows with the KB's systems).
func (g *Graph) buildRecurrences() {
	causes, systems := kindIndex(Causes), kindIndex(Systems)
	last := map[uint64]int32{} // (cause, system) → position of the newest incident visited
	pairs := func(i int, visit func(key uint64)) {
		for _, c := range g.terms(causes, i) {
			for _, s := range g.terms(systems, i) {
				visit(uint64(c)<<32 | uint64(s))
			}
		}
	}
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
			if !g.incident[i] || g.started[i].IsZero() {
				continue
			}
			best := int32(-1)
			pairs(i, func(key uint64) {
				if e, ok := last[key]; ok && (best < 0 || e < best) {
					best = e
				}
			})
			if best >= 0 {
				g.addRecurrence(g.Postmortems[best], g.Postmortems[i])
			}
		}
		for i := hi; i >= lo; i-- {
			if g.incident[i] && !g.started[i].IsZero() {
				pairs(i, func(key uint64) { last[key] = int32(i) })
			}
		}
		hi = lo - 1
	}
	// Visited oldest first; listed later incident newest first.
	slices.Reverse(g.Recurrences)
	for _, rs := range g.recurredBy {
		slices.Reverse(rs)
	}
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

// addRecurrence records that later recurs earlier.
func (g *Graph) addRecurrence(earlier, later *postmortem.Postmortem) {
	rec := &Recurrence{
		Earlier: earlier, Later: later,
		Causes:  intersect(earlier.RootCauses, later.RootCauses),
		Systems: intersect(earlier.Systems, later.Systems),
	}
	rec.ActionDidNotPrevent = len(rec.DoneBefore()) > 0
	g.Recurrences = append(g.Recurrences, rec)
	g.recurrenceOf[later] = rec
	g.recurredBy[earlier] = append(g.recurredBy[earlier], rec)
}

// DoneBefore returns the indexes of the earlier incident's actions marked
// done (with done_on) before the later one started: the corrective
// actions that did not prevent it.
func (r *Recurrence) DoneBefore() []int {
	var out []int
	for i, a := range r.Earlier.Actions {
		if a.Status == "done" && !a.DoneOn.IsZero() && a.DoneOn.Before(r.Later.Started) {
			out = append(out, i)
		}
	}
	return out
}

// RecurrenceOf returns the recurrence whose later incident is p, or nil.
func (g *Graph) RecurrenceOf(p *postmortem.Postmortem) *Recurrence { return g.recurrenceOf[p] }

// RecurredBy returns the recurrences whose earlier incident is p.
func (g *Graph) RecurredBy(p *postmortem.Postmortem) []*Recurrence { return g.recurredBy[p] }

// shares reports whether a and b have an element in common (intersect
// without the allocation, for loops).
func shares(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range dedupe(a) {
		for _, y := range b {
			if x == y {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

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
