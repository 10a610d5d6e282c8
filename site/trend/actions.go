package trend

import (
	"cmp"
	"encoding/binary"
	"slices"
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
	// Action points into Postmortem.Actions (never modified).
	Action *postmortem.Action
	// Group is overdue, open (open or in-progress, not overdue), done or
	// wont-do.
	Group string
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
	DaysToDone int
	// PriorityRank is the priority's index in the config (0 most urgent;
	// len(priorities) when unknown).
	PriorityRank int
	// Href links the postmortem's actions, relative to the page the row
	// is shown on (set by the views; "" from ActionList).
	Href string
	// The flags come last, side by side: 120 bytes a row, not 136.
	//
	// Overdue: open or in-progress and due before today.
	Overdue bool
	// HasDaysToDone: see DaysToDone.
	HasDaysToDone bool
	// groupRank is the place of Group in display order (overdue, open,
	// done, won't do).
	groupRank int8
}

// RowsOf returns the rows of list, a []ActionRow (TermView.Open) or a
// []*ActionRow (the /actions/ groups), as pointers; false for anything
// else.
func RowsOf(list any) ([]*ActionRow, bool) {
	switch l := list.(type) {
	case []*ActionRow:
		return l, true
	case []ActionRow:
		rows := make([]*ActionRow, len(l))
		for i := range l {
			rows[i] = &l[i]
		}
		return rows, true
	}
	return nil, false
}

// TicketURL returns the ticket when it is an http(s) URL, "" otherwise.
func (r ActionRow) TicketURL() string {
	if t := r.Action.Ticket; strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "http://") {
		return t
	}
	return ""
}

// URL returns the postmortem page's site-relative URL.
func (r ActionRow) URL() string { return r.Postmortem.URL() }

// civil returns t's calendar date in loc as midnight UTC, so differences
// in days are exact across DST changes.
func civil(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysFrom returns the days from civil date from to civil date to.
func daysFrom(from, to time.Time) int { return int(to.Sub(from).Hours() / 24) }

// ActionList returns every corrective action of ps (as given: the caller
// decides about drafts), overdue first, then open, done and won't-do,
// each sorted for review (see ActionsView).
func ActionList(ps []*postmortem.Postmortem, cfg *config.Config, now time.Time) []ActionRow {
	rows, _, _ := actionRows(ps, now, location(cfg), priorityRank(cfg))
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

// actionRows returns the rows of the actions of ps, in the order of ps
// and of each postmortem's actions, where the rows of each postmortem
// with actions start (see Trends.rowsOf), and what the trends need of
// the rows of the population (states, in the same order; see
// inPopulation).
func actionRows(ps []*postmortem.Postmortem, now time.Time, loc *time.Location, rank func(string) int) ([]ActionRow, map[*postmortem.Postmortem]int32, []actState) {
	n := 0
	for _, p := range ps {
		n += len(p.Actions)
	}
	rows := make([]ActionRow, 0, n)
	states := make([]actState, 0, n)
	by := make(map[*postmortem.Postmortem]int32, len(ps))
	// Days are counted between civil dates (see days): today's and each
	// incident's are taken once, not once per action.
	today := civil(now, loc)
	for _, p := range ps {
		created := p.Resolved
		if created.IsZero() {
			created = p.Started
		}
		createdDay := civil(created, loc)
		pop := inPopulation(p)
		start := len(rows)
		for ai := range p.Actions {
			// Fill the row in place: rows are large.
			rows = append(rows, ActionRow{})
			r := &rows[len(rows)-1]
			a := &p.Actions[ai]
			r.Postmortem, r.Action, r.Created, r.PriorityRank = p, a, created, rank(a.Priority)
			dueDay := noDate
			if !a.Due.IsZero() {
				due := civil(a.Due, loc)
				r.DueIn, dueDay = daysFrom(today, due), due.Unix()/86400
			}
			switch {
			case a.IsOpen():
				r.Overdue = a.Overdue(now, loc)
				r.Group, r.groupRank = GroupOpen, 1
				if r.Overdue {
					r.Group, r.groupRank = GroupOverdue, 0
					r.DaysOverdue = -r.DueIn
				}
				if !created.IsZero() {
					r.AgeDays = daysFrom(createdDay, today)
				}
			case a.Status == "done":
				r.Group, r.groupRank = GroupDone, 2
				if !a.DoneOn.IsZero() && !created.IsZero() {
					r.DaysToDone = daysFrom(createdDay, civil(a.DoneOn, loc))
					r.HasDaysToDone = true
					r.AgeDays = r.DaysToDone
				}
			default:
				r.Group, r.groupRank = GroupWontDo, 3
			}
			if pop {
				states = append(states, stateOf(r, dueDay))
			}
		}
		if len(rows) > start {
			by[p] = int32(start)
		}
	}
	return rows, by, states
}

// sortRows orders rows by group, then: overdue by days overdue (most
// first), open by priority then due date, done by done_on (newest first),
// won't-do by incident (newest first); ties by postmortem id and action
// index. It sorts indexes and permutes once: rows are large.
func sortRows(rows []ActionRow) {
	idx := reviewOrder(rows)
	sorted := make([]ActionRow, len(rows))
	for i, j := range idx {
		sorted[i] = rows[j]
	}
	copy(rows, sorted)
}

// reviewOrder returns the indexes of rows in review order (see sortRows).
// The keys are copied out of the rows (and the actions and postmortems
// they point at) first, so that the n log n comparisons of 100,000
// postmortems' actions read one small array rather than three scattered
// records each time.
func reviewOrder(rows []ActionRow) []int32 {
	idRank := idRanks(rows)
	keys := make([]reviewKey, len(rows))
	for i := range rows {
		r := &rows[i]
		k := reviewKey{group: r.groupRank, id: idRank[i], index: int32(r.Action.Index), row: int32(i)}
		var t time.Time
		laterFirst := false
		switch r.Group {
		case GroupOverdue:
			k.n1, k.n2 = int32(-r.DaysOverdue), int32(r.PriorityRank)
		case GroupOpen:
			k.n1, t = int32(r.PriorityRank), r.Action.Due
		case GroupDone:
			t, laterFirst = r.Action.DoneOn, true
		default:
			t, laterFirst = r.Postmortem.Started, true
		}
		k.sec, k.nsec = t.Unix(), int32(t.Nanosecond())
		if laterFirst {
			k.sec, k.nsec = -k.sec, -k.nsec
		}
		keys[i] = k
	}
	// The comparison ends on the row's index: a total order, so an
	// unstable sort is deterministic.
	slices.SortFunc(keys, compareReview)
	idx := make([]int32, len(rows))
	for i, k := range keys {
		idx[i] = k.row
	}
	return idx
}

// reviewKey is what review order compares of a row: its group, then
// within the group the days overdue (most first) and priority for
// overdue rows, priority and due date (earliest first) for open ones,
// done_on (latest first) for done ones, the incident's start (latest
// first) for the others; then postmortem id, action index and row. The
// instant is kept as Unix seconds and nanoseconds, both negated when the
// latest comes first, so that every field compares ascending; 40 bytes a
// row, as the sort moves them about.
type reviewKey struct {
	sec            int64
	n1, n2, nsec   int32
	id, index, row int32 // id: the rank of the postmortem's id (see idRanks)
	group          int8
}

// idRanks returns, for each row, the rank of its postmortem's id among
// the rows' ids (equal ids, equal ranks): the ids are compared once per
// postmortem rather than at each of the sort's comparisons, and by their
// first 16 bytes as two numbers before the strings themselves (which lie
// all over the heap).
func idRanks(rows []ActionRow) []int32 {
	type pmID struct {
		hi, lo uint64 // the id's first 16 bytes, big-endian, zero-padded
		id     string
		entry  int32
	}
	// A postmortem's rows are next to each other (see actionRows): one
	// entry for each run.
	n := 0
	for i := range rows {
		if i == 0 || rows[i].Postmortem != rows[i-1].Postmortem {
			n++
		}
	}
	ids := make([]pmID, 0, n)
	entry := make([]int32, len(rows)) // the entry of each row
	for i := range rows {
		if i == 0 || rows[i].Postmortem != rows[i-1].Postmortem {
			id := rows[i].Postmortem.ID
			var b [16]byte
			copy(b[:], id)
			ids = append(ids, pmID{hi: binary.BigEndian.Uint64(b[:8]), lo: binary.BigEndian.Uint64(b[8:]), id: id, entry: int32(len(ids))})
		}
		entry[i] = int32(len(ids) - 1)
	}
	// Bytes compare as the numbers do; zero padding puts a prefix first,
	// as strings.Compare does.
	slices.SortFunc(ids, func(a, b pmID) int {
		if c := cmp.Compare(a.hi, b.hi); c != 0 {
			return c
		}
		if c := cmp.Compare(a.lo, b.lo); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	rank := make([]int32, len(ids)) // by entry
	r := int32(0)
	for j := range ids {
		if j > 0 && ids[j].id != ids[j-1].id {
			r = int32(j)
		}
		rank[ids[j].entry] = r
	}
	for i, e := range entry {
		entry[i] = rank[e]
	}
	return entry
}

func compareReview(a, b reviewKey) int {
	if c := cmp.Compare(a.group, b.group); c != 0 {
		return c
	}
	if c := cmp.Compare(a.n1, b.n1); c != 0 {
		return c
	}
	if c := cmp.Compare(a.n2, b.n2); c != 0 {
		return c
	}
	if c := cmp.Compare(a.sec, b.sec); c != 0 {
		return c
	}
	if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
		return c
	}
	if c := cmp.Compare(a.id, b.id); c != 0 {
		return c
	}
	if c := cmp.Compare(a.index, b.index); c != 0 {
		return c
	}
	return cmp.Compare(a.row, b.row)
}

// SummarizeActions counts rows by status; the days-to-done stats cover
// the done rows that have done_on.
func SummarizeActions(rows []ActionRow) ActionSummary {
	var acc summarizer
	acc.add(rows)
	return acc.result()
}

// summarizer accumulates an ActionSummary over several slices of rows.
type summarizer struct {
	s   ActionSummary
	dtd []float64
}

func (acc *summarizer) add(rows []ActionRow) {
	for i := range rows {
		acc.addRow(&rows[i])
	}
}

func (acc *summarizer) addRow(r *ActionRow) {
	acc.count(r.Group == GroupOverdue || r.Group == GroupOpen, r.Group == GroupDone, r.Overdue,
		r.Action.Status == "in-progress", r.HasDaysToDone, r.DaysToDone)
}

// addStates adds the actions of states, as addRow their rows.
func (acc *summarizer) addStates(states []actState) {
	for i := range states {
		a := &states[i]
		acc.count(a.open, a.done, a.overdue, a.inProgress, a.hasDaysToDone, a.daysToDone)
	}
}

// count adds one action: open (overdue and in progress counted among
// the open ones), done (with its days to done, if known) or won't-do.
func (acc *summarizer) count(open, done, overdue, inProgress, hasDays bool, days int) {
	s := &acc.s
	s.Total++
	switch {
	case open:
		s.Open++
		if overdue {
			s.Overdue++
		}
		if inProgress {
			s.InProgress++
		}
	case done:
		s.Done++
		if hasDays {
			acc.dtd = append(acc.dtd, float64(days))
		}
	default:
		s.WontDo++
	}
}

func (acc *summarizer) result() ActionSummary {
	acc.s.DaysToDone = Summarize(acc.dtd)
	return acc.s
}

// actState is what the trends need of one action row, as plain numbers
// (instants in Unix seconds, dates as civil day numbers) beside each
// other: the action-health history reads every action of a period once
// per quarter.
type actState struct {
	created    int64 // noDate: unknown
	doneOn     int64 // Unix seconds of done_on; noDate: not done or no date
	dueDay     int64 // civil day number of due; noDate: none
	daysToDone int
	// open is status open or in-progress (overdue ones included), done
	// status done; overdue and inProgress as the row's.
	open, done, overdue, inProgress bool
	hasDaysToDone                   bool
}

const noDate = int64(-1 << 62)

func dayNumber(t time.Time, loc *time.Location) int64 {
	return civil(t, loc).Unix() / 86400
}

// stateOf returns the actState of row r, whose action is due on civil
// day number dueDay (noDate: no due date).
func stateOf(r *ActionRow, dueDay int64) actState {
	a := r.Action
	st := actState{created: noDate, doneOn: noDate, dueDay: dueDay, open: a.IsOpen(), done: a.Status == "done",
		overdue: r.Overdue, inProgress: a.Status == "in-progress", daysToDone: r.DaysToDone, hasDaysToDone: r.HasDaysToDone}
	if !r.Created.IsZero() {
		st.created = r.Created.Unix()
	}
	if st.done && !a.DoneOn.IsZero() {
		st.doneOn = a.DoneOn.Unix()
	}
	return st
}

// actionQuarters computes action health at the end of each quarter (or
// bucket of quarters, see Report.Spans): qs are ascending, so the
// instants they are measured at are too.
//
// Each action is read once, not once per quarter: the quarters where it
// counts as open (created before the instant, not yet done) and overdue
// are one run each, found by bisection and added as differences; the
// quarter of its done_on by bisection too.
func (t *Trends) actionQuarters(qs []Quarter, states []actState) []ActionQuarter {
	loc := location(t.Config)
	n := len(qs)
	out := make([]ActionQuarter, n)
	// at, today: the instant of each snapshot (Unix seconds) and its day
	// number; start, end: the quarter's bounds (Unix seconds).
	at, today, start, end := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for i, q := range qs {
		a := q.End
		if t.Now.Before(a) {
			a = t.Now
		}
		out[i] = ActionQuarter{Key: q.Key, At: a}
		// At the quarter's end "today" is the first day of the next
		// quarter, so due dates in the quarter are past.
		at[i], today[i], start[i], end[i] = a.Unix(), dayNumber(a, loc), q.Start.Unix(), q.End.Unix()
	}
	// after returns the first quarter whose v is after x (v ascending).
	after := func(v []int64, x int64) int { return sort.Search(n, func(q int) bool { return v[q] > x }) }
	open, overdue := make([]int, n+1), make([]int, n+1)
	dtd := make([][]float64, n)
	for i := range states {
		a := &states[i]
		if a.doneOn != noDate {
			for q := after(end, a.doneOn); q < n && start[q] <= a.doneOn; q++ {
				out[q].Done++
				if a.hasDaysToDone {
					dtd[q] = append(dtd[q], float64(a.daysToDone))
				}
			}
		}
		if a.created == noDate {
			continue
		}
		// Open from the first snapshot after its creation, until the
		// first one after its done_on (if done with a date).
		lo, hi := after(at, a.created), n
		if !a.open {
			if a.doneOn == noDate {
				continue
			}
			hi = after(at, a.doneOn)
		}
		if lo >= hi {
			continue
		}
		open[lo]++
		open[hi]--
		if a.dueDay != noDate {
			if o := max(lo, after(today, a.dueDay)); o < hi {
				overdue[o]++
				overdue[hi]--
			}
		}
	}
	nOpen, nOverdue := 0, 0
	for q := range out {
		nOpen += open[q]
		nOverdue += overdue[q]
		if out[q].At.Before(qs[q].Start) {
			// A quarter after the clock: nothing is known of it.
			out[q] = ActionQuarter{Key: out[q].Key, At: out[q].At}
			continue
		}
		out[q].Open, out[q].Overdue = nOpen, nOverdue
		out[q].DaysToDone = Summarize(dtd[q])
	}
	return out
}
