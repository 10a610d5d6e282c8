package trend

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Period keys.
const (
	// AllTime is every incident since the first; its page is /trends/.
	AllTime = "all"
	// Last12Months is the current calendar month and the 11 before it;
	// its page is /trends/12m/.
	Last12Months = "12m"
)

// Metrics are the three durations, in display order.
var metrics = [3]string{"detect", "contain", "resolve"}

// Period is a window of time a trend page covers.
type Period struct {
	// Key is AllTime or Last12Months.
	Key string
	// Title is "All time" or "Last 12 months".
	Title string
	// URL is the page's site-relative folder: "trends/" or "trends/12m/".
	URL string
	// From is the first instant of the window (config timezone); zero for
	// all time. To is the end (exclusive): the first day of the month after
	// the clock's month; zero for all time.
	From, To time.Time
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool {
	if !p.From.IsZero() && t.Before(p.From) {
		return false
	}
	return p.To.IsZero() || t.Before(p.To)
}

// Trends holds every aggregate of one build. It is immutable after
// Compute and safe for concurrent use.
type Trends struct {
	// Config is the site config (timezone, severities, priorities).
	Config *config.Config
	// Now is the build clock.
	Now time.Time
	// Periods are the trend pages, /trends/ (all time) first.
	Periods []Period
	// Last12 and Prev12 are the windows the "change" of causes and
	// systems compares: the last 12 calendar months (this one included)
	// and the 12 before them.
	Last12, Prev12 Period
	reports        map[string]*Report
	graph          *graph.Graph
	// actions are every action of the input postmortems (drafts included
	// when the caller passed them), for /actions/ and term pages.
	actions []ActionRow
	// rowAt is where the rows of each postmortem with actions start in
	// actions (see rowsOf).
	rowAt map[*postmortem.Postmortem]int32
	// order lists the indexes of actions in review order.
	order []int32
}

// Report is the set of aggregates of one period.
type Report struct {
	Period Period
	// Incidents counts non-drill postmortems (near misses included);
	// NearMisses and Drills are counted apart.
	Incidents, NearMisses, Drills int
	// Months lists every month from the first to the last of the period,
	// empty months included.
	Months []Month
	// Quarters lists every quarter of the period, empty ones included.
	Quarters []Quarter
	// Bars are the buckets the charts of incident counts draw (by
	// severity, by category): Months when there are at most MaxBuckets of
	// them, else months grouped by BarUnit (see MaxBuckets).
	Bars    []Month
	BarUnit string
	// Spans are the buckets of the quarterly charts (durations,
	// recurrences, action health, near misses and drills): Quarters, or
	// quarters grouped by SpanUnit; SpanActions is action health at the
	// end of each.
	Spans       []Quarter
	SpanUnit    string
	SpanActions []ActionQuarter
	// Durations are the stats of the whole period, per metric (detect,
	// contain, resolve), and Histogram their distribution over Bins.
	Durations [3]Stats
	Histogram [3][]int
	// Causes and Systems count incidents per slug in the period, most
	// first, with the change of the last 12 months against the 12 before.
	Causes, Systems []TermCount
	// Detection counts incidents per detection source, most first
	// ("not-recorded" when absent).
	Detection []Count
	// Recurrences whose later incident started in the period, newest
	// first; NotPrevented counts those flagged ActionDidNotPrevent.
	Recurrences  []*graph.Recurrence
	NotPrevented int
	// Actions summarises the corrective actions of the period's
	// postmortems (drills included), as of the clock.
	Actions ActionSummary
	// ActionQuarters is action health at the end of each quarter.
	ActionQuarters []ActionQuarter
}

// Month is one calendar month of incidents.
type Month struct {
	// Key is "2025-03".
	Key   string
	Start time.Time
	// Total counts incidents (near misses included, drills excluded).
	Total, NearMisses, Drills int
	// Severity and Category count incidents per value; every configured
	// value is present (zero or not).
	Severity map[string]int
	Category map[string]int
	// Gap marks a bucket of Report.Bars that stands for a run of empty
	// ones (its Key names the first and last).
	Gap bool
}

// Quarter is one calendar quarter of incidents.
type Quarter struct {
	// Key is "2025-Q1".
	Key string
	// Start and End (exclusive) bound the quarter.
	Start, End                    time.Time
	Incidents, NearMisses, Drills int
	// Gap marks a bucket of Report.Spans that stands for a run of empty
	// ones (its Key names the first and last).
	Gap bool
	// Durations per metric (detect, contain, resolve) of the quarter's
	// incidents that are not near misses.
	Durations [3]Stats
}

// TermCount is a cause or system with its incident counts.
type TermCount struct {
	Slug, Title string
	// URL is the term page, e.g. "causes/dns/".
	URL string
	// Count is the number of incidents in the period.
	Count int
	// Last12 and Prev12 count the incidents in the last 12 months and in
	// the 12 months before; Change is Last12 − Prev12.
	Last12, Prev12, Change int
}

// Count is a named count.
type Count struct {
	Slug, Title string
	Count       int
}

// ActionSummary counts actions by status.
type ActionSummary struct {
	Total int
	// Open counts open and in-progress actions (overdue ones included);
	// InProgress is the in-progress part; Overdue the part past due.
	Open, InProgress, Overdue, Done, WontDo int
	// DaysToDone are the days from the incident's resolution to done_on
	// of the done actions that have done_on.
	DaysToDone Stats
}

// ActionQuarter is action health at the end of one quarter (or at the
// clock, for the current quarter).
type ActionQuarter struct {
	Key string
	// At is the instant of the snapshot.
	At time.Time
	// Open and Overdue are the actions open (and past due) at At: created
	// (the incident resolved) before At and not done by then. Won't-do
	// actions and done actions without done_on have no known closing date
	// and are left out.
	Open, Overdue int
	// Done counts actions whose done_on falls in the quarter; DaysToDone
	// their days from resolution to done.
	Done       int
	DaysToDone Stats
}

// Bins are the edges (in minutes) of the duration histogram: [0,5),
// [5,15), … [43200,∞).
var Bins = []float64{0, 5, 15, 60, 240, 720, 1440, 4320, 10080, 43200}

// BinLabels name the histogram bins.
var BinLabels = []string{"< 5 min", "5–15 min", "15–60 min", "1–4 h", "4–12 h", "12–24 h", "1–3 d", "3–7 d", "7–30 d", "≥ 30 d"}

// Compute aggregates ps (the postmortems a build publishes; drafts, if
// present, are left out of every trend but kept for Actions) with the
// graph g built from them, the config and the build clock.
func Compute(ps []*postmortem.Postmortem, g *graph.Graph, cfg *config.Config, now time.Time) *Trends {
	if cfg == nil {
		cfg = config.Default()
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	if g == nil {
		g = graph.Build(ps, cfg)
	}
	t := &Trends{Config: cfg, Now: now, graph: g, reports: map[string]*Report{}}
	thisMonth := monthStart(now, loc)
	next := thisMonth.AddDate(0, 1, 0)
	t.Last12 = Period{Key: Last12Months, Title: "Last 12 months", URL: "trends/12m/", From: thisMonth.AddDate(0, -11, 0), To: next}
	t.Prev12 = Period{Key: "prev12", Title: "Previous 12 months", From: thisMonth.AddDate(0, -23, 0), To: t.Last12.From}
	t.Periods = []Period{{Key: AllTime, Title: "All time", URL: "trends/"}, t.Last12}

	// The facts keep the order of ps (the order of the files, and mostly
	// of their memory): every aggregate below is a count or a sorted set
	// of values, which the order does not change, and reading 100,000
	// postmortems in time order would jump about the heap. The parts run
	// side by side where they do not depend on each other (serve
	// recomputes all of this on every change of a large KB).
	var wg sync.WaitGroup
	var states []actState
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.actions, t.rowAt, states = actionRows(ps, now, loc, priorityRank(cfg))
	}()
	f := readFacts(ps, loc)
	terms := termTotals{last12: f.termCounts(t.Last12), prev12: f.termCounts(t.Prev12)}
	wg.Wait()
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.order = reviewOrder(t.actions)
	}()
	reports := make([]*Report, len(t.Periods))
	for i, per := range t.Periods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reports[i] = t.report(per, f, terms, states)
		}()
	}
	wg.Wait()
	for i, per := range t.Periods {
		t.reports[per.Key] = reports[i]
	}
	return t
}

// rowsOf returns the action rows of p: they follow each other from
// rowAt[p] (a start index rather than a slice per postmortem keeps the
// map at 16 bytes an entry, not 32).
func (t *Trends) rowsOf(p *postmortem.Postmortem) []ActionRow {
	i, ok := t.rowAt[p]
	if !ok {
		return nil
	}
	j := int(i)
	for j < len(t.actions) && t.actions[j].Postmortem == p {
		j++
	}
	return t.actions[i:j:j]
}

// Report returns the aggregates of the period with key (AllTime or
// Last12Months), or nil.
func (t *Trends) Report(key string) *Report { return t.reports[key] }

// Period returns the period with key and whether it exists.
func (t *Trends) Period(key string) (Period, bool) {
	for _, p := range t.Periods {
		if p.Key == key {
			return p, true
		}
	}
	return Period{}, false
}

func monthStart(t time.Time, loc *time.Location) time.Time {
	y, m, _ := t.In(loc).Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, loc)
}

func quarterStart(t time.Time, loc *time.Location) time.Time {
	y, m, _ := t.In(loc).Date()
	return time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, loc)
}

// monthNumber returns year·12 + month − 1 of t (already in the config
// timezone).
func monthNumber(t time.Time) int {
	y, m, _ := t.Date()
	return y*12 + int(m) - 1
}

func monthKey(t time.Time) string { return t.Format("2006-01") }

func quarterKey(t time.Time) string { return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1) }

// durations returns detect, contain and resolve of p in minutes, with ok
// false for an absent time or a negative duration (broken date order).
func durations(p *postmortem.Postmortem) (vs [3]float64, ok [3]bool) {
	for i, end := range [3]time.Time{p.Detected, p.Contained, p.Resolved} {
		if end.IsZero() {
			continue
		}
		d := end.Sub(p.Started).Minutes()
		if d < 0 {
			continue
		}
		vs[i], ok[i] = d, true
	}
	return vs, ok
}

func bin(v float64) int {
	i := sort.Search(len(Bins), func(i int) bool { return Bins[i] > v })
	return i - 1
}

func sortCounts(cs []Count) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Count != cs[j].Count {
			return cs[i].Count > cs[j].Count
		}
		return cs[i].Slug < cs[j].Slug
	})
}

// uniq returns ss without repeats (postmortems list one to a few slugs:
// a linear scan beats a map).
func uniq(ss []string) []string {
	for i := 1; i < len(ss); i++ {
		for j := 0; j < i; j++ {
			if ss[i] == ss[j] {
				return uniqCopy(ss)
			}
		}
	}
	return ss
}

func uniqCopy(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		dup := false
		for _, o := range out {
			if o == s {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}
