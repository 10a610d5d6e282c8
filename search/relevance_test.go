package search

import (
	"context"
	"slices"
	"testing"

	"github.com/hindsight-kb/hindsight/search/internal/relevance"
)

// relevanceKBs maps the [kb] names of testdata/relevance.txt to KB roots.
var relevanceKBs = map[string]string{"sample": "..", "realworld": "../site/testdata/realworld"}

// TestRelevanceSet runs testdata/relevance.txt against the sample and the
// real-world KBs (internal audience, drafts included, each KB's synonyms)
// and prints precision (of the labelled ids returned, the share that are
// +ids; and of all hits, unlabelled ones counted as wrong) and recall (the share of +ids returned). It fails when a +id is
// missing or a -id is returned.
func TestRelevanceSet(t *testing.T) {
	cases, err := relevance.Read("testdata/relevance.txt", relevanceKBs)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 60 {
		t.Errorf("%d queries in the relevance set, want at least 60", len(cases))
	}
	indexes := map[string]*Index{}
	for name, root := range relevanceKBs {
		k := loadKB(t, root)
		ix, err := Open("", Options{Location: k.Config.Location, Synonyms: k.Config.Search.Synonyms})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if _, err := ix.Update(context.Background(), Docs(k.Postmortems, DocOptionsFor(k.Config, false, true))); err != nil {
			t.Fatal(err)
		}
		indexes[name] = ix
	}
	var must, found, labelled, right, returned int
	for _, c := range cases {
		r, err := indexes[c.KB].Search(context.Background(), c.Query, SearchOptions{Limit: 1000})
		if err != nil {
			t.Errorf("relevance.txt:%d: %q: %v", c.Line, c.Query, err)
			continue
		}
		// Ranked (rank.go): scores never rise; equal scores list the
		// newest first (undated last), then by id.
		for i := 1; i < len(r.Hits); i++ {
			a, b := r.Hits[i-1], r.Hits[i]
			if a.Score < b.Score || a.Score == b.Score && !tieBefore(a, b) {
				t.Errorf("relevance.txt:%d: [%s] %q: %s (%v, %v) before %s (%v, %v)", c.Line, c.KB, c.Query, a.ID, a.Score, a.Started, b.ID, b.Score, b.Started)
			}
		}
		got := ids(r)
		returned += len(got)
		for _, id := range c.Must {
			must++
			if slices.Contains(got, id) {
				found++
				labelled++
				right++
			} else {
				t.Errorf("relevance.txt:%d: [%s] %q misses %s (got %v)", c.Line, c.KB, c.Query, id, got)
			}
		}
		for _, id := range c.Never {
			if slices.Contains(got, id) {
				labelled++
				t.Errorf("relevance.txt:%d: [%s] %q returns %s, which it must not", c.Line, c.KB, c.Query, id)
			}
		}
	}
	if must > 0 && labelled > 0 {
		t.Logf("%d queries: recall %.3f (%d of %d must-return ids), precision %.3f (%d of %d labelled ids returned are must-return; %d hits in all, unlabelled ones included: %.3f)",
			len(cases), float64(found)/float64(must), found, must, float64(right)/float64(labelled), right, labelled, returned, float64(right)/float64(max(returned, 1)))
	}
}

// tieBefore reports whether a comes before b among hits of equal scores:
// the newer first (an undated one last), then by id.
func tieBefore(a, b Hit) bool {
	switch {
	case a.Started.IsZero() != b.Started.IsZero():
		return b.Started.IsZero()
	case !a.Started.Equal(b.Started):
		return a.Started.After(b.Started)
	}
	return a.ID < b.ID
}
