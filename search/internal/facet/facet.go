// Package facet counts the values of keyword fields over the documents a
// query matched, from the index's doc values: what bleve's terms facets
// give, without running the query a second time when the caller has the
// matches already (package search ranks every match itself).
package facet

import (
	"cmp"
	"context"
	"slices"

	index "github.com/blevesearch/bleve_index_api"
)

// Count is one value of a field and how many matched documents hold it.
type Count struct {
	Term  string
	Count int
}

// Counts returns, for each of fields, the values that the documents ids
// (internal ids of r) hold, most frequent first, then by value, at most
// size of them (as bleve's terms facets order and cut them). Each
// field must have doc values.
func Counts(ctx context.Context, r index.IndexReader, ids [][]byte, fields []string, size int) (map[string][]Count, error) {
	dvr, err := r.DocValueReader(fields)
	if err != nil {
		return nil, err
	}
	counts := make(map[string]map[string]int, len(fields))
	for _, f := range fields {
		counts[f] = map[string]int{}
	}
	visit := func(field string, term []byte) {
		if c := counts[field]; c != nil {
			c[string(term)]++
		}
	}
	for i, id := range ids {
		if i%4096 == 4095 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err := dvr.VisitDocValues(id, visit); err != nil {
			return nil, err
		}
	}
	out := make(map[string][]Count, len(fields))
	for f, c := range counts {
		list := make([]Count, 0, len(c))
		for t, n := range c {
			list = append(list, Count{Term: t, Count: n})
		}
		slices.SortFunc(list, func(a, b Count) int {
			if a.Count != b.Count {
				return cmp.Compare(b.Count, a.Count)
			}
			return cmp.Compare(a.Term, b.Term)
		})
		out[f] = list[:min(len(list), size)]
	}
	return out, nil
}
