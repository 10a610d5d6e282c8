package datajson

import (
	"encoding/json"
	"math"
	"time"

	"github.com/hindsight-kb/hindsight/site/trend"
)

// Document is the /trends/data.json document of one period: the numbers
// behind the charts (SPEC §4 keys, plus period, totals, detection,
// distributions and action health).
type Document struct {
	Period    Period `json:"period"`
	Generated string `json:"generated"`
	Timezone  string `json:"timezone"`
	// Incidents counts non-drill postmortems (near misses included).
	Incidents          int       `json:"incidents"`
	IncidentsByMonth   []Month   `json:"incidents_by_month"`
	DurationsByQuarter []Quarter `json:"durations_by_quarter"`
	// Durations are the period's stats per metric.
	Durations    Durations        `json:"durations"`
	Distribution []Bin            `json:"distribution"`
	Causes       []Term           `json:"causes"`
	Systems      []Term           `json:"systems"`
	Detection    []Count          `json:"detection"`
	Recurrences  []Recurrence     `json:"recurrences"`
	Actions      Actions          `json:"actions"`
	ActionHealth []ActionsQuarter `json:"actions_by_quarter"`
	Drills       int              `json:"drills"`
	NearMisses   int              `json:"near_misses"`
}

// Period says which window the document covers; from and to are
// empty for all time.
type Period struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
}

// Month is one entry of incidents_by_month.
type Month struct {
	Month      string         `json:"month"`
	Total      int            `json:"total"`
	Severity   map[string]int `json:"severity"`
	Category   map[string]int `json:"category"`
	NearMisses int            `json:"near_misses"`
	Drills     int            `json:"drills"`
}

// Quarter is one entry of durations_by_quarter.
type Quarter struct {
	Quarter string `json:"quarter"`
	Detect  Stat   `json:"detect"`
	Contain Stat   `json:"contain"`
	Resolve Stat   `json:"resolve"`
}

// Durations holds one Stat per metric.
type Durations struct {
	Detect  Stat `json:"detect"`
	Contain Stat `json:"contain"`
	Resolve Stat `json:"resolve"`
}

// Stat is n, median and p90 in minutes (null when n is 0), plus the
// spread the box plots draw.
type Stat struct {
	N      int      `json:"n"`
	Median *float64 `json:"median_minutes"`
	P90    *float64 `json:"p90_minutes"`
	P25    *float64 `json:"p25_minutes,omitempty"`
	P75    *float64 `json:"p75_minutes,omitempty"`
	Min    *float64 `json:"min_minutes,omitempty"`
	Max    *float64 `json:"max_minutes,omitempty"`
}

// Bin is one bin of the duration histogram.
type Bin struct {
	// From and To are the bin's minutes, To null for the last.
	From    float64  `json:"from_minutes"`
	To      *float64 `json:"to_minutes"`
	Label   string   `json:"label"`
	Detect  int      `json:"detect"`
	Contain int      `json:"contain"`
	Resolve int      `json:"resolve"`
}

// Term is one cause or system.
type Term struct {
	Slug   string `json:"slug"`
	Count  int    `json:"count"`
	Last12 int    `json:"last_12_months"`
	Prev12 int    `json:"previous_12_months"`
	Change int    `json:"change"`
}

// Count is a slug and a count.
type Count struct {
	Slug  string `json:"slug"`
	Count int    `json:"count"`
}

// Recurrence is one recurrence.
type Recurrence struct {
	Earlier             string   `json:"earlier"`
	Later               string   `json:"later"`
	Causes              []string `json:"causes"`
	Systems             []string `json:"systems"`
	ActionDidNotPrevent bool     `json:"action_did_not_prevent"`
}

// Actions counts the period's actions: open includes in-progress and
// overdue ones.
type Actions struct {
	Open             int      `json:"open"`
	InProgress       int      `json:"in_progress"`
	Overdue          int      `json:"overdue"`
	Done             int      `json:"done"`
	WontDo           int      `json:"wont_do"`
	MedianDaysToDone *float64 `json:"median_days_to_done"`
}

// ActionsQuarter is action health at the end of one quarter.
type ActionsQuarter struct {
	Quarter          string   `json:"quarter"`
	At               string   `json:"at"`
	Open             int      `json:"open"`
	Overdue          int      `json:"overdue"`
	Done             int      `json:"done"`
	MedianDaysToDone *float64 `json:"median_days_to_done"`
}

func ptr(v float64) *float64 {
	v = math.Round(v*100) / 100
	return &v
}

func stat(s trend.Stats, spread bool) Stat {
	d := Stat{N: s.N}
	if s.N == 0 {
		return d
	}
	d.Median, d.P90 = ptr(s.Median), ptr(s.P90)
	if spread {
		d.P25, d.P75, d.Min, d.Max = ptr(s.P25), ptr(s.P75), ptr(s.Min), ptr(s.Max)
	}
	return d
}

// Of returns the data.json document of the period with key (see
// trend.Trends.Report), or nil.
func Of(t *trend.Trends, key string) *Document {
	r := t.Report(key)
	if r == nil {
		return nil
	}
	loc := time.UTC
	if t.Config != nil && t.Config.Location != nil {
		loc = t.Config.Location
	}
	d := &Document{
		Period:     Period{Key: r.Period.Key, Title: r.Period.Title},
		Generated:  t.Now.In(loc).Format(time.RFC3339),
		Timezone:   loc.String(),
		Incidents:  r.Incidents,
		Drills:     r.Drills,
		NearMisses: r.NearMisses,
		// Empty lists are [] rather than null.
		IncidentsByMonth:   []Month{},
		DurationsByQuarter: []Quarter{},
		Causes:             []Term{},
		Systems:            []Term{},
		Detection:          []Count{},
		Recurrences:        []Recurrence{},
		ActionHealth:       []ActionsQuarter{},
	}
	if !r.Period.From.IsZero() {
		d.Period.From = r.Period.From.Format("2006-01-02")
		d.Period.To = r.Period.To.Format("2006-01-02")
	}
	for _, m := range r.Months {
		d.IncidentsByMonth = append(d.IncidentsByMonth, Month{Month: m.Key, Total: m.Total, Severity: m.Severity,
			Category: m.Category, NearMisses: m.NearMisses, Drills: m.Drills})
	}
	for _, q := range r.Quarters {
		d.DurationsByQuarter = append(d.DurationsByQuarter, Quarter{Quarter: q.Key,
			Detect: stat(q.Durations[0], false), Contain: stat(q.Durations[1], false), Resolve: stat(q.Durations[2], false)})
	}
	d.Durations = Durations{Detect: stat(r.Durations[0], true), Contain: stat(r.Durations[1], true), Resolve: stat(r.Durations[2], true)}
	for i, from := range trend.Bins {
		b := Bin{From: from, Label: trend.BinLabels[i], Detect: r.Histogram[0][i], Contain: r.Histogram[1][i], Resolve: r.Histogram[2][i]}
		if i+1 < len(trend.Bins) {
			b.To = ptr(trend.Bins[i+1])
		}
		d.Distribution = append(d.Distribution, b)
	}
	for _, c := range r.Causes {
		d.Causes = append(d.Causes, Term{Slug: c.Slug, Count: c.Count, Last12: c.Last12, Prev12: c.Prev12, Change: c.Change})
	}
	for _, c := range r.Systems {
		d.Systems = append(d.Systems, Term{Slug: c.Slug, Count: c.Count, Last12: c.Last12, Prev12: c.Prev12, Change: c.Change})
	}
	for _, c := range r.Detection {
		d.Detection = append(d.Detection, Count{Slug: c.Slug, Count: c.Count})
	}
	for _, rec := range r.Recurrences {
		d.Recurrences = append(d.Recurrences, Recurrence{Earlier: rec.Earlier.ID, Later: rec.Later.ID,
			Causes: nonNil(rec.Causes), Systems: nonNil(rec.Systems), ActionDidNotPrevent: rec.ActionDidNotPrevent})
	}
	a := r.Actions
	d.Actions = Actions{Open: a.Open, InProgress: a.InProgress, Overdue: a.Overdue, Done: a.Done, WontDo: a.WontDo}
	if a.DaysToDone.N > 0 {
		d.Actions.MedianDaysToDone = ptr(a.DaysToDone.Median)
	}
	for _, q := range r.ActionQuarters {
		dq := ActionsQuarter{Quarter: q.Key, At: q.At.In(loc).Format(time.RFC3339), Open: q.Open, Overdue: q.Overdue, Done: q.Done}
		if q.DaysToDone.N > 0 {
			dq.MedianDaysToDone = ptr(q.DaysToDone.Median)
		}
		d.ActionHealth = append(d.ActionHealth, dq)
	}
	return d
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// JSON returns the data.json document of the period with key, indented,
// with a final newline; nil for an unknown key.
func JSON(t *trend.Trends, key string) []byte {
	d := Of(t, key)
	if d == nil {
		return nil
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		// Every value is a plain number, string or map: cannot happen.
		panic(err)
	}
	return append(b, '\n')
}
