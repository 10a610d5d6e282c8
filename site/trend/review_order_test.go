package trend

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
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
		// Some within a second of each other, some before 1970 (negative
		// Unix seconds): the sort compares seconds, then nanoseconds.
		return time.Date(1969+55*r.IntN(2), 12, 31+r.IntN(3), 23, 59, 59, r.IntN(3)*5e8, time.UTC)
	}
	var pms []*postmortem.Postmortem
	for i := range 40 {
		// Ids repeat, and some share their first 16 bytes or are
		// prefixes of others (idRanks compares 16 bytes first).
		id := []string{"pm-", "2024-01-01-edge-cert-", "2024-01-01-edge-c", "2024-01-01-edge-"}[i%4] + strconv.Itoa(i%25)
		pms = append(pms, &postmortem.Postmortem{ID: id, Started: day()})
	}
	rows := make([]ActionRow, 3000)
	for i := range rows {
		g := r.IntN(len(groups))
		rows[i] = ActionRow{Postmortem: pms[r.IntN(len(pms))], Action: &postmortem.Action{Index: r.IntN(3), Due: day(), DoneOn: day()},
			Group: groups[g], groupRank: int8(g), DaysOverdue: r.IntN(4), PriorityRank: r.IntN(3)}
	}
	want := make([]int32, len(rows))
	for i := range want {
		want[i] = int32(i)
	}
	sort.Slice(want, func(i, j int) bool { return reviewLess(&rows[want[i]], &rows[want[j]], int(want[i]), int(want[j])) })
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

// TestComputeOrderFree: the aggregates do not depend on the order of the
// postmortems handed in (Compute reads them in that order, whatever it
// is, and never sorts them): the same reports for both periods, and the same
// action rows, from a shuffled list.
func TestComputeOrderFree(t *testing.T) {
	cfg, k := kbtest.Load(t, kbtest.Generate(t, 300, 5), kb.Options{DropBody: true})
	ps := k.Postmortems
	shuffled := slices.Clone(ps)
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	a := Compute(ps, graph.Build(ps, cfg), cfg, benchNow)
	b := Compute(shuffled, graph.Build(shuffled, cfg), cfg, benchNow)
	for _, p := range a.Periods {
		if ra, rb := a.Report(p.Key), b.Report(p.Key); !reflect.DeepEqual(ra, rb) {
			t.Errorf("period %s: the report differs with the postmortems shuffled", p.Key)
		}
	}
	if ra, rb := actionOrder(a), actionOrder(b); ra != rb {
		t.Errorf("the actions view differs with the postmortems shuffled:\n%s\n%s", ra, rb)
	}
}

// actionOrder lists the rows of the actions view: group, postmortem id
// and action index.
func actionOrder(t *Trends) string {
	var b strings.Builder
	for _, g := range t.Actions().Groups {
		for _, r := range g.Rows {
			fmt.Fprintf(&b, "%s %s %d\n", g.Key, r.Postmortem.ID, r.Action.Index)
		}
	}
	return b.String()
}
