package trend

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// mn is the month number of year-month.
func mn(y, m int) int { return y*12 + m - 1 }

func TestChooseSpans(t *testing.T) {
	monthly := func(from, to int) []int {
		var ms []int
		for m := from; m <= to; m++ {
			ms = append(ms, m)
		}
		return ms
	}
	for _, tc := range []struct {
		name        string
		first, last int
		used        []int
		base        int
		unit        string
		n           int
		keys        string // "a | b | … | z": the first keys and the last
	}{
		{"four years by month", mn(2022, 1), mn(2025, 12), monthly(mn(2022, 1), mn(2025, 12)), 0, "month", 48, "2022-01 | 2022-02 | … | 2025-12"},
		{"sixty months", mn(2021, 1), mn(2025, 12), []int{mn(2021, 1)}, 0, "month", 60, "2021-01 | 2021-02 | … | 2025-12"},
		{"61 months by quarter", mn(2020, 12), mn(2025, 12), []int{mn(2020, 12)}, 0, "quarter", 21, "2020-Q4 | 2021-Q1 | … | 2025-Q4"},
		{"twenty years by year", mn(2006, 3), mn(2025, 6), func() []int {
			var ms []int
			for y := 2006; y <= 2025; y++ {
				ms = append(ms, mn(y, 3))
			}
			return ms
		}(), 0, "year", 20, "2006 | 2007 | … | 2025"},
		// A long empty run at the end is a gap too.
		{"a trailing gap", mn(2006, 3), mn(2025, 6), []int{mn(2006, 3), mn(2010, 1)}, 0, "month", 48, "2006-03 | 2006-04 | … | 2010-02 – 2025-06"},
		// 1628, 1996, then every month from October 2015: quarters, the
		// two long empty runs drawn as gaps.
		{"1628 and modern", mn(1628, 8), mn(2025, 6), append([]int{mn(1628, 8), mn(1996, 9)}, monthly(mn(2015, 10), mn(2025, 6))...), 0, "quarter", 43,
			"1628-Q3 | 1628-Q4 – 1996-Q2 | 1996-Q3 | 1996-Q4 – 2015-Q3 | 2015-Q4 | 2016-Q1 | … | 2025-Q2"},
		// Every year from 1700: too many years, decades.
		{"yearly since 1700", mn(1700, 1), mn(2025, 6), func() []int {
			var ms []int
			for y := 1700; y <= 2025; y++ {
				ms = append(ms, mn(y, 6))
			}
			return ms
		}(), 0, "decade", 33, "1700s | 1710s | … | 2020s"},
		{"year 0 to 9999", mn(0, 1), mn(9999, 12), []int{mn(0, 1), mn(5000, 1), mn(9999, 12)}, 1, "quarter", 5, "0-Q1 | 0-Q2 – 4999-Q4 | 5000-Q1 | 5000-Q2 – 9999-Q3 | 9999-Q4"},
		{"by decade, gaps in years", mn(1200, 1), mn(2025, 6), append([]int{mn(1200, 1)}, func() []int {
			var ms []int
			for y := 1700; y <= 2025; y++ {
				ms = append(ms, mn(y, 6))
			}
			return ms
		}()...), 0, "decade", 35, "1200s | 1210–1699 | 1700s | … | 2020s"},
		{"quarterly charts start at quarters", mn(2024, 1), mn(2025, 6), []int{mn(2024, 1)}, 1, "quarter", 6, "2024-Q1 | 2024-Q2 | … | 2025-Q2"},
		{"a trailing gap of quarters", mn(1990, 1), mn(2025, 6), []int{mn(1990, 1)}, 1, "quarter", 2, "1990-Q1 | 1990-Q2 – 2025-Q2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, ss := chooseSpans(tc.first, tc.last, tc.used, tc.base)
			var keys []string
			for _, s := range ss {
				keys = append(keys, spanKey(s, u, time.UTC))
			}
			got := strings.Join(keys, " | ")
			if head := strings.Count(strings.SplitN(tc.keys, "…", 2)[0], "|"); strings.Contains(tc.keys, "…") && len(keys) > head {
				got = strings.Join(keys[:head], " | ") + " | … | " + keys[len(keys)-1]
			}
			if u.name != tc.unit || len(ss) != tc.n || got != tc.keys {
				t.Errorf("%s, %d buckets: %s; want %s, %d: %s", u.name, len(ss), got, tc.unit, tc.n, tc.keys)
			}
			if len(ss) > MaxBuckets {
				t.Errorf("%d buckets", len(ss))
			}
			for i := 1; i < len(ss); i++ {
				if ss[i].from != ss[i-1].to {
					t.Errorf("bucket %d starts at %d, the one before ends at %d", i, ss[i].from, ss[i-1].to)
				}
			}
		})
	}
}

// TestLongSparseHistory: one incident in 1628 and one in 1995 before a
// modern KB keep the all-time page small and its charts bounded, while
// the report keeps every month and quarter for data.json (SPEC §4; see
// package datajson).
func TestLongSparseHistory(t *testing.T) {
	cfg := config.Default()
	ps := []*postmortem.Postmortem{mk(t, cfg, "ship", "1628-08-10T16:00:00Z", ""), mk(t, cfg, "relay", "1995-06-03T08:00:00Z", "")}
	for y := 2016; y <= 2024; y++ {
		for m := 1; m <= 12; m += 2 {
			ps = append(ps, mk(t, cfg, fmt.Sprintf("m%d-%02d", y, m), fmt.Sprintf("%d-%02d-05T10:00:00Z", y, m), ""))
		}
	}
	g := graph.Build(ps, cfg)
	tr := Compute(ps, g, cfg, clock)
	r := tr.Report(AllTime)
	if want := mn(2025, 6) - mn(1628, 8) + 1; len(r.Months) != want {
		t.Errorf("%d months, want every month: %d", len(r.Months), want)
	}
	if r.BarUnit != "quarter" || r.SpanUnit != "quarter" || len(r.Bars) > MaxBuckets || len(r.Spans) > MaxBuckets || len(r.SpanActions) != len(r.Spans) {
		t.Errorf("bars: %d by %s, spans: %d by %s, %d action buckets", len(r.Bars), r.BarUnit, len(r.Spans), r.SpanUnit, len(r.SpanActions))
	}
	total := 0
	var gaps []string
	for _, b := range r.Bars {
		total += b.Total
		if b.Gap {
			gaps = append(gaps, b.Key)
		}
	}
	if total != len(ps) || strings.Join(gaps, ", ") != "1628-Q4 – 1995-Q1, 1995-Q3 – 2015-Q4" {
		t.Errorf("total %d, gaps %q", total, gaps)
	}
	pages := renderPages(t, tr, g, cfg)
	page := string(pages["trends/index.html"])
	t.Logf("trends/index.html: %d bytes", len(page))
	if len(page) > 400_000 {
		t.Errorf("trends/index.html is %d bytes", len(page))
	}
	for _, want := range []string{">Incidents per quarter</h2>", "Incidents per quarter by severity", "<th scope=\"col\">Quarter</th>", "1628-Q3", "1995-Q3 – 2015-Q4", ">…<"} {
		if !strings.Contains(page, want) {
			t.Errorf("trends/index.html lacks %q", want)
		}
	}
	for p, b := range pages {
		if strings.HasPrefix(p, "causes/") && len(b) > 100_000 {
			t.Errorf("%s is %d bytes", p, len(b))
		}
	}
}
