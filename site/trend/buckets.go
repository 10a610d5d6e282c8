package trend

import (
	"fmt"
	"sort"
	"time"
)

// MaxBuckets bounds the bars of a chart over time. A period longer than
// MaxBuckets months (quarters, for the quarterly charts) is charted by
// quarter, year, decade, century or millennium: the finest of them that
// needs at most MaxBuckets bars, where a run of empty bars covering
// GapYears or more is drawn as one gap. data.json keeps every month and
// quarter.
const MaxBuckets = 60

// GapYears is the shortest run of empty bars (two or more, with no
// postmortem started in them) that a chart over time draws as one gap.
const GapYears = 10

// unit is a bucket size of the charts over time.
type unit struct {
	months int
	// name and plural are the unit's words ("month", "months").
	name, plural string
}

// units from finest to coarsest; charts of incident counts start at
// months, the quarterly charts at quarters.
var units = [...]unit{
	{1, "month", "months"}, {3, "quarter", "quarters"}, {12, "year", "years"},
	{120, "decade", "decades"}, {1200, "century", "centuries"}, {12000, "millennium", "millennia"},
}

// span is one bucket: the months [from, to) (month numbers, see
// monthNumber); gap when it stands for a run of empty buckets.
type span struct {
	from, to int
	gap      bool
}

// floorDiv is a / b rounded down (b > 0).
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// chooseSpans groups the months first..last (month numbers, inclusive)
// into the buckets of the finest unit from units[base] on that makes at
// most MaxBuckets of them. used lists, ascending, the month numbers in
// which a postmortem started.
func chooseSpans(first, last int, used []int, base int) (unit, []span) {
	for i := base; ; i++ {
		ss, ok := spansOf(first, last, used, units[i].months, i == len(units)-1)
		if ok {
			return units[i], ss
		}
	}
}

// spansOf groups first..last into buckets of n months aligned on month
// number 0 (January of year 0), a run of empty buckets covering GapYears
// or more being one gap. Unless all, it gives up (ok false) past
// MaxBuckets.
func spansOf(first, last int, used []int, n int, all bool) (ss []span, ok bool) {
	empty := func(from, to int) { // buckets from..to-1, all empty
		if to-from >= 2 && (to-from)*n >= 12*GapYears {
			ss = append(ss, span{from * n, to * n, true})
			return
		}
		for b := from; b < to && (all || len(ss) <= MaxBuckets); b++ {
			ss = append(ss, span{b * n, (b + 1) * n, false})
		}
	}
	prev := floorDiv(first, n) - 1
	for _, m := range used {
		b := floorDiv(m, n)
		if b <= prev {
			continue
		}
		empty(prev+1, b)
		ss = append(ss, span{b * n, (b + 1) * n, false})
		prev = b
		if !all && len(ss) > MaxBuckets {
			return nil, false
		}
	}
	empty(prev+1, floorDiv(last, n)+1)
	if !all && len(ss) > MaxBuckets {
		return nil, false
	}
	return ss, true
}

// monthTime returns the first instant of month number m in loc.
func monthTime(m int, loc *time.Location) time.Time {
	return time.Date(0, time.Month(m+1), 1, 0, 0, 0, 0, loc)
}

// spanKey names a bucket: "2025-03", "2025-Q1", "2025", "2020s",
// "1600–1699"; a gap names the first and last bucket it covers
// ("1629–1995", "1628-Q4 – 1996-Q2").
func spanKey(s span, u unit, loc *time.Location) string {
	if s.gap && u.months >= 12 {
		return fmt.Sprintf("%d–%d", floorDiv(s.from, 12), floorDiv(s.to, 12)-1)
	}
	if s.gap {
		return spanKey(span{s.from, s.from + u.months, false}, u, loc) + " – " + spanKey(span{s.to - u.months, s.to, false}, u, loc)
	}
	t := monthTime(s.from, loc)
	switch u.months {
	case 1:
		return monthKey(t)
	case 3:
		return quarterKey(t)
	case 12:
		return fmt.Sprint(t.Year())
	case 120:
		return fmt.Sprintf("%ds", t.Year())
	}
	return fmt.Sprintf("%d–%d", t.Year(), t.Year()+u.months/12-1)
}

// barsOf groups months (the report's Months, the first being month number
// firstMonth) into the buckets of the incident-count charts.
func barsOf(months []Month, firstMonth int, last int, loc *time.Location) (unit, []Month) {
	if len(months) == 0 {
		return units[0], months
	}
	var used []int
	for i, m := range months {
		if m.Total+m.Drills > 0 {
			used = append(used, firstMonth+i)
		}
	}
	u, ss := chooseSpans(firstMonth, last, used, 0)
	if u.months == 1 && len(ss) == len(months) {
		return u, months
	}
	out := make([]Month, len(ss))
	for i, s := range ss {
		b := Month{Key: spanKey(s, u, loc), Start: monthTime(s.from, loc), Gap: s.gap, Severity: map[string]int{}, Category: map[string]int{}}
		for _, m := range months[max(0, s.from-firstMonth):max(0, min(len(months), s.to-firstMonth))] {
			b.Total += m.Total
			b.NearMisses += m.NearMisses
			b.Drills += m.Drills
			for k, n := range m.Severity {
				b.Severity[k] += n
			}
			for k, n := range m.Category {
				b.Category[k] += n
			}
		}
		out[i] = b
	}
	return u, out
}

// spansOfQuarters groups quarters (the report's Quarters, the first
// starting at month number firstMonth; qvals their duration values) into
// the buckets of the quarterly charts.
func spansOfQuarters(qs []Quarter, qvals [][3][]float64, firstMonth int, loc *time.Location) (unit, []Quarter) {
	if len(qs) == 0 {
		return units[1], qs
	}
	var used []int
	for i, q := range qs {
		if q.Incidents+q.Drills > 0 {
			used = append(used, firstMonth+3*i)
		}
	}
	u, ss := chooseSpans(firstMonth, firstMonth+3*len(qs)-1, used, 1)
	if u.months == 3 && len(ss) == len(qs) {
		return u, qs
	}
	out := make([]Quarter, len(ss))
	for i, s := range ss {
		b := Quarter{Key: spanKey(s, u, loc), Start: monthTime(s.from, loc), End: monthTime(s.to, loc), Gap: s.gap}
		var vals [3][]float64
		from, to := max(0, floorDiv(s.from-firstMonth, 3)), max(0, min(len(qs), floorDiv(s.to-firstMonth, 3)))
		for j := from; j < to; j++ {
			q := &qs[j]
			b.Incidents += q.Incidents
			b.NearMisses += q.NearMisses
			b.Drills += q.Drills
			for k := range vals {
				vals[k] = append(vals[k], qvals[j][k]...)
			}
		}
		for k := range vals {
			b.Durations[k] = Summarize(vals[k])
		}
		out[i] = b
	}
	return u, out
}

// spanAt returns the index of the bucket of qs (ascending, each [Start,
// End)) that holds t, or -1.
func spanAt(qs []Quarter, t time.Time) int {
	i := sort.Search(len(qs), func(i int) bool { return qs[i].End.After(t) })
	if i < len(qs) && !t.Before(qs[i].Start) {
		return i
	}
	return -1
}
