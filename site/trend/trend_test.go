package trend

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

func TestMedianAndP90(t *testing.T) {
	for _, c := range []struct {
		in          []float64
		median, p90 float64
	}{
		{nil, 0, 0},
		{[]float64{7}, 7, 7},
		{[]float64{10, 20}, 15, 20}, // ⌈1.8⌉ = 2
		{[]float64{3, 1, 2}, 2, 3},  // ⌈2.7⌉ = 3
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5.5, 9},          // ⌈9.0⌉ = 9, not 10
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 6, 10},       // ⌈9.9⌉ = 10
		{[]float64{5, 5, 5, 5}, 5, 5},                               // ties
		{[]float64{0, 0, 1000}, 0, 1000},                            // skew
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 6.5, 11}, // ⌈10.8⌉ = 11
	} {
		s := Summarize(append([]float64(nil), c.in...))
		if s.N != len(c.in) || s.Median != c.median || s.P90 != c.p90 {
			t.Errorf("Summarize(%v) = n %d median %v p90 %v, want %d %v %v", c.in, s.N, s.Median, s.P90, len(c.in), c.median, c.p90)
		}
	}
}

func TestPeriods(t *testing.T) {
	_, tr, _ := fixture(t)
	l := tr.Last12
	if l.From != time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC) || l.To != time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("last 12 months = %v..%v", l.From, l.To)
	}
	if p := tr.Prev12; p.From != time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC) || p.To != l.From {
		t.Errorf("previous 12 months = %v..%v", p.From, p.To)
	}
	if len(tr.Periods) != 2 || tr.Periods[0].URL != "trends/" || tr.Periods[1].URL != "trends/12m/" {
		t.Errorf("periods %+v", tr.Periods)
	}
}

func TestCountsAllTime(t *testing.T) {
	_, tr, _ := fixture(t)
	r := tr.Report(AllTime)
	// a, b, c (near miss), e, g; d is a drill, f a draft.
	if r.Incidents != 5 || r.NearMisses != 1 || r.Drills != 1 {
		t.Errorf("incidents %d near misses %d drills %d, want 5 1 1", r.Incidents, r.NearMisses, r.Drills)
	}
	if len(r.Months) != 14 || r.Months[0].Key != "2024-05" || r.Months[13].Key != "2025-06" {
		t.Fatalf("months %d %s..%s, want 14 2024-05..2025-06", len(r.Months), r.Months[0].Key, r.Months[len(r.Months)-1].Key)
	}
	got := map[string]string{}
	for _, m := range r.Months {
		if m.Total+m.Drills > 0 {
			got[m.Key] = fmt.Sprintf("total=%d near=%d drills=%d SEV1=%d SEV2=%d SEV4=%d outage=%d", m.Total, m.NearMisses, m.Drills,
				m.Severity["SEV1"], m.Severity["SEV2"], m.Severity["SEV4"], m.Category["outage"])
		}
		if len(m.Severity) != 4 || len(m.Category) != 11 {
			t.Errorf("%s: every configured severity and category must be present: %v %v", m.Key, m.Severity, m.Category)
		}
	}
	want := map[string]string{
		"2024-05": "total=1 near=0 drills=0 SEV1=0 SEV2=0 SEV4=1 outage=0",
		"2024-12": "total=1 near=0 drills=0 SEV1=1 SEV2=0 SEV4=0 outage=0",
		"2025-01": "total=1 near=0 drills=0 SEV1=0 SEV2=1 SEV4=0 outage=1",
		"2025-02": "total=1 near=1 drills=1 SEV1=0 SEV2=1 SEV4=0 outage=1",
		"2025-03": "total=1 near=0 drills=0 SEV1=0 SEV2=1 SEV4=0 outage=1",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("months\n got %v\nwant %v", got, want)
	}
	if r.Months[1].Total != 0 || r.Months[1].Key != "2024-06" {
		t.Errorf("empty months must be present: %+v", r.Months[1])
	}
}

func stat(s Stats) string { return fmt.Sprintf("n=%d med=%g p90=%g", s.N, s.Median, s.P90) }

func TestDurationsByQuarter(t *testing.T) {
	_, tr, _ := fixture(t)
	r := tr.Report(AllTime)
	got := map[string]string{}
	for _, q := range r.Quarters {
		got[q.Key] = stat(q.Durations[0]) + " | " + stat(q.Durations[1]) + " | " + stat(q.Durations[2])
	}
	want := map[string]string{
		"2024-Q2": "n=1 med=100 p90=100 | n=1 med=200 p90=200 | n=1 med=400 p90=400",
		"2024-Q3": "n=0 med=0 p90=0 | n=0 med=0 p90=0 | n=0 med=0 p90=0",
		// a started 2024-12-31 23:00 and resolved in 2025: it stays in Q4.
		"2024-Q4": "n=1 med=30 p90=30 | n=1 med=60 p90=60 | n=1 med=1560 p90=1560",
		// b and e; c is a near miss (left out), d a drill; b has no
		// contained.
		"2025-Q1": "n=2 med=15 p90=20 | n=1 med=60 p90=60 | n=2 med=210 p90=300",
		"2025-Q2": "n=0 med=0 p90=0 | n=0 med=0 p90=0 | n=0 med=0 p90=0",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("quarters\n got %v\nwant %v", got, want)
	}
	if len(r.Quarters) != 5 || r.Quarters[0].Key != "2024-Q2" {
		t.Errorf("quarters must run 2024-Q2..2025-Q2 in order: %d", len(r.Quarters))
	}
	all := stat(r.Durations[0]) + " | " + stat(r.Durations[1]) + " | " + stat(r.Durations[2])
	if want := "n=4 med=25 p90=100 | n=3 med=60 p90=200 | n=4 med=350 p90=1560"; all != want {
		t.Errorf("period durations\n got %s\nwant %s", all, want)
	}
	// Histogram: resolve 120 → 1–4 h, 300 and 400 → 4–12 h, 1560 → 1–3 d.
	if h := fmt.Sprint(r.Histogram[2]); h != "[0 0 0 1 2 0 1 0 0 0]" {
		t.Errorf("resolve histogram %s", h)
	}
	if h := fmt.Sprint(r.Histogram[0]); h != "[0 1 2 1 0 0 0 0 0 0]" { // 10 | 20 30 | 100
		t.Errorf("detect histogram %s", h)
	}
}

func TestTopTermsAndDetection(t *testing.T) {
	_, tr, _ := fixture(t)
	r := tr.Report(AllTime)
	terms := func(tcs []TermCount) string {
		var s []string
		for _, c := range tcs {
			s = append(s, fmt.Sprintf("%s=%d(%d/%d %+d)", c.Slug, c.Count, c.Last12, c.Prev12, c.Change))
		}
		return strings.Join(s, " ")
	}
	// The drill d (expired-cert, edge) and the draft f are not counted.
	if got, want := terms(r.Causes), "dns=3(2/1 +1) expired-cert=3(3/0 +3)"; got != want {
		t.Errorf("causes\n got %s\nwant %s", got, want)
	}
	if got, want := terms(r.Systems), "login=3(3/0 +3) edge=2(2/0 +2) db=1(0/1 -1)"; got != want {
		t.Errorf("systems\n got %s\nwant %s", got, want)
	}
	if r.Causes[0].URL != "causes/dns/" || r.Causes[1].Title != "Expired cert" {
		t.Errorf("term link/title %+v", r.Causes)
	}
	var det []string
	for _, c := range r.Detection {
		det = append(det, fmt.Sprintf("%s=%d", c.Slug, c.Count))
	}
	if got, want := strings.Join(det, " "), "internal-alert=2 audit=1 customer-report=1 not-recorded=1"; got != want {
		t.Errorf("detection\n got %s\nwant %s", got, want)
	}
	r12 := tr.Report(Last12Months)
	if got, want := terms(r12.Causes), "expired-cert=3(3/0 +3) dns=2(2/1 +1)"; got != want {
		t.Errorf("12m causes\n got %s\nwant %s", got, want)
	}
}

func TestRecurrences(t *testing.T) {
	_, tr, _ := fixture(t)
	r := tr.Report(AllTime)
	var got []string
	for _, rec := range r.Recurrences {
		got = append(got, fmt.Sprintf("%s<-%s %v %v %v", rec.Earlier.ID, rec.Later.ID, rec.Causes, rec.Systems, rec.ActionDidNotPrevent))
	}
	// e recurs c (the most recent earlier incident sharing dns and login;
	// near misses are incidents), not b; b recurs a after a's action was
	// done: did not prevent.
	want := "c<-e [dns] [login] false; a<-b [expired-cert] [edge] true"
	if strings.Join(got, "; ") != want {
		t.Errorf("recurrences\n got %s\nwant %s", strings.Join(got, "; "), want)
	}
	if r.NotPrevented != 1 {
		t.Errorf("not prevented %d", r.NotPrevented)
	}
}

func TestActionSummaryAndHealth(t *testing.T) {
	_, tr, _ := fixture(t)
	r := tr.Report(AllTime)
	a := r.Actions
	// a done(8 d), b open overdue + in-progress, c wont-do, d (drill) open
	// overdue, e done(10 d), g done without done_on; f is a draft.
	if got := fmt.Sprintf("total=%d open=%d inprog=%d overdue=%d done=%d wont=%d dtd=%s", a.Total, a.Open, a.InProgress, a.Overdue, a.Done, a.WontDo, stat(a.DaysToDone)); got != "total=7 open=3 inprog=1 overdue=2 done=3 wont=1 dtd=n=2 med=9 p90=10" {
		t.Errorf("actions %s", got)
	}
	var got []string
	for _, q := range r.ActionQuarters {
		got = append(got, fmt.Sprintf("%s open=%d overdue=%d done=%d med=%g", q.Key, q.Open, q.Overdue, q.Done, q.DaysToDone.Median))
	}
	want := []string{
		"2024-Q2 open=0 overdue=0 done=0 med=0", // g's done action has no done_on
		"2024-Q3 open=0 overdue=0 done=0 med=0",
		"2024-Q4 open=0 overdue=0 done=0 med=0", // a's action is created at its resolution, in 2025
		"2025-Q1 open=3 overdue=1 done=2 med=9", // b×2, d (due 03-01) open; a, e done
		"2025-Q2 open=3 overdue=2 done=0 med=0", // at the clock: b's open one is past due too
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("action health\n got %s\nwant %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	r12 := tr.Report(Last12Months)
	if r12.Actions.Total != 6 || r12.Actions.Done != 2 || r12.Incidents != 4 || len(r12.Months) != 12 || len(r12.Quarters) != 4 {
		t.Errorf("12m: actions %+v incidents %d months %d quarters %d", r12.Actions, r12.Incidents, len(r12.Months), len(r12.Quarters))
	}
}

func TestActionList(t *testing.T) {
	ps, tr, cfg := fixture(t)
	rows := ActionList(ps, cfg, clock) // draft f included: the caller passed it
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s/%d %s od=%d age=%d", r.Postmortem.ID, r.Action.Index, r.Group, r.DaysOverdue, r.AgeDays))
	}
	want := []string{
		"d/0 overdue od=106 age=115", // due 2025-03-01; resolved 2025-02-20
		"f/0 overdue od=74 age=75",   // draft: no resolved, age from started
		"b/0 overdue od=14 age=151",
		"b/1 open od=0 age=151",
		"e/0 done od=0 age=10",
		"a/0 done od=0 age=8",
		"g/0 done od=0 age=0",
		"c/0 wont-do od=0 age=0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows\n got %s\nwant %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rows[3].TicketURL() != "https://tickets.example.com/SEC-2" || rows[2].TicketURL() != "" {
		t.Error("ticket URL")
	}
	if len(tr.actions) != 8 {
		t.Errorf("Trends keeps every input action for /actions/: %d", len(tr.actions))
	}
}

// TestEdgeCases: an empty KB, one incident, no contained, a non-UTC
// timezone, must neither panic nor divide by zero, and every chart must
// render.
func TestEdgeCases(t *testing.T) {
	cfg := config.Default()
	for name, ps := range map[string][]*postmortem.Postmortem{
		"empty":      nil,
		"single":     {mk(t, cfg, "one", "2025-06-01T10:00:00Z", "")},
		"drill only": {mk(t, cfg, "dr", "2025-06-01T10:00:00Z", "drill: true")},
		"future":     {mk(t, cfg, "fu", "2025-09-01T10:00:00Z", "")},
	} {
		t.Run(name, func(t *testing.T) {
			tr := Compute(ps, graph.Build(ps, cfg), cfg, clock)
			for _, per := range tr.Periods {
				v := tr.View(per.Key)
				for _, c := range v.Charts() {
					if svg := string(c.SVG); !strings.Contains(svg, "</svg>") || strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") {
						t.Errorf("%s %s: bad svg %.200s", per.Key, c.ID, svg)
					}
				}
			}
		})
	}
	ps := []*postmortem.Postmortem{mk(t, cfg, "one", "2025-06-01T10:00:00Z", "")}
	r := Compute(ps, nil, cfg, clock).Report(AllTime)
	if r.Quarters[0].Durations[1].N != 0 || r.Quarters[0].Durations[2].Median != 60 || len(r.Months) != 1 {
		t.Errorf("single: %+v", r.Quarters)
	}
}

func TestTimezone(t *testing.T) {
	cfg := config.Default()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	cfg.Timezone, cfg.Location = "America/New_York", loc
	// 2025-04-01T02:00Z is 2025-03-31 22:00 in New York: March, Q1.
	ps := []*postmortem.Postmortem{mk(t, cfg, "tz", "2025-04-01T02:00:00Z", "")}
	r := Compute(ps, nil, cfg, clock).Report(AllTime)
	if r.Months[0].Key != "2025-03" || r.Quarters[0].Key != "2025-Q1" {
		t.Errorf("month %s quarter %s, want 2025-03 2025-Q1", r.Months[0].Key, r.Quarters[0].Key)
	}
}

// mk parses a one-incident postmortem: detected +30 min, resolved +60 min,
// no contained.
func mk(t *testing.T, cfg *config.Config, id, started, extra string) *postmortem.Postmortem {
	t.Helper()
	st, _ := time.Parse(time.RFC3339, started)
	src := fmt.Sprintf("---\ntitle: %s\nseverity: SEV2\nstatus: published\ncategory: outage\nstarted: %s\ndetected: %s\nresolved: %s\nroot_causes: [x]\nsystems: [y]\nauthors: [a]\nactions:\n  - {title: t, owner: o, priority: P1, due: 2025-07-01}\n%s\n---\n## Summary\nx\n",
		id, started, st.Add(30*time.Minute).Format(time.RFC3339), st.Add(time.Hour).Format(time.RFC3339), extra)
	p := newParser(cfg).Parse("content/postmortems/"+id+".md", []byte(src))
	if len(p.Problems) > 0 {
		t.Fatal(p.Problems)
	}
	return p
}

var _ = math.Inf
