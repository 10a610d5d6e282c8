package trend

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
)

// slowActionQuarters is the plain definition actionQuarters must equal:
// every action checked against every quarter.
func slowActionQuarters(t *Trends, qs []Quarter, states []actState) []ActionQuarter {
	loc := location(t.Config)
	out := make([]ActionQuarter, 0, len(qs))
	for _, q := range qs {
		at := q.End
		if t.Now.Before(at) {
			at = t.Now
		}
		aq := ActionQuarter{Key: q.Key, At: at}
		if at.Before(q.Start) {
			out = append(out, aq)
			continue
		}
		today := dayNumber(at, loc)
		qStart, qEnd, atU := q.Start.Unix(), q.End.Unix(), at.Unix()
		var dtd []float64
		for i := range states {
			a := &states[i]
			if a.doneOn != noDate && a.doneOn >= qStart && a.doneOn < qEnd {
				aq.Done++
				if a.hasDaysToDone {
					dtd = append(dtd, float64(a.daysToDone))
				}
			}
			if a.created == noDate || a.created >= atU {
				continue
			}
			if !a.open && !(a.doneOn != noDate && a.doneOn >= atU) {
				continue
			}
			aq.Open++
			if a.dueDay != noDate && a.dueDay < today {
				aq.Overdue++
			}
		}
		aq.DaysToDone = Summarize(dtd)
		out = append(out, aq)
	}
	return out
}

// TestActionQuartersMatchesDefinition: the one-pass action health per
// quarter equals the plain count, on random actions (open, done with and
// without a date, won't do; due dates and done_on on and around the
// quarters' bounds), with quarters after the clock and buckets of
// several quarters.
func TestActionQuartersMatchesDefinition(t *testing.T) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	cfg := config.Default()
	cfg.Location = loc
	now := time.Date(2025, 5, 17, 15, 0, 0, 0, loc)
	tr := &Trends{Config: cfg, Now: now}
	first := time.Date(2023, 1, 1, 0, 0, 0, 0, loc)
	var quarters, buckets []Quarter
	for q := first; q.Before(now.AddDate(1, 0, 0)); q = q.AddDate(0, 3, 0) {
		quarters = append(quarters, Quarter{Key: quarterKey(q), Start: q, End: q.AddDate(0, 3, 0)})
	}
	for q := first; q.Before(now.AddDate(2, 0, 0)); q = q.AddDate(1, 0, 0) {
		buckets = append(buckets, Quarter{Key: fmt.Sprint(q.Year()), Start: q, End: q.AddDate(1, 0, 0)})
	}
	r := rand.New(rand.NewPCG(3, 4))
	instant := func() int64 {
		if r.IntN(4) == 0 { // a quarter's bound, or a second off it
			q := quarters[r.IntN(len(quarters))]
			return q.Start.Unix() + int64(r.IntN(3)-1)
		}
		return first.Unix() + r.Int64N(now.AddDate(1, 0, 0).Unix()-first.Unix())
	}
	var states []actState
	for range 3000 {
		a := actState{created: noDate, doneOn: noDate, dueDay: noDate}
		if r.IntN(10) > 0 {
			a.created = instant()
		}
		switch r.IntN(4) {
		case 0, 1:
			a.open = true
		case 2:
			a.done = true
			if r.IntN(5) > 0 {
				a.doneOn = instant()
				a.daysToDone, a.hasDaysToDone = r.IntN(90), r.IntN(3) > 0
			}
		}
		if r.IntN(3) > 0 {
			a.dueDay = dayNumber(time.Unix(instant(), 0), loc)
		}
		states = append(states, a)
	}
	for _, qs := range [][]Quarter{quarters, buckets, quarters[:1], nil} {
		got, want := tr.actionQuarters(qs, states), slowActionQuarters(tr, qs, states)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%d quarters:\ngot  %v\nwant %v", len(qs), got, want)
		}
	}
	if q := slowActionQuarters(tr, quarters, states); q[len(q)-1].Open != 0 || q[len(quarters)/2].Open == 0 {
		t.Errorf("the quarters do not cover both sides of the clock: %v", q)
	}
}
