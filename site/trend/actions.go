package trend

import (
	"sort"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Action status groups, in display order.
const (
	GroupOverdue = "overdue"
	GroupOpen    = "open"
	GroupDone    = "done"
	GroupWontDo  = "wont-do"
)

// ActionRow is one corrective action with what the follow-up review needs.
type ActionRow struct {
	Postmortem *postmortem.Postmortem
	Action     postmortem.Action
	// Group is overdue, open (open or in-progress, not overdue), done or
	// wont-do.
	Group string
	// Overdue: open or in-progress and due before today.
	Overdue bool
	// DaysOverdue is today − due in days, when Overdue.
	DaysOverdue int
	// DueIn is due − today in days (negative when past due); 0 without a
	// due date.
	DueIn int
	// Created is when the action came to be: the incident's resolution
	// (its start when resolved is missing).
	Created time.Time
	// AgeDays is today − Created for open actions, done_on − Created for
	// done ones (when done_on is known), in days.
	AgeDays int
	// DaysToDone is done_on − Created in days, when HasDaysToDone.
	DaysToDone    int
	HasDaysToDone bool
	// TicketURL is the ticket when it is a URL, "" otherwise.
	TicketURL string
	// PriorityRank is the priority's index in the config (0 most urgent;
	// len(priorities) when unknown).
	PriorityRank int
	// Href links the postmortem's actions, relative to the page the row
	// is shown on (set by the views; "" from ActionList).
	Href string
}

// URL returns the postmortem page's site-relative URL.
func (r ActionRow) URL() string { return r.Postmortem.URL() }

// civil returns t's calendar date in loc as midnight UTC, so differences
// in days are exact across DST changes.
func civil(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func days(from, to time.Time, loc *time.Location) int {
	return int(civil(to, loc).Sub(civil(from, loc)).Hours() / 24)
}

// ActionList returns every corrective action of ps (as given: the caller
// decides about drafts), overdue first, then open, done and won't-do,
// each sorted for review (see ActionsView).
func ActionList(ps []*postmortem.Postmortem, cfg *config.Config, now time.Time) []ActionRow {
	rows, _ := actionRows(ps, now, location(cfg))
	rank := priorityRank(cfg)
	for i := range rows {
		rows[i].PriorityRank = rank(rows[i].Action.Priority)
	}
	sortRows(rows)
	return rows
}

func location(cfg *config.Config) *time.Location {
	if cfg == nil || cfg.Location == nil {
		return time.UTC
	}
	return cfg.Location
}

func priorityRank(cfg *config.Config) func(string) int {
	ps := config.Default().Priorities
	if cfg != nil {
		ps = cfg.Priorities
	}
	return func(p string) int {
		for i, x := range ps {
			if x == p {
				return i
			}
		}
		return len(ps)
	}
}

func actionRows(ps []*postmortem.Postmortem, now time.Time, loc *time.Location) ([]ActionRow, map[*postmortem.Postmortem][]ActionRow) {
	var rows []ActionRow
	by := map[*postmortem.Postmortem][]ActionRow{}
	for _, p := range ps {
		created := p.Resolved
		if created.IsZero() {
			created = p.Started
		}
		for _, a := range p.Actions {
			r := ActionRow{Postmortem: p, Action: a, Created: created}
			if strings.HasPrefix(a.Ticket, "https://") || strings.HasPrefix(a.Ticket, "http://") {
				r.TicketURL = a.Ticket
			}
			if !a.Due.IsZero() {
				r.DueIn = days(now, a.Due, loc)
			}
			switch {
			case a.IsOpen():
				r.Overdue = a.Overdue(now, loc)
				r.Group = GroupOpen
				if r.Overdue {
					r.Group = GroupOverdue
					r.DaysOverdue = -r.DueIn
				}
				if !created.IsZero() {
					r.AgeDays = days(created, now, loc)
				}
			case a.Status == "done":
				r.Group = GroupDone
				if !a.DoneOn.IsZero() && !created.IsZero() {
					r.DaysToDone = days(created, a.DoneOn, loc)
					r.HasDaysToDone = true
					r.AgeDays = r.DaysToDone
				}
			default:
				r.Group = GroupWontDo
			}
			rows = append(rows, r)
			by[p] = append(by[p], r)
		}
	}
	return rows, by
}

var groupOrder = map[string]int{GroupOverdue: 0, GroupOpen: 1, GroupDone: 2, GroupWontDo: 3}

// sortRows orders rows by group, then: overdue by days overdue (most
// first), open by priority then due date, done by done_on (newest first),
// won't-do by incident (newest first); ties by postmortem id and action
// index.
func sortRows(rows []ActionRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Group != b.Group {
			return groupOrder[a.Group] < groupOrder[b.Group]
		}
		switch a.Group {
		case GroupOverdue:
			if a.DaysOverdue != b.DaysOverdue {
				return a.DaysOverdue > b.DaysOverdue
			}
			if a.PriorityRank != b.PriorityRank {
				return a.PriorityRank < b.PriorityRank
			}
		case GroupOpen:
			if a.PriorityRank != b.PriorityRank {
				return a.PriorityRank < b.PriorityRank
			}
			if !a.Action.Due.Equal(b.Action.Due) {
				return a.Action.Due.Before(b.Action.Due)
			}
		case GroupDone:
			if !a.Action.DoneOn.Equal(b.Action.DoneOn) {
				return a.Action.DoneOn.After(b.Action.DoneOn)
			}
		default:
			if !a.Postmortem.Started.Equal(b.Postmortem.Started) {
				return a.Postmortem.Started.After(b.Postmortem.Started)
			}
		}
		if a.Postmortem.ID != b.Postmortem.ID {
			return a.Postmortem.ID < b.Postmortem.ID
		}
		return a.Action.Index < b.Action.Index
	})
}

// SummarizeActions counts rows by status; the days-to-done stats cover
// the done rows that have done_on.
func SummarizeActions(rows []ActionRow) ActionSummary {
	var s ActionSummary
	var dtd []float64
	for _, r := range rows {
		s.Total++
		switch r.Group {
		case GroupOverdue, GroupOpen:
			s.Open++
			if r.Overdue {
				s.Overdue++
			}
			if r.Action.Status == "in-progress" {
				s.InProgress++
			}
		case GroupDone:
			s.Done++
			if r.HasDaysToDone {
				dtd = append(dtd, float64(r.DaysToDone))
			}
		default:
			s.WontDo++
		}
	}
	s.DaysToDone = Summarize(dtd)
	return s
}

// summary counts the actions of the postmortems in (non-drafts).
func (t *Trends) summary(in []*postmortem.Postmortem) ActionSummary {
	var rows []ActionRow
	for _, p := range in {
		rows = append(rows, t.byPM[p]...)
	}
	return SummarizeActions(rows)
}

// actionQuarters computes action health at the end of each quarter.
func (t *Trends) actionQuarters(qs []Quarter, pop []*postmortem.Postmortem) []ActionQuarter {
	loc := location(t.Config)
	var rows []ActionRow
	for _, p := range pop {
		rows = append(rows, t.byPM[p]...)
	}
	out := make([]ActionQuarter, 0, len(qs))
	for _, q := range qs {
		end := q.Start.AddDate(0, 3, 0)
		at := end
		if t.Now.Before(at) {
			at = t.Now
		}
		aq := ActionQuarter{Key: q.Key, At: at}
		if at.Before(q.Start) {
			out = append(out, aq)
			continue
		}
		today := civil(at, loc)
		if at.Equal(end) {
			// The snapshot at the quarter's end: "today" is the first day
			// of the next quarter, so due dates in the quarter are past.
			today = civil(end, loc)
		}
		var dtd []float64
		for _, r := range rows {
			a := r.Action
			if a.Status == "done" && !a.DoneOn.IsZero() && !a.DoneOn.Before(q.Start) && a.DoneOn.Before(end) {
				aq.Done++
				if r.HasDaysToDone {
					dtd = append(dtd, float64(r.DaysToDone))
				}
			}
			if r.Created.IsZero() || !r.Created.Before(at) {
				continue
			}
			open := a.IsOpen() || (a.Status == "done" && !a.DoneOn.IsZero() && !a.DoneOn.Before(at))
			if !open {
				continue
			}
			aq.Open++
			if !a.Due.IsZero() && civil(a.Due, loc).Before(today) {
				aq.Overdue++
			}
		}
		aq.DaysToDone = Summarize(dtd)
		out = append(out, aq)
	}
	return out
}
