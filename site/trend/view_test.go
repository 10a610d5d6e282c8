package trend

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/graph"
)

func TestViewStats(t *testing.T) {
	_, tr, _ := fixture(t)
	v := tr.View(AllTime)
	var got []string
	for _, s := range v.Stats {
		got = append(got, fmt.Sprintf("%s=%s (%s)", s.Label, s.Value, s.Note))
	}
	want := []string{
		"Incidents=5 (near misses included)",
		"Near misses=1 (not in durations)",
		"Drills=1 (not incidents)",
		"Median time to detect=25 min (p90 1.7 h)", // 100 min
		"Median time to resolve=5.8 h (p90 1.1 d)", // 350 min; 1560 min
		"Open actions=3 (2 overdue)",
		"Median days to done=9 (3 done, 1 won't do)",
		"Recurrences=2 (1 not prevented by a done action)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("stats\n got %s\nwant %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(v.Charts()) != 12 || v.Root != "../" || v.Periods[0].Href != "../trends/index.html" || !v.Periods[0].Current {
		t.Errorf("view frame: %d charts, root %q, periods %+v", len(v.Charts()), v.Root, v.Periods)
	}
	// The resolve table's whole-period row repeats the SPEC numbers.
	last := v.Durations[2].Table.Rows[len(v.Durations[2].Table.Rows)-1]
	if last[0].Text != "Whole period" || last[1].Text != "4" || last[2].Text != "5.8 h" || last[3].Text != "1.1 d" {
		t.Errorf("resolve totals %+v", last)
	}
	if tr.View("nope") != nil {
		t.Error("unknown period")
	}
}

func TestTermView(t *testing.T) {
	ps, tr, cfg := fixture(t)
	g := graph.Build(ps, cfg)
	tv := tr.Term(g.Taxonomy(graph.Causes).Term("expired-cert"))
	var counts []string
	for _, r := range tv.Chart.Table.Rows {
		counts = append(counts, r[0].Text+"="+r[1].Text)
	}
	// a in 2024-Q4, b and e in 2025-Q1; the drill d is not an incident.
	if tv.Incidents != 3 || strings.Join(counts, " ") != "2024-Q4=1 2025-Q1=2" {
		t.Errorf("term incidents %d %v", tv.Incidents, counts)
	}
	var open []string
	for _, r := range tv.Open {
		open = append(open, fmt.Sprintf("%s/%d", r.Postmortem.ID, r.Action.Index))
	}
	// The drill's action counts: it is follow-up work.
	if strings.Join(open, " ") != "d/0 b/0 b/1" || tv.OpenTotal != 3 || tv.Overdue != 2 || tv.Open[0].Href != "../../postmortems/d/index.html#actions" {
		t.Errorf("term open actions %v total %d overdue %d", open, tv.OpenTotal, tv.Overdue)
	}
	if tr.Term(nil) == nil {
		t.Error("nil term")
	}
}

func TestActionsView(t *testing.T) {
	_, tr, _ := fixture(t)
	v := tr.Actions()
	var groups []string
	for _, g := range v.Groups {
		groups = append(groups, fmt.Sprintf("%s=%d", g.Key, len(g.Rows)))
	}
	// The fixture's draft f was passed to Compute, so its action is listed.
	if strings.Join(groups, " ") != "overdue=3 open=1 done=3 wont-do=1" {
		t.Errorf("groups %v", groups)
	}
	var owners []string
	for _, o := range v.Owners {
		owners = append(owners, fmt.Sprintf("%s:%d/%d", o.Key, o.Summary.Open, o.Summary.Overdue))
	}
	if got := strings.Join(owners, " "); got != "team-edge:1/1 team-sec:1/1 team-x:1/1 team-identity:1/0 team-db:0/0 team-net:0/0" {
		t.Errorf("owners %s", got)
	}
	var prios []string
	for _, p := range v.Priorities {
		prios = append(prios, p.Key)
	}
	if strings.Join(prios, " ") != "P0 P1 P2 P3" || !v.HasOwners || v.Root != "../" {
		t.Errorf("priorities %v", prios)
	}
}
