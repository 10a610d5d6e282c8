package trend

import (
	"encoding/json"
	"math"
	"time"
)

// Data is the /trends/data.json document of one period: the numbers behind
// the charts (SPEC §4 keys, plus period, totals, detection, distributions
// and action health).
type Data struct {
	Period    DataPeriod `json:"period"`
	Generated string     `json:"generated"`
	Timezone  string     `json:"timezone"`
	// Incidents counts non-drill postmortems (near misses included).
	Incidents          int           `json:"incidents"`
	IncidentsByMonth   []DataMonth   `json:"incidents_by_month"`
	DurationsByQuarter []DataQuarter `json:"durations_by_quarter"`
	// Durations are the period's stats per metric.
	Durations    DataDurations  `json:"durations"`
	Distribution []DataBin      `json:"distribution"`
	Causes       []DataTerm     `json:"causes"`
	Systems      []DataTerm     `json:"systems"`
	Detection    []DataCount    `json:"detection"`
	Recurrences  []DataRecur    `json:"recurrences"`
	Actions      DataActions    `json:"actions"`
	ActionHealth []DataActionsQ `json:"actions_by_quarter"`
	Drills       int            `json:"drills"`
	NearMisses   int            `json:"near_misses"`
}

// DataPeriod says which window the document covers; from and to are
// empty for all time.
type DataPeriod struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
}

// DataMonth is one entry of incidents_by_month.
type DataMonth struct {
	Month      string         `json:"month"`
	Total      int            `json:"total"`
	Severity   map[string]int `json:"severity"`
	Category   map[string]int `json:"category"`
	NearMisses int            `json:"near_misses"`
	Drills     int            `json:"drills"`
}

// DataQuarter is one entry of durations_by_quarter.
type DataQuarter struct {
	Quarter string   `json:"quarter"`
	Detect  DataStat `json:"detect"`
	Contain DataStat `json:"contain"`
	Resolve DataStat `json:"resolve"`
}

// DataDurations holds one DataStat per metric.
type DataDurations struct {
	Detect  DataStat `json:"detect"`
	Contain DataStat `json:"contain"`
	Resolve DataStat `json:"resolve"`
}

// DataStat is n, median and p90 in minutes (null when n is 0), plus the
// spread the box plots draw.
type DataStat struct {
	N      int      `json:"n"`
	Median *float64 `json:"median_minutes"`
	P90    *float64 `json:"p90_minutes"`
	P25    *float64 `json:"p25_minutes,omitempty"`
	P75    *float64 `json:"p75_minutes,omitempty"`
	Min    *float64 `json:"min_minutes,omitempty"`
	Max    *float64 `json:"max_minutes,omitempty"`
}

// DataBin is one bin of the duration histogram.
type DataBin struct {
	// From and To are the bin's minutes, To null for the last.
	From    float64  `json:"from_minutes"`
	To      *float64 `json:"to_minutes"`
	Label   string   `json:"label"`
	Detect  int      `json:"detect"`
	Contain int      `json:"contain"`
	Resolve int      `json:"resolve"`
}

// DataTerm is one cause or system.
type DataTerm struct {
	Slug   string `json:"slug"`
	Count  int    `json:"count"`
	Last12 int    `json:"last_12_months"`
	Prev12 int    `json:"previous_12_months"`
	Change int    `json:"change"`
}

// DataCount is a slug and a count.
type DataCount struct {
	Slug  string `json:"slug"`
	Count int    `json:"count"`
}

// DataRecur is one recurrence.
type DataRecur struct {
	Earlier             string   `json:"earlier"`
	Later               string   `json:"later"`
	Causes              []string `json:"causes"`
	Systems             []string `json:"systems"`
	ActionDidNotPrevent bool     `json:"action_did_not_prevent"`
}

// DataActions counts the period's actions: open includes in-progress and
// overdue ones.
type DataActions struct {
	Open             int      `json:"open"`
	InProgress       int      `json:"in_progress"`
	Overdue          int      `json:"overdue"`
	Done             int      `json:"done"`
	WontDo           int      `json:"wont_do"`
	MedianDaysToDone *float64 `json:"median_days_to_done"`
}

// DataActionsQ is action health at the end of one quarter.
type DataActionsQ struct {
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

func dataStat(s Stats, spread bool) DataStat {
	d := DataStat{N: s.N}
	if s.N == 0 {
		return d
	}
	d.Median, d.P90 = ptr(s.Median), ptr(s.P90)
	if spread {
		d.P25, d.P75, d.Min, d.Max = ptr(s.P25), ptr(s.P75), ptr(s.Min), ptr(s.Max)
	}
	return d
}

// Data returns the data.json document of the period with key, or nil.
func (t *Trends) Data(key string) *Data {
	r := t.reports[key]
	if r == nil {
		return nil
	}
	loc := location(t.Config)
	d := &Data{
		Period:     DataPeriod{Key: r.Period.Key, Title: r.Period.Title},
		Generated:  t.Now.In(loc).Format(time.RFC3339),
		Timezone:   loc.String(),
		Incidents:  r.Incidents,
		Drills:     r.Drills,
		NearMisses: r.NearMisses,
		// Empty lists are [] rather than null.
		IncidentsByMonth:   []DataMonth{},
		DurationsByQuarter: []DataQuarter{},
		Causes:             []DataTerm{},
		Systems:            []DataTerm{},
		Detection:          []DataCount{},
		Recurrences:        []DataRecur{},
		ActionHealth:       []DataActionsQ{},
	}
	if !r.Period.From.IsZero() {
		d.Period.From = r.Period.From.Format("2006-01-02")
		d.Period.To = r.Period.To.Format("2006-01-02")
	}
	for _, m := range r.Months {
		d.IncidentsByMonth = append(d.IncidentsByMonth, DataMonth{Month: m.Key, Total: m.Total, Severity: m.Severity,
			Category: m.Category, NearMisses: m.NearMisses, Drills: m.Drills})
	}
	for _, q := range r.Quarters {
		d.DurationsByQuarter = append(d.DurationsByQuarter, DataQuarter{Quarter: q.Key,
			Detect: dataStat(q.Durations[0], false), Contain: dataStat(q.Durations[1], false), Resolve: dataStat(q.Durations[2], false)})
	}
	d.Durations = DataDurations{Detect: dataStat(r.Durations[0], true), Contain: dataStat(r.Durations[1], true), Resolve: dataStat(r.Durations[2], true)}
	for i, from := range Bins {
		b := DataBin{From: from, Label: BinLabels[i], Detect: r.Histogram[0][i], Contain: r.Histogram[1][i], Resolve: r.Histogram[2][i]}
		if i+1 < len(Bins) {
			b.To = ptr(Bins[i+1])
		}
		d.Distribution = append(d.Distribution, b)
	}
	for _, c := range r.Causes {
		d.Causes = append(d.Causes, DataTerm{Slug: c.Slug, Count: c.Count, Last12: c.Last12, Prev12: c.Prev12, Change: c.Change})
	}
	for _, c := range r.Systems {
		d.Systems = append(d.Systems, DataTerm{Slug: c.Slug, Count: c.Count, Last12: c.Last12, Prev12: c.Prev12, Change: c.Change})
	}
	for _, c := range r.Detection {
		d.Detection = append(d.Detection, DataCount{Slug: c.Slug, Count: c.Count})
	}
	for _, rec := range r.Recurrences {
		d.Recurrences = append(d.Recurrences, DataRecur{Earlier: rec.Earlier.ID, Later: rec.Later.ID,
			Causes: nonNil(rec.Causes), Systems: nonNil(rec.Systems), ActionDidNotPrevent: rec.ActionDidNotPrevent})
	}
	a := r.Actions
	d.Actions = DataActions{Open: a.Open, InProgress: a.InProgress, Overdue: a.Overdue, Done: a.Done, WontDo: a.WontDo}
	if a.DaysToDone.N > 0 {
		d.Actions.MedianDaysToDone = ptr(a.DaysToDone.Median)
	}
	for _, q := range r.ActionQuarters {
		dq := DataActionsQ{Quarter: q.Key, At: q.At.In(loc).Format(time.RFC3339), Open: q.Open, Overdue: q.Overdue, Done: q.Done}
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
func (t *Trends) JSON(key string) []byte {
	d := t.Data(key)
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
