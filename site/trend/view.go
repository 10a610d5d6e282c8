package trend

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/trend/chart"
)

// Chart is a chart ready for the template: its SVG and the table of its
// numbers (the partial trend-chart.html renders both).
type Chart struct {
	// ID is unique on the page; Title and Desc label the SVG.
	ID, Title, Desc string
	SVG             template.HTML
	Table           Table
}

// Table is the accessible table of a chart's numbers.
type Table struct {
	Caption string
	Head    []string
	Rows    [][]Cell
}

// Cell is one table cell. Href, when set, is already relative to the page.
type Cell struct {
	Text string
	Href string
	// Num right-aligns the cell.
	Num bool
	// Class is an extra class (e.g. "up", "down", "overdue").
	Class string
}

// PeriodLink is an entry of the period switch.
type PeriodLink struct {
	Title string
	// Href is relative to the current page.
	Href    string
	Current bool
}

// Stat is a headline number.
type Stat struct {
	Label, Value, Note string
	// Class marks a stat that needs attention ("alert").
	Class string
	// Small asks for a smaller value font (durations: "20.5 min").
	Small bool
}

// RecurrenceRow is one line of the recurring incidents table.
type RecurrenceRow struct {
	Earlier, Later         Cell
	EarlierDate, LaterDate string
	Causes, Systems        []Cell
	// ActionDidNotPrevent: "corrective action did not prevent recurrence".
	ActionDidNotPrevent bool
}

// View is the view model of a trends page (layouts/trends.html): .Page
// of kind "trends".
type View struct {
	Period  Period
	Periods []PeriodLink
	// Root is the page's relative prefix to the site root.
	Root string
	// DataHref links the period's data.json.
	DataHref string
	Report   *Report
	Stats    []Stat
	// Charts, in page order.
	Severity, Category, Causes, Systems Chart
	Durations                           [3]Chart
	Distribution, Detection             Chart
	ActionHealth, DrillsNearMisses      Chart
	// RecurrenceChart counts recurrences per quarter of the later
	// incident.
	RecurrenceChart Chart
	// Recurrences lists the most recent recurrences (at most
	// MaxRecurrenceRows, newest first); RecurrencesMore counts the rest
	// (all of them are in data.json).
	Recurrences     []RecurrenceRow
	RecurrencesMore int
	// Window describes the period in words ("July 2024 – June 2025").
	Window string
}

// Charts returns every chart of the page in order.
func (v *View) Charts() []*Chart {
	return []*Chart{&v.Severity, &v.Category, &v.Causes, &v.Systems, &v.Durations[0], &v.Durations[1], &v.Durations[2],
		&v.Distribution, &v.Detection, &v.ActionHealth, &v.RecurrenceChart, &v.DrillsNearMisses}
}

// link is render.Link: a site-relative folder URL made relative to a page
// and pointed at its index.html (so the site works from file://).
func link(root, url string) string {
	frag := ""
	if i := strings.IndexByte(url, '#'); i >= 0 {
		url, frag = url[:i], url[i:]
	}
	if url == "" || strings.HasSuffix(url, "/") {
		url += "index.html"
	}
	return root + url + frag
}

// rootOf returns the relative prefix of a folder URL: "trends/12m/" →
// "../../".
func rootOf(url string) string { return strings.Repeat("../", strings.Count(url, "/")) }

// Severity colour classes, worst first: vermillion, orange, yellow, sky
// blue, then the rest of the palette.
var sevClasses = []string{"s1", "s2", "s5", "s3", "s6", "s4", "s7", "s8"}

// metricTitles name the three durations.
var metricTitles = [3]string{"Time to detect", "Time to contain", "Time to resolve"}

func numCell(n int) Cell     { return Cell{Text: strconv.Itoa(n), Num: true} }
func textCell(s string) Cell { return Cell{Text: s} }
func minutesCell(s Stats, f func(Stats) float64) Cell {
	if s.N == 0 {
		return Cell{Text: "—", Num: true}
	}
	return Cell{Text: chart.Minutes(f(s)), Num: true}
}

// View returns the view model of the trends page of the period with key,
// or nil.
func (t *Trends) View(key string) *View {
	r := t.reports[key]
	if r == nil {
		return nil
	}
	cfg := t.Config
	v := &View{Period: r.Period, Root: rootOf(r.Period.URL), Report: r}
	v.DataHref = "data.json"
	for _, p := range t.Periods {
		v.Periods = append(v.Periods, PeriodLink{Title: p.Title, Href: link(v.Root, p.URL), Current: p.Key == key})
	}
	if len(r.Months) > 0 {
		v.Window = r.Months[0].Start.Format("January 2006") + " – " + r.Months[len(r.Months)-1].Start.Format("January 2006")
	}
	v.Stats = t.stats(r)
	v.Severity = severityChart(r, cfg)
	v.Category = categoryChart(r, cfg)
	v.Causes = termChart("chart-causes", "Top root causes", "root cause", r.Causes, v.Root)
	v.Systems = termChart("chart-systems", "Most affected systems", "system", r.Systems, v.Root)
	for i := range metrics {
		v.Durations[i] = durationChart(r, i)
	}
	v.Distribution = distributionChart(r)
	v.Detection = detectionChart(r)
	v.ActionHealth = actionHealthChart(r)
	v.DrillsNearMisses = drillsChart(r)
	v.RecurrenceChart = recurrenceChart(r, location(cfg))
	loc := location(cfg)
	for i, rec := range r.Recurrences {
		if i == MaxRecurrenceRows {
			v.RecurrencesMore = len(r.Recurrences) - i
			break
		}
		row := RecurrenceRow{
			Earlier:             Cell{Text: rec.Earlier.Title, Href: link(v.Root, rec.Earlier.URL())},
			Later:               Cell{Text: rec.Later.Title, Href: link(v.Root, rec.Later.URL())},
			EarlierDate:         rec.Earlier.Started.In(loc).Format("2006-01-02"),
			LaterDate:           rec.Later.Started.In(loc).Format("2006-01-02"),
			ActionDidNotPrevent: rec.ActionDidNotPrevent,
		}
		for _, c := range rec.Causes {
			row.Causes = append(row.Causes, t.termCell(graph.Causes, c, v.Root))
		}
		for _, s := range rec.Systems {
			row.Systems = append(row.Systems, t.termCell(graph.Systems, s, v.Root))
		}
		v.Recurrences = append(v.Recurrences, row)
	}
	return v
}

// MaxRecurrenceRows caps the recurring incidents table of a trends page:
// a large KB has thousands; the chart and data.json count them all.
const MaxRecurrenceRows = 100

func recurrenceChart(r *Report, loc *time.Location) Chart {
	c := Chart{ID: "chart-recurrences", Title: "Recurrences per " + r.SpanUnit,
		Desc: fmt.Sprintf("Stacked bars: %d recurrences by the %s the later incident started, %d of them after a corrective action of the earlier incident was done. The table below lists the numbers.", len(r.Recurrences), r.SpanUnit, r.NotPrevented)}
	np, other := make([]float64, len(r.Spans)), make([]float64, len(r.Spans))
	for _, rec := range r.Recurrences {
		i := spanAt(r.Spans, rec.Later.Started.In(loc))
		if i < 0 {
			continue
		}
		if rec.ActionDidNotPrevent {
			np[i]++
		} else {
			other[i]++
		}
	}
	c.SVG = chart.Bars{Frame: frame(c), Labels: quarterLabels(r), Stacked: true, YLabel: "recurrences", Integer: true, Height: 220, Series: []chart.Series{
		{Name: "Corrective action did not prevent it", Class: "s1", Values: np}, {Name: "Other recurrences", Class: "s3", Values: other}}}.SVG()
	c.Table.Caption = "Recurrences per " + r.SpanUnit
	c.Table.Head = []string{capital(r.SpanUnit), "Recurrences", "Action did not prevent"}
	for i, q := range r.Spans {
		c.Table.Rows = append(c.Table.Rows, []Cell{textCell(q.Key), numCell(int(np[i] + other[i])), numCell(int(np[i]))})
	}
	return c
}

func (t *Trends) termCell(kind, slug, root string) Cell {
	title := t.Config.Term(kind, slug).Title
	if tx := t.graph.Taxonomy(kind); tx != nil {
		if term := tx.Term(slug); term != nil {
			title = term.Title
		}
	}
	return Cell{Text: title, Href: link(root, kind+"/"+slug+"/")}
}

func (t *Trends) stats(r *Report) []Stat {
	res := r.Durations[2]
	mttr := Stat{Label: "Median time to resolve", Value: "—", Small: true}
	if res.N > 0 {
		mttr.Value = chart.Minutes(res.Median)
		mttr.Note = "p90 " + chart.Minutes(res.P90)
	}
	det := r.Durations[0]
	mttd := Stat{Label: "Median time to detect", Value: "—", Small: true}
	if det.N > 0 {
		mttd.Value = chart.Minutes(det.Median)
		mttd.Note = "p90 " + chart.Minutes(det.P90)
	}
	a := r.Actions
	open := Stat{Label: "Open actions", Value: strconv.Itoa(a.Open), Note: fmt.Sprintf("%d overdue", a.Overdue)}
	if a.Overdue > 0 {
		open.Class = "alert"
	}
	dtd := Stat{Label: "Median days to done", Value: "—", Note: fmt.Sprintf("%d done, %d won't do", a.Done, a.WontDo)}
	if a.DaysToDone.N > 0 {
		dtd.Value = fmtFloat(a.DaysToDone.Median)
	}
	rec := Stat{Label: "Recurrences", Value: strconv.Itoa(len(r.Recurrences)), Note: fmt.Sprintf("%d not prevented by a done action", r.NotPrevented)}
	if r.NotPrevented > 0 {
		rec.Class = "alert"
	}
	return []Stat{
		{Label: "Incidents", Value: strconv.Itoa(r.Incidents), Note: "near misses included"},
		{Label: "Near misses", Value: strconv.Itoa(r.NearMisses), Note: "not in durations"},
		{Label: "Drills", Value: strconv.Itoa(r.Drills), Note: "not incidents"},
		mttd, mttr, open, dtd, rec,
	}
}

func fmtFloat(f float64) string {
	if f == math.Trunc(f) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}

func monthLabels(r *Report) []string {
	ls := make([]string, len(r.Bars))
	for i, m := range r.Bars {
		ls[i] = bucketLabel(m.Key, m.Gap)
	}
	return ls
}

func quarterLabels(r *Report) []string {
	ls := make([]string, len(r.Spans))
	for i, q := range r.Spans {
		ls[i] = bucketLabel(q.Key, q.Gap)
	}
	return ls
}

func severityChart(r *Report, cfg *config.Config) Chart {
	sevs := append([]string(nil), cfg.Severities...)
	// Values outside the config (a build with errors) still show.
	known := map[string]bool{}
	for _, s := range sevs {
		known[s] = true
	}
	for _, m := range r.Bars {
		for s, n := range m.Severity {
			if !known[s] && n > 0 {
				known[s] = true
				sevs = append(sevs, s)
			}
		}
	}
	c := Chart{ID: "chart-severity", Title: "Incidents per " + r.BarUnit + " by severity",
		Desc: fmt.Sprintf("Stacked bars: %d incidents over %d %s%s, split by severity (drills excluded, near misses included). The table below lists the numbers.", r.Incidents, len(r.Bars), unitPlural(r.BarUnit), gapNote(r.Bars))}
	var series []chart.Series
	for i, s := range sevs {
		vals := make([]float64, len(r.Bars))
		for j, m := range r.Bars {
			vals[j] = float64(m.Severity[s])
		}
		series = append(series, chart.Series{Name: s, Class: sevClasses[i%len(sevClasses)], Values: vals})
	}
	c.SVG = chart.Bars{Frame: frame(c), Labels: monthLabels(r), Series: series, Stacked: true, YLabel: "incidents", Integer: true}.SVG()
	c.Table.Caption = "Incidents per " + r.BarUnit + " by severity"
	c.Table.Head = append(append([]string{capital(r.BarUnit), "Total"}, sevs...), "Near misses", "Drills")
	for _, m := range r.Bars {
		row := []Cell{textCell(m.Key), numCell(m.Total)}
		for _, s := range sevs {
			row = append(row, numCell(m.Severity[s]))
		}
		c.Table.Rows = append(c.Table.Rows, append(row, numCell(m.NearMisses), numCell(m.Drills)))
	}
	return c
}

func frame(c Chart) chart.Frame { return chart.Frame{ID: c.ID, Title: c.Title, Desc: c.Desc} }

// maxCategories is how many categories the chart shows before grouping
// the rest (the palette has eight colours).
const maxCategories = 7

func categoryChart(r *Report, cfg *config.Config) Chart {
	totals := map[string]int{}
	for _, m := range r.Bars {
		for k, n := range m.Category {
			totals[k] += n
		}
	}
	var cats []string
	for k, n := range totals {
		if n > 0 {
			cats = append(cats, k)
		}
	}
	order := map[string]int{}
	for i, k := range cfg.Categories {
		order[k] = i
	}
	sort.Slice(cats, func(i, j int) bool {
		if totals[cats[i]] != totals[cats[j]] {
			return totals[cats[i]] > totals[cats[j]]
		}
		return cats[i] < cats[j]
	})
	shown, rest := cats, []string(nil)
	if len(cats) > maxCategories+1 {
		shown, rest = cats[:maxCategories], cats[maxCategories:]
	}
	c := Chart{ID: "chart-category", Title: "Incidents per " + r.BarUnit + " by category",
		Desc: fmt.Sprintf("Stacked bars: incidents per %s split by category; %d categories occur. The table below lists the numbers.", r.BarUnit, len(cats))}
	var series []chart.Series
	for i, k := range shown {
		vals := make([]float64, len(r.Bars))
		for j, m := range r.Bars {
			vals[j] = float64(m.Category[k])
		}
		series = append(series, chart.Series{Name: config.TitleFromSlug(k), Class: chart.Class(i), Values: vals})
	}
	if len(rest) > 0 {
		vals := make([]float64, len(r.Bars))
		for j, m := range r.Bars {
			for _, k := range rest {
				vals[j] += float64(m.Category[k])
			}
		}
		series = append(series, chart.Series{Name: fmt.Sprintf("%d more categories", len(rest)), Class: "s8", Values: vals})
	}
	c.SVG = chart.Bars{Frame: frame(c), Labels: monthLabels(r), Series: series, Stacked: true, YLabel: "incidents", Integer: true}.SVG()
	c.Table.Caption = "Incidents per " + r.BarUnit + " by category"
	c.Table.Head = []string{capital(r.BarUnit), "Total"}
	for _, k := range cats {
		c.Table.Head = append(c.Table.Head, config.TitleFromSlug(k))
	}
	for _, m := range r.Bars {
		row := []Cell{textCell(m.Key), numCell(m.Total)}
		for _, k := range cats {
			row = append(row, numCell(m.Category[k]))
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	return c
}

// topN is how many causes or systems the bar charts show; the tables list
// all of them.
const topN = 10

func change(n int) (string, string) {
	switch {
	case n > 0:
		return fmt.Sprintf("▲ +%d", n), "up"
	case n < 0:
		return fmt.Sprintf("▼ −%d", -n), "down"
	}
	return "= 0", "same"
}

func termChart(id, title, noun string, tcs []TermCount, root string) Chart {
	c := Chart{ID: id, Title: title,
		Desc: fmt.Sprintf("Horizontal bars: incidents per %s in this period, the %d most frequent of %d, with the change of the last 12 months against the 12 months before. The table below lists all of them.", noun, min(topN, len(tcs)), len(tcs))}
	h := chart.HBars{Frame: frame(c)}
	for i, tc := range tcs {
		if i < topN {
			h.Labels = append(h.Labels, tc.Title)
			h.Values = append(h.Values, float64(tc.Count))
			note, cl := change(tc.Change)
			h.Notes = append(h.Notes, note+" (12 mo)")
			h.NoteClasses = append(h.NoteClasses, cl)
		}
		note, cl := change(tc.Change)
		c.Table.Rows = append(c.Table.Rows, []Cell{{Text: tc.Title, Href: link(root, tc.URL)}, numCell(tc.Count),
			numCell(tc.Last12), numCell(tc.Prev12), {Text: note, Num: true, Class: cl}})
	}
	c.SVG = h.SVG()
	c.Table.Caption = title
	c.Table.Head = []string{strings.ToUpper(noun[:1]) + noun[1:], "Incidents", "Last 12 months", "Previous 12 months", "Change"}
	return c
}

func durationChart(r *Report, i int) Chart {
	c := Chart{ID: "chart-" + metrics[i], Title: metricTitles[i] + " per " + r.SpanUnit,
		Desc: fmt.Sprintf("Box plots on a logarithmic time axis, one per %s of the incident's start: minimum to maximum, 25th to 75th percentile, median and 90th percentile of the %s time, near misses and drills excluded; %d incidents have it. The table below lists n, median and p90.", r.SpanUnit, metrics[i], r.Durations[i].N)}
	b := chart.Boxes{Frame: frame(c), Labels: quarterLabels(r), YLabel: "minutes from start (log)", Class: []string{"s3", "s2", "s6"}[i]}
	for _, q := range r.Spans {
		s := q.Durations[i]
		b.Boxes = append(b.Boxes, chart.Box{N: s.N, Min: s.Min, P25: s.P25, Median: s.Median, P75: s.P75, P90: s.P90, Max: s.Max})
	}
	c.SVG = b.SVG()
	c.Table.Caption = metricTitles[i] + " per " + r.SpanUnit
	c.Table.Head = []string{capital(r.SpanUnit), "n", "Median", "p90", "25th pct", "75th pct", "Min", "Max"}
	for _, q := range r.Spans {
		s := q.Durations[i]
		c.Table.Rows = append(c.Table.Rows, []Cell{textCell(q.Key), numCell(s.N),
			minutesCell(s, func(s Stats) float64 { return s.Median }), minutesCell(s, func(s Stats) float64 { return s.P90 }),
			minutesCell(s, func(s Stats) float64 { return s.P25 }), minutesCell(s, func(s Stats) float64 { return s.P75 }),
			minutesCell(s, func(s Stats) float64 { return s.Min }), minutesCell(s, func(s Stats) float64 { return s.Max })})
	}
	s := r.Durations[i]
	c.Table.Rows = append(c.Table.Rows, []Cell{{Text: "Whole period", Class: "total"}, numCell(s.N),
		minutesCell(s, func(s Stats) float64 { return s.Median }), minutesCell(s, func(s Stats) float64 { return s.P90 }),
		minutesCell(s, func(s Stats) float64 { return s.P25 }), minutesCell(s, func(s Stats) float64 { return s.P75 }),
		minutesCell(s, func(s Stats) float64 { return s.Min }), minutesCell(s, func(s Stats) float64 { return s.Max })})
	return c
}

func distributionChart(r *Report) Chart {
	c := Chart{ID: "chart-distribution", Title: "Distribution of durations",
		Desc: "Grouped bars: how many incidents took how long to detect, contain and resolve, in bins that grow roughly tenfold (a logarithmic scale), near misses and drills excluded. The table below lists the numbers."}
	var series []chart.Series
	for i := range metrics {
		vals := make([]float64, len(Bins))
		for j, n := range r.Histogram[i] {
			vals[j] = float64(n)
		}
		series = append(series, chart.Series{Name: metricTitles[i], Class: []string{"s3", "s2", "s6"}[i], Values: vals})
	}
	c.SVG = chart.Bars{Frame: frame(c), Labels: BinLabels, Series: series, YLabel: "incidents", Integer: true}.SVG()
	c.Table.Caption = "Distribution of durations"
	c.Table.Head = []string{"Duration", "Detect", "Contain", "Resolve"}
	for j, l := range BinLabels {
		c.Table.Rows = append(c.Table.Rows, []Cell{textCell(l), numCell(r.Histogram[0][j]), numCell(r.Histogram[1][j]), numCell(r.Histogram[2][j])})
	}
	return c
}

func detectionChart(r *Report) Chart {
	c := Chart{ID: "chart-detection", Title: "Detection sources",
		Desc: fmt.Sprintf("Horizontal bars: how the %d incidents of the period were found. The table below lists the numbers and shares.", r.Incidents)}
	h := chart.HBars{Frame: frame(c), Class: "s4", Width: 1080}
	for _, d := range r.Detection {
		h.Labels = append(h.Labels, d.Title)
		h.Values = append(h.Values, float64(d.Count))
		share := "—"
		if r.Incidents > 0 {
			share = fmt.Sprintf("%.0f%%", 100*float64(d.Count)/float64(r.Incidents))
		}
		c.Table.Rows = append(c.Table.Rows, []Cell{textCell(d.Title), numCell(d.Count), {Text: share, Num: true}})
	}
	c.SVG = h.SVG()
	c.Table.Caption = "Detection sources"
	c.Table.Head = []string{"Source", "Incidents", "Share"}
	return c
}

func actionHealthChart(r *Report) Chart {
	c := Chart{ID: "chart-actions", Title: "Corrective-action health per " + r.SpanUnit,
		Desc: fmt.Sprintf("Lines: corrective actions open and overdue at the end of each %s (or today, for the current one), and actions done during the %s. The table below adds the median days from the incident's resolution to done.", r.SpanUnit, r.SpanUnit)}
	open, overdue, done := make([]float64, len(r.SpanActions)), make([]float64, len(r.SpanActions)), make([]float64, len(r.SpanActions))
	for i, q := range r.SpanActions {
		open[i], overdue[i], done[i] = float64(q.Open), float64(q.Overdue), float64(q.Done)
	}
	c.SVG = chart.Lines{Frame: frame(c), Labels: quarterLabels(r), YLabel: "actions", Integer: true, Series: []chart.Series{
		{Name: "Open at end", Class: "s6", Values: open},
		{Name: "Overdue at end", Class: "s1", Values: overdue},
		{Name: "Done in " + r.SpanUnit, Class: "s4", Values: done},
	}}.SVG()
	c.Table.Caption = "Corrective-action health per " + r.SpanUnit
	c.Table.Head = []string{capital(r.SpanUnit), "Open at end", "Overdue at end", "Done in " + r.SpanUnit, "Median days to done"}
	for _, q := range r.SpanActions {
		med := Cell{Text: "—", Num: true}
		if q.DaysToDone.N > 0 {
			med.Text = fmtFloat(q.DaysToDone.Median)
		}
		c.Table.Rows = append(c.Table.Rows, []Cell{textCell(q.Key), numCell(q.Open), numCell(q.Overdue), numCell(q.Done), med})
	}
	return c
}

func drillsChart(r *Report) Chart {
	c := Chart{ID: "chart-drills", Title: "Near misses and drills per " + r.SpanUnit,
		Desc: fmt.Sprintf("Grouped bars: %d near misses (counted as incidents, left out of durations) and %d drills (never incidents) per %s. The table below lists the numbers.", r.NearMisses, r.Drills, r.SpanUnit)}
	nm, dr := make([]float64, len(r.Spans)), make([]float64, len(r.Spans))
	for i, q := range r.Spans {
		nm[i], dr[i] = float64(q.NearMisses), float64(q.Drills)
	}
	c.SVG = chart.Bars{Frame: frame(c), Labels: quarterLabels(r), YLabel: "count", Integer: true, Height: 220, Series: []chart.Series{
		{Name: "Near misses", Class: "s2", Values: nm}, {Name: "Drills", Class: "s7", Values: dr}}}.SVG()
	c.Table.Caption = "Incidents, near misses and drills per " + r.SpanUnit
	c.Table.Head = []string{capital(r.SpanUnit), "Incidents", "Near misses", "Drills"}
	for _, q := range r.Spans {
		c.Table.Rows = append(c.Table.Rows, []Cell{textCell(q.Key), numCell(q.Incidents), numCell(q.NearMisses), numCell(q.Drills)})
	}
	return c
}

// bucketLabel is a bucket's label under a chart: its key, or "…" for a
// gap (the table beside the chart names the years it covers).
func bucketLabel(key string, gap bool) string {
	if gap {
		return "…"
	}
	return key
}

// unitPlural returns the plural of a bucket unit's name.
func unitPlural(name string) string {
	for _, u := range units {
		if u.name == name {
			return u.plural
		}
	}
	return name + "s"
}

// capital returns s with its first letter upper-cased (ASCII).
func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// gapNote says, when bars has gaps, how they are drawn.
func gapNote(bars []Month) string {
	for _, b := range bars {
		if b.Gap {
			return fmt.Sprintf(" (a run of %d years or more without incidents is one gap, marked …)", GapYears)
		}
	}
	return ""
}
