package trend

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// TestReviewOrderMatchesOracle: reviewOrder, which sorts copied keys,
// gives the order of the plain comparison of the rows themselves (the
// one it replaced), on random rows with many ties.
func TestReviewOrderMatchesOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	groups := []string{GroupOverdue, GroupOpen, GroupDone, GroupWontDo}
	day := func() time.Time {
		if r.IntN(5) == 0 {
			return time.Time{}
		}
		return time.Date(2024, 1, 1+r.IntN(20), 0, 0, 0, 0, time.UTC)
	}
	var pms []*postmortem.Postmortem
	for i := range 40 {
		pms = append(pms, &postmortem.Postmortem{ID: "pm-" + strconv.Itoa(i%25), Started: day()})
	}
	rows := make([]ActionRow, 3000)
	for i := range rows {
		g := r.IntN(len(groups))
		rows[i] = ActionRow{Postmortem: pms[r.IntN(len(pms))], Action: &postmortem.Action{Index: r.IntN(3), Due: day(), DoneOn: day()},
			Group: groups[g], groupRank: int8(g), DaysOverdue: r.IntN(4), PriorityRank: r.IntN(3)}
	}
	want := make([]int, len(rows))
	for i := range want {
		want[i] = i
	}
	sort.Slice(want, func(i, j int) bool { return reviewLess(&rows[want[i]], &rows[want[j]], want[i], want[j]) })
	if got := reviewOrder(rows); !slices.Equal(got, want) {
		t.Errorf("reviewOrder differs from the plain comparison:\ngot  %v\nwant %v", got[:20], want[:20])
	}
}

// reviewLess is review order as the rows say it (the oracle).
func reviewLess(a, b *ActionRow, i, j int) bool {
	if a.groupRank != b.groupRank {
		return a.groupRank < b.groupRank
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
	if a.Action.Index != b.Action.Index {
		return a.Action.Index < b.Action.Index
	}
	return i < j
}
