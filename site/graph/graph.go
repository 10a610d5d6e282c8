package graph

import (
	"cmp"
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
	// byID holds the position in Postmortems of each id (lower case), the
	// first in the graph's order when several share it; dupPos that of
	// each other postmortem with the same id (see position).
	byID   map[string]int32
	dupPos map[*postmortem.Postmortem]int32
	// Taxonomies in display order: causes, systems, data, techniques.
	Taxonomies []*Taxonomy
	related    map[*postmortem.Postmortem][]*postmortem.Postmortem
	backlinks  map[*postmortem.Postmortem][]*postmortem.Postmortem
	// Recurrences lists every recurrence pair, later incident newest first.
	Recurrences []*Recurrence
	// recurrenceOf[r] is the index in Recurrences of the recurrence whose
	// later incident is at position r (-1: none); the recurrences whose
	// earlier incident is at position r are recurredBy[recurredAt[r]:
	// recurredAt[r+1]], later incident newest first.
	recurrenceOf []int32
	recurredAt   []int32
	recurredBy   []*Recurrence
	// pairs[x] lists the positions of the postmortems naming each pair
	// of terms of taxonomy x (see rankShared).
	pairs []termPairs

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
	// Postmortems (ascending, as both lists share the graph's order);
	// n is the term's position in its taxonomy's Terms.
	ranks []int32
	n     int32
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
		related:   map[*postmortem.Postmortem][]*postmortem.Postmortem{},
		backlinks: map[*postmortem.Postmortem][]*postmortem.Postmortem{},
	}
	g.order = newestFirst(ps)
	g.Postmortems = make([]*postmortem.Postmortem, len(ps))
	g.rank = make([]int32, len(ps))
	for r, i := range g.order {
		g.Postmortems[r] = ps[i]
		g.rank[i] = int32(r)
	}
	g.readPostmortems(ps)
	g.buildTaxonomies(ps, cfg)
	g.buildLinks(ps)
	g.buildRecurrences(ps)
	g.order, g.rank, g.started, g.incident, g.drill, g.draft, g.met, g.metAt = nil, nil, nil, nil, nil, nil, nil, nil
	return g
}

// readPostmortems copies what the later steps read of each postmortem
// into the arrays by position, and indexes the positions by id and by
// postmortem. Of several with one id (or one postmortem given twice),
// the first in the graph's order wins.
func (g *Graph) readPostmortems(ps []*postmortem.Postmortem) {
	g.started = make([]time.Time, len(ps))
	g.incident = make([]bool, len(ps))
	g.drill = make([]bool, len(ps))
	g.draft = make([]bool, len(ps))
	g.byID = make(map[string]int32, len(ps))
	for i, p := range ps {
		r := g.rank[i]
		g.started[r], g.incident[r], g.drill[r], g.draft[r] = p.Started, IsIncident(p), p.Drill, p.IsDraft()
		id := p.URLID()
		q, dup := g.byID[id]
		if !dup {
			g.byID[id] = r
			continue
		}
		if r < q {
			g.byID[id], r = r, q
		}
		if g.dupPos == nil {
			g.dupPos = map[*postmortem.Postmortem]int32{}
		}
		if o, ok := g.dupPos[g.Postmortems[r]]; !ok || r < o {
			g.dupPos[g.Postmortems[r]] = r
		}
	}
}

// position returns the position of p in Postmortems, or -1.
func (g *Graph) position(p *postmortem.Postmortem) int32 {
	if r, ok := g.byID[p.URLID()]; ok && g.Postmortems[r] == p {
		return r
	}
	if r, ok := g.dupPos[p]; ok {
		return r
	}
	return -1
}

// newestFirst returns the indexes of ps in the order of Postmortem.Newer,
// stable. The keys are copied out before sorting (the start as seconds
// and nanoseconds, 16 bytes a postmortem), so that the n log n
// comparisons read them side by side rather than through each pointer;
// ids are read only for postmortems that started at the same instant.
func newestFirst(ps []*postmortem.Postmortem) []int32 {
	type key struct {
		sec     int64
		nsec, i int32
	}
	keys := make([]key, len(ps))
	for i, p := range ps {
		keys[i] = key{p.Started.Unix(), int32(p.Started.Nanosecond()), int32(i)}
	}
	// A total order (ties by index), so an unstable sort is stable.
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(b.sec, a.sec); c != 0 {
			return c // the later first
		}
		if c := cmp.Compare(b.nsec, a.nsec); c != 0 {
			return c
		}
		if c := strings.Compare(ps[a.i].ID, ps[b.i].ID); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	out := make([]int32, len(ps))
	for r, k := range keys {
		out[r] = k.i
	}
	return out
}

// Get returns the postmortem with id (case-insensitive), or nil.
func (g *Graph) Get(id string) *postmortem.Postmortem {
	if r, ok := g.byID[strings.ToLower(id)]; ok {
		return g.Postmortems[r]
	}
	return nil
}

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

// DistinctSlugs returns the slugs p has in a taxonomy kind, each once, in
// the order p lists them: the terms whose pages list p. The result may be
// p's own list; do not modify it.
func DistinctSlugs(p *postmortem.Postmortem, kind string) []string { return dedupe(Slugs(p, kind)) }

// SharedSlugs returns the slugs of a taxonomy kind that p and q both
// have, in p's order, each once (nil: none): what a Recurrence's Causes
// and Systems hold of its two incidents.
func SharedSlugs(p, q *postmortem.Postmortem, kind string) []string {
	var out []string
	b := Slugs(q, kind)
	for _, s := range dedupe(Slugs(p, kind)) {
		if slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
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
//
// A body link names a file; the postmortem of a file is found by the id
// its name gives (as a KB names its files), checked against its path;
// only when that fails (a link to a draft, a file named otherwise) by an
// index of every path, made then.
func (g *Graph) buildLinks(ps []*postmortem.Postmortem) {
	var byPath map[string]*postmortem.Postmortem
	ofPath := func(target string) *postmortem.Postmortem {
		if q := g.Get(stem(target)); q != nil && q.Path == target {
			return q
		}
		if byPath == nil {
			byPath = make(map[string]*postmortem.Postmortem, len(ps))
			for _, p := range ps {
				byPath[p.Path] = p
			}
		}
		return byPath[target]
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
			if q := ofPath(target); q != nil && q != p {
				addBack(q, p)
			}
		}
	}
	for _, bl := range g.backlinks {
		sort.SliceStable(bl, func(i, j int) bool { return bl[i].Newer(bl[j]) })
	}
}

// stem returns the name of the file at path p without its extension.
func stem(p string) string {
	name := path.Base(p)
	return name[:len(name)-len(path.Ext(name))]
}

// Related returns the postmortems p lists in related (those that exist in
// the graph).
func (g *Graph) Related(p *postmortem.Postmortem) []*postmortem.Postmortem { return g.related[p] }

// Backlinks returns the postmortems that list p in related or link to it
// from their body, newest first.
func (g *Graph) Backlinks(p *postmortem.Postmortem) []*postmortem.Postmortem { return g.backlinks[p] }
