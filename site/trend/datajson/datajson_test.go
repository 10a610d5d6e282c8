package datajson

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/kbtest"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/trend"
)

func TestDocument(t *testing.T) {
	tr := fixture(t)
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(JSON(tr, trend.AllTime), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"incidents_by_month", "durations_by_quarter", "causes", "systems", "recurrences", "actions", "drills", "near_misses"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("data.json lacks %q", k)
		}
	}
	var d struct {
		Months []struct {
			Month    string         `json:"month"`
			Total    int            `json:"total"`
			Severity map[string]int `json:"severity"`
		} `json:"incidents_by_month"`
		Quarters []struct {
			Quarter string `json:"quarter"`
			Detect  struct {
				N      int      `json:"n"`
				Median *float64 `json:"median_minutes"`
				P90    *float64 `json:"p90_minutes"`
			} `json:"detect"`
		} `json:"durations_by_quarter"`
		Actions map[string]any `json:"actions"`
		Recur   []struct {
			Earlier, Later string
			Did            bool `json:"action_did_not_prevent"`
		} `json:"recurrences"`
		Drills     int `json:"drills"`
		NearMisses int `json:"near_misses"`
	}
	if err := json.Unmarshal(JSON(tr, trend.AllTime), &d); err != nil {
		t.Fatal(err)
	}
	if d.Months[7].Month != "2024-12" || d.Months[7].Severity["SEV1"] != 1 || d.Drills != 1 || d.NearMisses != 1 {
		t.Errorf("months/drills: %+v", d.Months[7])
	}
	q := d.Quarters[3].Detect
	if d.Quarters[3].Quarter != "2025-Q1" || q.N != 2 || *q.Median != 15 || *q.P90 != 20 {
		t.Errorf("2025-Q1 detect %+v", q)
	}
	if d.Quarters[1].Detect.Median != nil {
		t.Error("an empty quarter's median must be null")
	}
	for k, want := range map[string]float64{"open": 3, "overdue": 2, "done": 3, "wont_do": 1, "median_days_to_done": 9} {
		if v, _ := d.Actions[k].(float64); v != want {
			t.Errorf("actions.%s = %v, want %v", k, d.Actions[k], want)
		}
	}
	if len(d.Recur) != 2 || d.Recur[1].Earlier != "a" || !d.Recur[1].Did {
		t.Errorf("recurrences %+v", d.Recur)
	}
	if JSON(tr, "nope") != nil || Of(tr, "nope") != nil {
		t.Error("unknown period")
	}
}

// TestEdgeCases: an empty KB, one incident, a drill alone, an incident
// after the clock, a non-UTC timezone: valid JSON, empty lists as [],
// never NaN.
func TestEdgeCases(t *testing.T) {
	cfg := config.Default()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	nyCfg := config.Default()
	nyCfg.Timezone, nyCfg.Location = "America/New_York", ny
	for _, tt := range []struct {
		name string
		cfg  *config.Config
		ps   []*postmortem.Postmortem
	}{
		{"empty", cfg, nil},
		{"single", cfg, []*postmortem.Postmortem{mk(t, cfg, "one", "2025-06-01T10:00:00Z", "")}},
		{"drill only", cfg, []*postmortem.Postmortem{mk(t, cfg, "dr", "2025-06-01T10:00:00Z", "drill: true")}},
		{"future", cfg, []*postmortem.Postmortem{mk(t, cfg, "fu", "2025-09-01T10:00:00Z", "")}},
		{"timezone", nyCfg, []*postmortem.Postmortem{mk(t, nyCfg, "tz", "2025-04-01T02:00:00Z", "")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tr := trend.Compute(tt.ps, graph.Build(tt.ps, tt.cfg), tt.cfg, clock)
			for _, per := range tr.Periods {
				b := JSON(tr, per.Key)
				var d map[string]any
				if err := json.Unmarshal(b, &d); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(string(b), "NaN") {
					t.Errorf("%s: %s", per.Key, b)
				}
				for _, k := range []string{"incidents_by_month", "durations_by_quarter", "causes", "systems", "detection", "recurrences", "actions_by_quarter"} {
					if _, ok := d[k].([]any); !ok {
						t.Errorf("%s: %s is %v, want a list", per.Key, k, d[k])
					}
				}
			}
			if tt.name == "timezone" {
				d := Of(tr, trend.AllTime)
				if d.Timezone != "America/New_York" || d.IncidentsByMonth[0].Month != "2025-03" || d.DurationsByQuarter[0].Quarter != "2025-Q1" {
					t.Errorf("timezone %s, month %s, quarter %s", d.Timezone, d.IncidentsByMonth[0].Month, d.DurationsByQuarter[0].Quarter)
				}
			}
		})
	}
}

// TestEveryMonth: a long sparse history is charted in buckets with gaps,
// but data.json lists every month and quarter (SPEC §4).
func TestEveryMonth(t *testing.T) {
	cfg := config.Default()
	ps := []*postmortem.Postmortem{mk(t, cfg, "ship", "1628-08-10T16:00:00Z", ""), mk(t, cfg, "relay", "1995-06-03T08:00:00Z", ""), mk(t, cfg, "now", "2024-06-03T08:00:00Z", "")}
	tr := trend.Compute(ps, graph.Build(ps, cfg), cfg, clock)
	r := tr.Report(trend.AllTime)
	if len(r.Bars) >= len(r.Months) {
		t.Fatalf("the fixture should chart buckets: %d bars, %d months", len(r.Bars), len(r.Months))
	}
	d := Of(tr, trend.AllTime)
	wantMonths := (2025*12 + 5) - (1628*12 + 7) + 1 // 1628-08 to 2025-06
	if len(d.IncidentsByMonth) != wantMonths || len(d.DurationsByQuarter) != len(r.Quarters) || len(d.ActionHealth) != len(r.ActionQuarters) {
		t.Errorf("%d months (want %d), %d quarters (want %d), %d action quarters", len(d.IncidentsByMonth), wantMonths, len(d.DurationsByQuarter), len(r.Quarters), len(d.ActionHealth))
	}
	if d.IncidentsByMonth[0].Month != "1628-08" || d.IncidentsByMonth[0].Total != 1 {
		t.Errorf("first month %+v", d.IncidentsByMonth[0])
	}
}

// TestOrderFree: the document does not depend on the order of the
// postmortems handed to trend.Compute.
func TestOrderFree(t *testing.T) {
	cfg, k := kbtest.Load(t, kbtest.Generate(t, 300, 5), kb.Options{DropBody: true})
	ps := k.Postmortems
	shuffled := slices.Clone(ps)
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	now := kbgen.DefaultNow.Add(12 * time.Hour)
	a := trend.Compute(ps, graph.Build(ps, cfg), cfg, now)
	b := trend.Compute(shuffled, graph.Build(shuffled, cfg), cfg, now)
	for _, p := range a.Periods {
		if ja, jb := string(JSON(a, p.Key)), string(JSON(b, p.Key)); ja != jb {
			t.Errorf("period %s: the JSON differs with the postmortems shuffled", p.Key)
		}
	}
}

// mk parses a one-incident postmortem: detected +30 min, resolved +60 min,
// no contained.
func mk(t *testing.T, cfg *config.Config, id, started, extra string) *postmortem.Postmortem {
	t.Helper()
	st, err := time.Parse(time.RFC3339, started)
	if err != nil {
		t.Fatal(err)
	}
	src := fmt.Sprintf("---\ntitle: %s\nseverity: SEV2\nstatus: published\ncategory: outage\nstarted: %s\ndetected: %s\nresolved: %s\nroot_causes: [x]\nsystems: [y]\nauthors: [a]\nactions:\n  - {title: t, owner: o, priority: P1, due: 2025-07-01}\n%s\n---\n## Summary\nx\n",
		id, started, st.Add(30*time.Minute).Format(time.RFC3339), st.Add(time.Hour).Format(time.RFC3339), extra)
	p := postmortem.NewParser(kb.ParserOptions(cfg)).Parse("content/postmortems/"+id+".md", []byte(src))
	if len(p.Problems) > 0 {
		t.Fatal(p.Problems)
	}
	return p
}
