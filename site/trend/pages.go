package trend

import (
	"fmt"
	"github.com/hindsight-kb/hindsight/site/config"
	"sort"
	"strconv"

	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/trend/chart"
)

// ActionsURL is the site-relative folder of the actions page.
const ActionsURL = "actions/"

// ActionGroup is a list of actions under one heading.
type ActionGroup struct {
	// Key is the group's id (status group, owner or priority).
	Key, Title string
	// Anchor is an id for the group's heading ("owner-team-edge").
	Anchor string
	// Rows are the group's actions; for done and won't-do groups at most
	// MaxClosedRows, the most recent (More counts the rest).
	Rows []*ActionRow
	More int
	// Counts of the group's actions (for the owner and priority tables).
	Summary ActionSummary
}

// ActionsView is the view model of /actions/ (layouts/actions.html).
type ActionsView struct {
	// Root is the page's relative prefix to the site root ("../").
	Root    string
	Summary ActionSummary
	// Groups are overdue, open, done and won't do, in that order (empty
	// ones included, so the page always has the same sections).
	Groups []ActionGroup
	// Owners and Priorities count every action per owner (most overdue,
	// then most open first) and per priority (config order); their Rows
	// are nil (every open action is in Groups already).
	Owners, Priorities []ActionGroup
	// HasOwners is false when no action has an owner (a public build
	// strips owners).
	HasOwners bool
	Stats     []Stat
}

// MaxClosedRows caps the done and won't-do lists of /actions/ (a large KB
// has tens of thousands); every open and overdue action is always listed,
// and `hindsight actions --all` lists them all.
const MaxClosedRows = 200

// MaxTermRows caps the open actions on a term page (most urgent first).
const MaxTermRows = 25

var groupTitles = map[string]string{GroupOverdue: "Overdue", GroupOpen: "Open", GroupDone: "Done", GroupWontDo: "Won't do"}

// Actions returns the view model of /actions/: every action of the
// postmortems Compute was given.
func (t *Trends) Actions() *ActionsView {
	root := rootOf(ActionsURL)
	rows := t.rows(root)
	v := &ActionsView{Root: root, Summary: SummarizeActions(rows)}
	by := map[string][]*ActionRow{}
	owners := map[string][]*ActionRow{}
	prios := map[string][]*ActionRow{}
	for i := range rows {
		r := &rows[i]
		by[r.Group] = append(by[r.Group], r)
		owner := r.Action.Owner
		if owner != "" {
			v.HasOwners = true
		} else {
			owner = "(no owner)"
		}
		owners[owner] = append(owners[owner], r)
		prios[r.Action.Priority] = append(prios[r.Action.Priority], r)
	}
	for _, g := range []string{GroupOverdue, GroupOpen, GroupDone, GroupWontDo} {
		ag := ActionGroup{Key: g, Title: groupTitles[g], Anchor: g, Rows: by[g], Summary: summarizePtrs(by[g])}
		if (g == GroupDone || g == GroupWontDo) && len(ag.Rows) > MaxClosedRows {
			ag.More = len(ag.Rows) - MaxClosedRows
			ag.Rows = ag.Rows[:MaxClosedRows]
		}
		v.Groups = append(v.Groups, ag)
	}
	v.Owners = groups(owners)
	sort.SliceStable(v.Owners, func(i, j int) bool {
		a, b := v.Owners[i].Summary, v.Owners[j].Summary
		if a.Overdue != b.Overdue {
			return a.Overdue > b.Overdue
		}
		if a.Open != b.Open {
			return a.Open > b.Open
		}
		return v.Owners[i].Key < v.Owners[j].Key
	})
	v.Priorities = groups(prios)
	rank := priorityRank(t.Config)
	sort.SliceStable(v.Priorities, func(i, j int) bool {
		ri, rj := rank(v.Priorities[i].Key), rank(v.Priorities[j].Key)
		if ri != rj {
			return ri < rj
		}
		return v.Priorities[i].Key < v.Priorities[j].Key
	})
	s := v.Summary
	over := Stat{Label: "Overdue", Value: strconv.Itoa(s.Overdue), Note: "open and past due"}
	if s.Overdue > 0 {
		over.Class = "alert"
	}
	dtd := Stat{Label: "Median days to done", Value: "—", Note: "from the incident's resolution"}
	if s.DaysToDone.N > 0 {
		dtd.Value = fmtFloat(s.DaysToDone.Median)
	}
	v.Stats = []Stat{
		{Label: "Open", Value: strconv.Itoa(s.Open), Note: fmt.Sprintf("%d in progress", s.InProgress)},
		over,
		{Label: "Done", Value: strconv.Itoa(s.Done)},
		{Label: "Won't do", Value: strconv.Itoa(s.WontDo)},
		dtd,
	}
	return v
}

func summarizePtrs(rows []*ActionRow) ActionSummary {
	var acc summarizer
	for _, r := range rows {
		acc.addRow(r)
	}
	return acc.result()
}

func groups(m map[string][]*ActionRow) []ActionGroup {
	out := make([]ActionGroup, 0, len(m))
	for k, rows := range m {
		out = append(out, ActionGroup{Key: k, Title: k, Anchor: "g-" + config.Slugify(k), Summary: summarizePtrs(rows)})
	}
	return out
}

// rows returns every action, sorted for review, with links relative to
// root.
func (t *Trends) rows(root string) []ActionRow {
	rows := make([]ActionRow, len(t.actions))
	for i, j := range t.order {
		rows[i] = t.actions[j]
		rows[i].Href = link(root, rows[i].Postmortem.URL()) + "#actions"
	}
	return rows
}

// TermView is what a cause, system, data or technique page shows from the
// trends: a small chart of its incidents per quarter and its open actions.
// The partial trend-term.html renders it.
type TermView struct {
	Chart Chart
	// Unit is what one bar of Chart counts: "quarter", or "year",
	// "decade"… for a long history (see MaxBuckets).
	Unit string
	// Incidents counts the term's incidents (drills excluded).
	Incidents int
	// Open lists the open actions of the term's postmortems, overdue
	// first; Overdue counts the overdue ones.
	Open []ActionRow
	// OpenTotal counts all of them; Open holds at most MaxTermRows, the
	// most urgent. Overdue counts the overdue ones.
	OpenTotal, Overdue int
	// ActionsHref links /actions/ from the term page.
	ActionsHref string
}

// Term returns the trend view of a term page. Quarters span the whole KB
// (the all-time report), so term charts share one time axis.
func (t *Trends) Term(term *graph.Term) *TermView {
	v := &TermView{Unit: units[1].name}
	if term == nil {
		return v
	}
	root := rootOf(term.URL())
	r := t.reports[AllTime]
	loc := location(t.Config)
	v.Unit = r.SpanUnit
	labels := quarterLabels(r)
	counts := make([]float64, len(r.Spans))
	for _, p := range term.Postmortems {
		if p.IsDraft() || p.Drill || p.Started.IsZero() {
			continue
		}
		v.Incidents++
		if i := spanAt(r.Spans, p.Started.In(loc)); i >= 0 {
			counts[i]++
		}
	}
	id := "chart-term-" + term.Kind + "-" + term.Slug
	v.Chart = Chart{ID: id, Title: fmt.Sprintf("%s: incidents per %s", term.Title, r.SpanUnit),
		Desc: fmt.Sprintf("Bars: %d incidents with %s %q per %s from %s, drills excluded. The table below lists the numbers.", v.Incidents, singular(term.Kind), term.Slug, r.SpanUnit, first(labels))}
	v.Chart.SVG = chart.Spark{Frame: frame(v.Chart), Labels: labels, Values: counts}.SVG()
	v.Chart.Table.Caption = "Incidents per " + r.SpanUnit
	v.Chart.Table.Head = []string{capital(r.SpanUnit), "Incidents"}
	for i := range labels {
		if counts[i] > 0 {
			v.Chart.Table.Rows = append(v.Chart.Table.Rows, []Cell{textCell(r.Spans[i].Key), numCell(int(counts[i]))})
		}
	}
	for _, p := range term.Postmortems {
		for _, row := range t.rowsOf(p) {
			if row.Action.IsOpen() {
				row.Href = link(root, p.URL()) + "#actions"
				v.Open = append(v.Open, row)
				if row.Overdue {
					v.Overdue++
				}
			}
		}
	}
	sortRows(v.Open)
	v.OpenTotal = len(v.Open)
	if len(v.Open) > MaxTermRows {
		v.Open = v.Open[:MaxTermRows]
	}
	v.ActionsHref = link(root, ActionsURL)
	return v
}

func singular(kind string) string {
	switch kind {
	case graph.Causes:
		return "root cause"
	case graph.Systems:
		return "system"
	case graph.Techniques:
		return "technique"
	}
	return "data"
}

func first(ls []string) string {
	if len(ls) == 0 {
		return "—"
	}
	return ls[0]
}
