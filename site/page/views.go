package page

import (
	"html/template"
	"sort"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/render"
	"github.com/hindsight-kb/hindsight/site/trend"
)

// PerPage is how many postmortems a list or term page shows; longer lists
// are paginated (page/2/, page/3/ …).
const PerPage = 100

// HomeView is the home page's view model.
type HomeView struct {
	Recent []*postmortem.Postmortem
	// Report is the all-time trend report (headline numbers).
	Report *trend.Report
	// Overdue lists the most overdue open actions (up to 6), Upcoming the
	// open actions due soonest that are not overdue (up to 6).
	Overdue, Upcoming     []ActionRef
	OpenCount, OverdueCnt int
	Recurrences           []*graph.Recurrence
	TopCauses, TopSystems []*graph.Term
	Total                 int
}

// ActionRef is a corrective action with its postmortem.
type ActionRef struct {
	P       *postmortem.Postmortem
	A       postmortem.Action
	Overdue bool
	// DaysLate is how many days past due an overdue action is.
	DaysLate int
}

// Pager links the pages of a paginated list.
type Pager struct {
	Page, Pages int
	Prev, Next  string // site-relative folder URLs, "" at the ends
	Links       []PageLink
}

// PageLink is one page number of a Pager.
type PageLink struct {
	Number  int
	URL     string
	Current bool
}

// ListView is the postmortem list's view model.
type ListView struct {
	Items []*postmortem.Postmortem
	// Sort is "date" or "severity"; DateURL and SeverityURL are the
	// first pages of each order.
	Sort                 string
	DateURL, SeverityURL string
	Total                int
	Pager                Pager
}

// PostmortemView is one postmortem page's view model.
type PostmortemView struct {
	P *postmortem.Postmortem
	// Body is the rendered body with the timeline list replaced by the
	// visual timeline.
	Body template.HTML
	// TOC lists the H2 sections.
	TOC []postmortem.Heading
	// Durations: time to detect, contain, resolve (from started).
	Durations []Duration
	// Terms per taxonomy in display order (causes, systems, data,
	// techniques), only those with values.
	Terms   []TermGroup
	Actions []ActionRef
	// SameCause and SameSystem rank other postmortems by overlap and
	// recency.
	SameCause, SameSystem []graph.Ref
	Related, Backlinks    []*postmortem.Postmortem
	// Recurrence is set when this incident recurs an earlier one.
	Recurrence *graph.Recurrence
	// RecurredBy lists later incidents that recurred this one.
	RecurredBy []*graph.Recurrence
	// Similar are content-similar postmortems (search stage).
	Similar []*postmortem.Postmortem
	Updated time.Time
	EditURL string
	// Description is the page's <meta name="description">: the Summary
	// section's first 160 bytes or so, cut at a word.
	Description string
}

// Duration is one of the time-to-x figures.
type Duration struct {
	Label   string
	Minutes int64
	OK      bool
}

// TermGroup is one taxonomy's terms on a postmortem page.
type TermGroup struct {
	Kind, Title string
	Terms       []TermLink
}

// TermLink is a term linked from a page; External is the ATT&CK page of a
// technique.
type TermLink struct {
	Slug, Title, URL, External string
}

// TaxonomyView is a taxonomy index page's view model.
type TaxonomyView struct {
	Taxonomy *graph.Taxonomy
	// Others are the other taxonomies (for co-occurrence columns).
	Others []*graph.Taxonomy
}

// TermView is a term page's view model.
type TermView struct {
	Taxonomy *graph.Taxonomy
	Term     *graph.Term
	Items    []*postmortem.Postmortem
	Pager    Pager
	// CoOccurs lists, per other taxonomy, the co-occurring terms (top 12).
	// CoOccurs, Trend and Recurrences are set on the first page only (nil
	// on page 2 and later, which link back to it).
	CoOccurs []CoOccur
	// Trend is the term's chart and open actions (trends stage).
	Trend *trend.TermView
	// Recurrences involving this term.
	Recurrences []*graph.Recurrence
}

// CoOccur is one taxonomy's co-occurring terms.
type CoOccur struct {
	Title string
	Terms []graph.TermCount
}

// SearchView is the search page's view model.
type SearchView struct {
	// Query is the q parameter when serve renders results server-side.
	Query string
}

func pager(base string, page, pages int) Pager {
	url := func(n int) string {
		if n == 1 {
			return base
		}
		return base + "page/" + itoa(n) + "/"
	}
	p := Pager{Page: page, Pages: pages}
	if page > 1 {
		p.Prev = url(page - 1)
	}
	if page < pages {
		p.Next = url(page + 1)
	}
	if pages > 1 {
		for n := 1; n <= pages; n++ {
			// Show first, last and a window around the current page.
			if n == 1 || n == pages || (n >= page-3 && n <= page+3) {
				p.Links = append(p.Links, PageLink{Number: n, URL: url(n), Current: n == page})
			} else if len(p.Links) > 0 && p.Links[len(p.Links)-1].Number != 0 {
				p.Links = append(p.Links, PageLink{}) // gap
			}
		}
	}
	return p
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

func pageSlice[T any](items []T, page int) []T {
	lo := (page - 1) * PerPage
	if lo > len(items) {
		return nil
	}
	hi := lo + PerPage
	if hi > len(items) {
		hi = len(items)
	}
	return items[lo:hi]
}

func pageCount(n int) int {
	if n == 0 {
		return 1
	}
	return (n + PerPage - 1) / PerPage
}

func (s *Set) homeView() *HomeView {
	v := &HomeView{Report: s.Trends.Report(trend.AllTime), Total: len(s.Postmortems)}
	n := 10
	if n > len(s.Postmortems) {
		n = len(s.Postmortems)
	}
	v.Recent = s.Postmortems[:n]
	var open []ActionRef
	for _, p := range s.Postmortems {
		for _, a := range p.Actions {
			if a.IsOpen() {
				open = append(open, s.actionRef(p, a))
			}
		}
	}
	sort.SliceStable(open, func(i, j int) bool {
		if open[i].A.Due.IsZero() != open[j].A.Due.IsZero() {
			return !open[i].A.Due.IsZero()
		}
		return open[i].A.Due.Before(open[j].A.Due)
	})
	v.OpenCount = len(open)
	for _, r := range open {
		if r.Overdue {
			v.OverdueCnt++
			if len(v.Overdue) < 6 {
				v.Overdue = append(v.Overdue, r)
			}
		} else if len(v.Upcoming) < 6 {
			v.Upcoming = append(v.Upcoming, r)
		}
	}
	if len(s.Graph.Recurrences) > 0 {
		n := 5
		if n > len(s.Graph.Recurrences) {
			n = len(s.Graph.Recurrences)
		}
		v.Recurrences = s.Graph.Recurrences[:n]
	}
	v.TopCauses = topTerms(s.Graph.Taxonomy(graph.Causes), 6)
	v.TopSystems = topTerms(s.Graph.Taxonomy(graph.Systems), 6)
	return v
}

func topTerms(t *graph.Taxonomy, n int) []*graph.Term {
	if t == nil {
		return nil
	}
	if n > len(t.Terms) {
		n = len(t.Terms)
	}
	return t.Terms[:n]
}

func (s *Set) actionRef(p *postmortem.Postmortem, a postmortem.Action) ActionRef {
	r := ActionRef{P: p, A: a, Overdue: a.Overdue(s.now, s.loc)}
	if r.Overdue {
		y, m, d := s.now.In(s.loc).Date()
		today := time.Date(y, m, d, 0, 0, 0, 0, s.loc)
		r.DaysLate = int(today.Sub(a.Due).Hours() / 24)
	}
	return r
}

// postmortemView is p's view model; without the body (Body "") when
// withBody is false: the compiled page writes it itself.
func (s *Set) postmortemView(p *postmortem.Postmortem, withBody bool) *PostmortemView {
	v := &PostmortemView{P: p, Description: summary(p, 160)}
	for _, h := range p.Body.Headings {
		if h.Level == 2 {
			v.TOC = append(v.TOC, h)
		}
	}
	if withBody {
		v.Body = template.HTML(p.Body.HTML) // the timeline rendered by the parser
	}
	dur := func(label string, t time.Time) Duration {
		if t.IsZero() || p.Started.IsZero() {
			return Duration{Label: label}
		}
		return Duration{Label: label, Minutes: int64(t.Sub(p.Started) / time.Minute), OK: true}
	}
	v.Durations = []Duration{dur("Time to detect", p.Detected), dur("Time to contain", p.Contained), dur("Time to resolve", p.Resolved)}
	for _, tx := range s.Graph.Taxonomies {
		g := TermGroup{Kind: tx.Kind, Title: tx.Title}
		for _, slug := range graph.Slugs(p, tx.Kind) {
			t := tx.Term(slug)
			if t == nil {
				continue
			}
			l := TermLink{Slug: slug, Title: t.Title, URL: t.URL()}
			if tx.Kind == graph.Techniques {
				l.External = render.TechniqueURL(slug)
			}
			g.Terms = append(g.Terms, l)
		}
		if len(g.Terms) > 0 {
			v.Terms = append(v.Terms, g)
		}
	}
	for _, a := range p.Actions {
		v.Actions = append(v.Actions, s.actionRef(p, a))
	}
	v.SameCause = s.Graph.Same(p, graph.Causes, 5)
	v.SameSystem = s.Graph.Same(p, graph.Systems, 5)
	v.Related = s.Graph.Related(p)
	v.Backlinks = s.Graph.Backlinks(p)
	v.Recurrence = s.Graph.RecurrenceOf(p)
	v.RecurredBy = s.Graph.RecurredBy(p)
	for _, id := range s.similarTo(p) {
		if q := s.Graph.Get(id); q != nil && q != p {
			v.Similar = append(v.Similar, q)
		}
	}
	if h, ok := s.History[p.Path]; ok {
		v.Updated = h.Updated
		v.EditURL = s.editURL(h.RepoPath)
	} else if s.Config.RepoURL != "" {
		v.EditURL = s.editURL(p.Path)
	}
	return v
}

func (s *Set) editURL(repoPath string) string {
	if s.Config.RepoURL == "" || repoPath == "" {
		return ""
	}
	base := s.Config.RepoURL
	branch := s.Config.RepoBranch
	if branch == "" {
		branch = "main"
	}
	if strings.Contains(base, "gitlab") {
		return base + "/-/edit/" + branch + "/" + repoPath
	}
	return base + "/edit/" + branch + "/" + repoPath
}

func (s *Set) termView(tx *graph.Taxonomy, t *graph.Term, page int) *TermView {
	v := &TermView{Taxonomy: tx, Term: t, Items: pageSlice(t.Postmortems, page)}
	v.Pager = pager(t.URL(), page, pageCount(len(t.Postmortems)))
	if page > 1 {
		// The overview (co-occurring terms, trend, recurrences) is the
		// same on every page of a term: only its first page shows it.
		return v
	}
	for _, other := range s.Graph.Taxonomies {
		if tcs := t.CoOccurs[other.Kind]; len(tcs) > 0 {
			if len(tcs) > 12 {
				tcs = tcs[:12]
			}
			v.CoOccurs = append(v.CoOccurs, CoOccur{Title: other.Title, Terms: tcs})
		}
	}
	v.Trend = s.Trends.Term(t)
	for _, r := range s.Graph.Recurrences {
		if contains(graph.Slugs(r.Later, tx.Kind), t.Slug) && contains(graph.Slugs(r.Earlier, tx.Kind), t.Slug) {
			v.Recurrences = append(v.Recurrences, r)
			if len(v.Recurrences) == 20 {
				break
			}
		}
	}
	return v
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
