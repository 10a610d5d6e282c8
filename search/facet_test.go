package search

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/search/internal/rank"
	"github.com/hindsight-kb/hindsight/search/query"
)

// TestFacetsAsBleve checks that the facets of a text query, counted from
// the ranked matches (one run of the query), are those bleve's terms
// facets give for the same query, cut to the same size and order.
func TestFacetsAsBleve(t *testing.T) {
	var docs []Doc
	for i := range 300 {
		docs = append(docs, Doc{
			ID: fmt.Sprintf("pm-%03d", i), Title: fmt.Sprintf("outage %d", i),
			Severity: []string{"SEV1", "SEV2", "SEV3"}[i%3], Category: []string{"outage", "security"}[i%2],
			// 70 causes: more than maxFacetTerms, so the cut is checked.
			Causes:  []string{fmt.Sprintf("cause-%02d", i%70), fmt.Sprintf("cause-%02d", (i*7)%70)},
			Systems: []string{fmt.Sprintf("sys-%d", i%5)},
			Body:    []string{"the certificate expired", "a database failover", "certificate rotation failed"}[i%3],
			URL:     fmt.Sprintf("postmortems/pm-%03d/", i),
		})
	}
	ix := memIndex(t, docs)
	ctx := context.Background()
	for _, q := range []string{"certificate", "outage", "database", "certificate severity:SEV1", "nothing-matches-this"} {
		res, err := ix.Search(ctx, q, SearchOptions{Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		ix.idxMu.RLock()
		res0, _, _, err := ix.run(ctx, mustParse(t, q), SearchOptions{}, nil)
		bq, hasText, err2 := ix.compile(mustParse(t, q), &Result{}, map[string]bool{}, nil)
		ix.idxMu.RUnlock()
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		if !hasText {
			t.Fatalf("%q: not a text query", q)
		}
		want := &Result{Facets: map[string][]FacetCount{}}
		if bq != nil && res0.Total > 0 {
			req := bleve.NewSearchRequestOptions(bq, 0, 0, false)
			for _, f := range facetFields {
				req.AddFacet(f[0], bleve.NewFacetRequest(f[1], maxFacetTerms))
			}
			sr, err := ix.idx.SearchInContext(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			setFacets(want, func(name, _ string) []FacetCount {
				var list []FacetCount
				for _, tf := range sr.Facets[name].Terms.Terms() {
					list = append(list, FacetCount{Term: tf.Term, Count: tf.Count})
				}
				return list
			})
		} else if bq != nil {
			setFacets(want, func(_, _ string) []FacetCount { return nil })
		}
		if !reflect.DeepEqual(res.Facets, want.Facets) {
			t.Errorf("%q: facets\n got %v\nwant %v", q, res.Facets, want.Facets)
		}
		if q == "certificate" && len(res.Facets["cause"]) != maxFacetTerms {
			t.Errorf("%q: %d causes listed, want the first %d", q, len(res.Facets["cause"]), maxFacetTerms)
		}
	}
}

// TestScoreStopsWhenCancelled checks that ranking gives up on a
// cancelled context instead of reading every posting of every term.
func TestScoreStopsWhenCancelled(t *testing.T) {
	ix := memIndex(t, fixtureDocs(t))
	ai, err := ix.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := ai.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	term := analysis.Analyze(ix.an, "certificate")[0].Term
	ids, err := rank.Matches(ctx, r, wordQuery(term), ix.idx.Mapping())
	if err != nil || len(ids) == 0 {
		t.Fatalf("matches: %d, %v", len(ids), err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := rank.Score(cancelled, r, ids, map[string]bool{term: true}, rankFields); !errors.Is(err, context.Canceled) {
		t.Errorf("score with a cancelled context: %v, want context.Canceled", err)
	}
}

func mustParse(t *testing.T, q string) *query.Query {
	t.Helper()
	pq, err := query.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	return pq
}
