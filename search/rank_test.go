package search

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/search/internal/rank"
	"github.com/hindsight-kb/hindsight/search/query"
)

// TestNormLength: the field lengths come back from bleve's norms (1/√len
// as a float32) exactly, so TermWeight gets the export's lengths.
func TestNormLength(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 100, 999, 1000, 4097, 65535, 123457, 1 << 20} {
		norm := float64(float32(1 / math.Sqrt(float64(n))))
		if got := rank.NormLength(norm); got != n {
			t.Errorf("rank.NormLength(norm of %d) = %d", n, got)
		}
	}
	if got := rank.NormLength(0); got != 1 {
		t.Errorf("rank.NormLength(0) = %d, want 1", got)
	}
}

func TestTermWeightAndIDF(t *testing.T) {
	for _, c := range []struct {
		tf, lens [3]int
		want     int64
	}{
		{[3]int{1, 0, 0}, [3]int{4, 100, 10}, 1500},             // 3·1/2
		{[3]int{0, 4, 0}, [3]int{4, 100, 10}, 200},              // √4/√100
		{[3]int{1, 1, 1}, [3]int{9, 100, 36}, 1000 + 100 + 250}, // 3/3 + 1/10 + 1.5/6
		{[3]int{0, 1, 0}, [3]int{1, 1 << 30, 1}, 1},             // at least 1
	} {
		if got := TermWeight(c.tf, c.lens); got != c.want {
			t.Errorf("TermWeight(%v, %v) = %d, want %d", c.tf, c.lens, got, c.want)
		}
	}
	for _, c := range []struct{ n, df, want int }{{10, 9, 1000}, {10, 0, 3303}, {10000, 1, 9517}, {1, 1, 307}} {
		if got := IDF(c.n, c.df); got != int64(c.want) {
			t.Errorf("IDF(%d, %d) = %d, want %d", c.n, c.df, got, c.want)
		}
	}
}

// TestRankOrder: a word query's hits come in the order of the score
// search.js computes (Σ IDF·TermWeight over the query's terms, ties
// newest first then by id), computed here from the documents themselves.
func TestRankOrder(t *testing.T) {
	docs := fixtureDocs(t)
	ix := memIndex(t, docs)
	an, err := analysis.NewEnglish()
	if err != nil {
		t.Fatal(err)
	}
	type docTerms struct {
		tf   map[string][3]int
		lens [3]int
	}
	byID := map[string]*docTerms{}
	df := map[string]int{}
	for _, d := range docs {
		dt := &docTerms{tf: map[string][3]int{}}
		for f, text := range []string{d.Title, d.Body, d.Keywords} {
			toks := analysis.Analyze(an, text)
			dt.lens[f] = len(toks)
			for _, tk := range toks {
				c := dt.tf[tk.Term]
				c[f]++
				dt.tf[tk.Term] = c
			}
		}
		for term := range dt.tf {
			df[term]++
		}
		byID[d.ID] = dt
	}
	started := map[string]int64{}
	for _, d := range docs {
		started[d.ID] = d.Started.Unix()
		if d.Started.IsZero() {
			started[d.ID] = math.MinInt64
		}
	}
	checked := 0
	for _, q := range []string{"certificate", "database failover", "login api", "phishing mfa", "tls", "the outage", "customer-pii", `"rate limit"`, "cause:expired-certificate certificate"} {
		r, err := ix.Search(context.Background(), q, SearchOptions{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var terms []string
		pq, _ := query.Parse(q)
		for _, c := range pq.Clauses {
			if c.Kind == query.Word || c.Kind == query.Phrase {
				for _, tk := range analysis.Analyze(an, c.Text) {
					terms = append(terms, tk.Term)
				}
			}
		}
		slices.Sort(terms)
		terms = slices.Compact(terms)
		score := func(id string) int64 {
			var s int64
			for _, term := range terms {
				if c, ok := byID[id].tf[term]; ok {
					s += IDF(len(docs), df[term]) * TermWeight(c, byID[id].lens)
				}
			}
			return s
		}
		got := make([]string, len(r.Hits))
		for i, h := range r.Hits {
			got[i] = h.ID
			if want := float64(score(h.ID)) / 1e6; h.Score != want {
				t.Errorf("%q: %s scores %v, want %v", q, h.ID, h.Score, want)
			}
		}
		want := slices.Clone(got)
		slices.SortStableFunc(want, func(a, b string) int {
			if sa, sb := score(a), score(b); sa != sb {
				return -cmpInt(sa, sb)
			}
			if started[a] != started[b] {
				return -cmpInt(started[a], started[b])
			}
			return strings.Compare(a, b)
		})
		if !slices.Equal(got, want) {
			t.Errorf("%q: order %v, want %v", q, got, want)
		}
		if len(got) > 1 {
			checked++
		}
	}
	if checked < 5 {
		t.Errorf("only %d queries with two hits or more", checked)
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestRankPages: every page (offset, limit) is the same slice of the
// whole ranked list, ties included.
func TestRankPages(t *testing.T) {
	ix := memIndex(t, fixtureDocs(t))
	ctx := context.Background()
	for _, q := range []string{"certificate", "the outage", "login api", "cause:expired-certificate certificate"} {
		all, err := ix.Search(ctx, q, SearchOptions{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Hits) < 2 {
			t.Fatalf("%q: %d hits", q, len(all.Hits))
		}
		for off := 0; off <= len(all.Hits); off++ {
			for _, lim := range []int{1, 2, 3} {
				r, err := ix.Search(ctx, q, SearchOptions{Offset: off, Limit: lim})
				if err != nil {
					t.Fatal(err)
				}
				want := all.Hits[off:min(off+lim, len(all.Hits))]
				if r.Total != all.Total || len(r.Hits) != len(want) {
					t.Fatalf("%q offset %d limit %d: %d of %d hits, want %d of %d", q, off, lim, len(r.Hits), r.Total, len(want), all.Total)
				}
				for i := range want {
					if r.Hits[i].ID != want[i].ID || r.Hits[i].Score != want[i].Score || r.Hits[i].Title != want[i].Title {
						t.Errorf("%q offset %d limit %d: hit %d is %s, want %s", q, off, lim, i, r.Hits[i].ID, want[i].ID)
					}
				}
			}
		}
	}
}
