package trend

import (
	"sort"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
)

// termTotals are the incidents of each cause and system (see
// facts.termCounts) in the last 12 months and the 12 before.
type termTotals struct{ last12, prev12 [2][]int }

// reportBuilder computes the Report of one period, step by step (see
// report).
type reportBuilder struct {
	t   *Trends
	f   *facts
	loc *time.Location
	r   *Report
	// in lists the facts (indexes) of the period.
	in []int32
	// first and last are the first and last months charted; firstMonth
	// and firstQuarter their numbers (monthNumber, and it over 3).
	first, last              time.Time
	firstMonth, firstQuarter int
	// qvals holds the duration values of each quarter, per metric.
	qvals [][3][]float64
}

// report computes the aggregates of per from the facts f, the term
// totals of the last 12 months and the 12 before and the states of the
// population's actions.
func (t *Trends) report(per Period, f *facts, terms termTotals, states []actState) *Report {
	b := &reportBuilder{t: t, f: f, loc: location(t.Config), r: &Report{Period: per}}
	b.selectPeriod()
	b.calendar()
	b.count()
	r := b.r
	r.Causes = b.topTerms(0, terms)
	r.Systems = b.topTerms(1, terms)
	b.recurrences()
	r.Actions = b.actions(states)
	r.ActionQuarters = t.actionQuarters(r.Quarters, states)
	var u unit
	u, r.Bars = barsOf(r.Months, b.firstMonth, monthNumber(b.last), b.loc)
	r.BarUnit = u.name
	u, r.Spans = spansOfQuarters(r.Quarters, b.qvals, b.firstQuarter*3, b.loc)
	r.SpanUnit = u.name
	r.SpanActions = r.ActionQuarters
	if len(r.Spans) != len(r.Quarters) {
		r.SpanActions = t.actionQuarters(r.Spans, states)
	}
	return r
}

// selectPeriod lists the facts of the period and the months its charts
// cover: the whole window, or the first incident's month to the clock's
// (or the last incident's, if later).
func (b *reportBuilder) selectPeriod() {
	per := b.r.Period
	var earliest, latest time.Time
	for i := range b.f.list {
		started := b.f.list[i].started
		if !per.Contains(started) {
			continue
		}
		b.in = append(b.in, int32(i))
		if len(b.in) == 1 || started.Before(earliest) {
			earliest = started
		}
		if len(b.in) == 1 || started.After(latest) {
			latest = started
		}
	}
	if !per.From.IsZero() {
		b.first, b.last = per.From, per.To.AddDate(0, -1, 0)
	} else if len(b.in) > 0 {
		b.first = monthStart(earliest, b.loc)
		b.last = monthStart(b.t.Now, b.loc)
		if l := monthStart(latest, b.loc); l.After(b.last) {
			b.last = l
		}
		if b.last.Before(b.first) {
			b.last = b.first
		}
	}
	// Months and quarters are indexed by their number since year 0
	// (year·12 + month − 1), from the first one.
	b.firstMonth = monthNumber(b.first)
	b.firstQuarter = b.firstMonth / 3
}

// calendar makes the period's months (every configured severity and
// category at zero) and quarters, empty ones included.
func (b *reportBuilder) calendar() {
	r, cfg := b.r, b.t.Config
	if b.first.IsZero() {
		return
	}
	for m := b.first; !m.After(b.last); m = m.AddDate(0, 1, 0) {
		mo := Month{Key: monthKey(m), Start: m, Severity: make(map[string]int, len(cfg.Severities)), Category: make(map[string]int, len(cfg.Categories))}
		for _, s := range cfg.Severities {
			mo.Severity[s] = 0
		}
		for _, c := range cfg.Categories {
			mo.Category[c] = 0
		}
		r.Months = append(r.Months, mo)
	}
	for q := quarterStart(b.first, b.loc); !q.After(b.last); q = q.AddDate(0, 3, 0) {
		r.Quarters = append(r.Quarters, Quarter{Key: quarterKey(q), Start: q, End: q.AddDate(0, 3, 0)})
	}
}

// count counts the period's incidents, near misses and drills per month
// and quarter, the incidents per severity, category and detection
// source, and the durations' statistics and histogram.
func (b *reportBuilder) count() {
	r, f := b.r, b.f
	// The durations of the period (all) and of each quarter (qvals,
	// counted in qn, then carved from one array per metric) are in
	// arrays sized once.
	b.qvals = make([][3][]float64, len(r.Quarters))
	qn := make([][3]int, len(r.Quarters))
	var all [3][]float64
	for m := range metrics {
		all[m] = make([]float64, 0, len(b.in))
	}
	nsev, ncat := len(f.severity.list), len(f.category.list)
	sev := make([]int, len(r.Months)*nsev) // [month·nsev + severity]
	cat := make([]int, len(r.Months)*ncat)
	detection := make([]int, len(f.detection.list))
	for _, i := range b.in {
		x := &f.list[i]
		mi := int(x.month) - b.firstMonth
		mo := &r.Months[mi]
		qi := int(x.month)/3 - b.firstQuarter
		q := &r.Quarters[qi]
		if x.drill {
			r.Drills++
			mo.Drills++
			q.Drills++
			continue
		}
		r.Incidents++
		mo.Total++
		q.Incidents++
		sev[mi*nsev+int(x.severity)]++
		cat[mi*ncat+int(x.category)]++
		detection[x.detection]++
		if x.nearMiss {
			r.NearMisses++
			mo.NearMisses++
			q.NearMisses++
			continue
		}
		for m := range metrics {
			if x.durOK[m] {
				all[m] = append(all[m], x.dur[m])
				qn[qi][m]++
			}
		}
	}
	b.quarterValues(qn, len(all[0]), len(all[1]), len(all[2]))
	for mi := range r.Months {
		addCounts(r.Months[mi].Severity, f.severity.list, sev[mi*nsev:(mi+1)*nsev])
		addCounts(r.Months[mi].Category, f.category.list, cat[mi*ncat:(mi+1)*ncat])
	}
	for slug, n := range detection {
		if n == 0 {
			continue
		}
		slug := f.detection.list[slug]
		title := config.TitleFromSlug(slug)
		if slug == "not-recorded" {
			title = "Not recorded"
		}
		r.Detection = append(r.Detection, Count{Slug: slug, Title: title, Count: n})
	}
	sortCounts(r.Detection)
	for qi := range r.Quarters {
		for m := range metrics {
			r.Quarters[qi].Durations[m] = Summarize(b.qvals[qi][m])
		}
	}
	for m := range metrics {
		r.Histogram[m] = make([]int, len(Bins))
		for _, v := range all[m] {
			r.Histogram[m][bin(v)]++
		}
		r.Durations[m] = Summarize(all[m])
	}
}

// quarterValues fills b.qvals with the durations of each quarter's
// incidents: qn[q][m] of metric m in quarter q, n0, n1 and n2 of each
// metric in all.
func (b *reportBuilder) quarterValues(qn [][3]int, n0, n1, n2 int) {
	flat := [3][]float64{make([]float64, n0), make([]float64, n1), make([]float64, n2)}
	for m := range metrics {
		off := 0
		for qi := range qn {
			b.qvals[qi][m] = flat[m][off:off:(off + qn[qi][m])]
			off += qn[qi][m]
		}
	}
	for _, i := range b.in {
		x := &b.f.list[i]
		if x.drill || x.nearMiss {
			continue
		}
		qi := int(x.month)/3 - b.firstQuarter
		for m := range metrics {
			if x.durOK[m] {
				b.qvals[qi][m] = append(b.qvals[qi][m], x.dur[m])
			}
		}
	}
}

// addCounts adds to m the counts of the values that have one.
func addCounts(m map[string]int, values []string, counts []int) {
	for v, n := range counts {
		if n > 0 {
			m[values[v]] += n
		}
	}
}

// topTerms counts the period's incidents of each term of termKinds[k],
// most first, with the change of the last 12 months against the 12
// before.
func (b *reportBuilder) topTerms(k int, terms termTotals) []TermCount {
	f, kind := b.f, termKinds[k]
	counts := make([]int, len(f.terms[k].list))
	n := 0
	for _, i := range b.in {
		if f.list[i].drill {
			continue
		}
		for _, t := range f.termsOf(k, int(i)) {
			if counts[t] == 0 {
				n++
			}
			counts[t]++
		}
	}
	tx := b.t.graph.Taxonomy(kind)
	out := make([]TermCount, 0, n)
	for t, count := range counts {
		if count == 0 {
			continue
		}
		slug := f.terms[k].list[t]
		tc := TermCount{Slug: slug, Title: b.t.Config.Term(kind, slug).Title, URL: kind + "/" + slug + "/", Count: count,
			Last12: terms.last12[k][t], Prev12: terms.prev12[k][t]}
		if tx != nil {
			if term := tx.Term(slug); term != nil {
				tc.Title, tc.URL = term.Title, term.URL()
			}
		}
		if tc.Title == "" {
			tc.Title = config.TitleFromSlug(slug)
		}
		tc.Change = tc.Last12 - tc.Prev12
		out = append(out, tc)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Slug < out[j].Slug
	})
	return out
}

// recurrences lists the recurrences whose later incident started in the
// period. The graph's recurrences are between incidents (never drafts)
// and listed later incident newest first, so those of a period are one
// run of the list, found by bisection: the period's bounds, not every
// recurrence, are compared.
func (b *reportBuilder) recurrences() {
	r, per := b.r, b.r.Period
	recs := b.t.graph.Recurrences
	lo, hi := 0, len(recs)
	if !per.To.IsZero() {
		lo = sort.Search(len(recs), func(i int) bool { return recs[i].Later.Started.Before(per.To) })
	}
	if !per.From.IsZero() {
		hi = sort.Search(len(recs), func(i int) bool { return recs[i].Later.Started.Before(per.From) })
	}
	if lo < hi {
		r.Recurrences = recs[lo:hi:hi]
	}
	for _, rec := range r.Recurrences {
		if rec.ActionDidNotPrevent {
			r.NotPrevented++
		}
	}
}

// actions summarises the actions of the period's postmortems, as of the
// clock.
func (b *reportBuilder) actions(states []actState) ActionSummary {
	n := 0
	for _, i := range b.in {
		n += int(b.f.list[i].acts[1] - b.f.list[i].acts[0])
	}
	acc := summarizer{dtd: make([]float64, 0, n)}
	for _, i := range b.in {
		x := &b.f.list[i]
		acc.addStates(states[x.acts[0]:x.acts[1]])
	}
	return acc.result()
}
