package search

import (
	"context"
	"math"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// Ranking. The CLI, serve and the static page (search.js, from the
// weights static.Export writes) order the postmortems a text query finds
// by one score, computed the same way on both sides, so they list the
// same ids in the same order:
//
//	score(d) = Σ IDF(n, df(t)) · TermWeight(tf(t, d), len(d))
//
// over the query's terms t (each once; see Index.compile's terms: the
// terms of its words and phrases, of the synonyms it brings in, and a
// misspelt word's chosen term), n the number of postmortems, df(t) those
// holding t in their title, body or keywords. Both factors are integers,
// so the sums are exact in float64 and in JavaScript numbers. Ties go
// newest first (by start time; undated ones last), then by id: the order
// of static's document numbers. bleve's own score (tf-idf with a query
// norm and coordination factors over the three fields) is not used for
// the order: search.js would need per-field counts to reproduce it.

// fieldBoosts weigh a term's occurrences in the title, body and keywords.
var fieldBoosts = [3]float64{3, 1, 1.5}

// TermWeight is the weight of a term in a document that holds it tf[f]
// times in field f (title, body, keywords) of lens[f] tokens: 1000 · Σ
// boost·√tf/√len, rounded, at least 1. static.Export writes it for each
// document and term.
func TermWeight(tf, lens [3]int) int64 {
	w := 0.0
	for f := range 3 {
		if tf[f] > 0 {
			w += fieldBoosts[f] * math.Sqrt(float64(tf[f])) / math.Sqrt(float64(lens[f]))
		}
	}
	return max(1, int64(math.Round(w*1000)))
}

// IDF is the weight of a term held by df of n documents: 1000 · (1 +
// ln(n/(df+1))), rounded (search.js: Math.round(1000 * (1 + Math.log(n /
// (df + 1))))).
func IDF(n, df int) int64 {
	return int64(math.Round(1000 * (1 + math.Log(float64(n)/float64(df+1)))))
}

// normLength is the number of tokens of a field whose bleve norm (1/√len,
// kept as a float32) is norm.
func normLength(norm float64) int {
	if norm <= 0 {
		return 1
	}
	return max(1, int(math.Round(1/(norm*norm))))
}

// rank orders hits (every match of a query, newest first then by id, as
// the search returned them) by score, in place (stable: ties keep that
// order), and sets each hit's Score to its score / 1e6. r is a reader of
// the index the hits come from; terms are the query's terms.
func rank(ctx context.Context, r index.IndexReader, hits []*bsearch.DocumentMatch, terms map[string]bool) error {
	if len(hits) == 0 {
		return nil
	}
	n, err := r.DocCount()
	if err != nil {
		return err
	}
	// The hits by internal id in r (the search may have used another
	// snapshot of the index: ids are looked up again).
	at := make(map[string]int, len(hits))
	for i, h := range hits {
		id, err := r.InternalID(h.ID)
		if err != nil {
			return err
		}
		if id != nil {
			at[string(id)] = i
		}
	}
	sorted := make([]string, 0, len(terms))
	for t := range terms {
		sorted = append(sorted, t)
	}
	slices.Sort(sorted)
	scores := make([]int64, len(hits))
	type counts struct{ tf, lens [3]int }
	held := map[int]*counts{}
	for _, t := range sorted {
		clear(held)
		others := map[string]bool{}
		for f, field := range textFields {
			tfr, err := r.TermFieldReader(ctx, []byte(t), field, true, true, false)
			if err != nil {
				return err
			}
			var td index.TermFieldDoc
			for {
				d, err := tfr.Next(&td)
				if err != nil {
					tfr.Close()
					return err
				}
				if d == nil {
					break
				}
				i, ok := at[string(d.ID)]
				if !ok {
					others[string(d.ID)] = true
					continue
				}
				c := held[i]
				if c == nil {
					c = &counts{}
					held[i] = c
				}
				c.tf[f] = int(d.Freq)
				c.lens[f] = normLength(d.Norm)
			}
			tfr.Close()
		}
		idf := IDF(int(n), len(held)+len(others))
		for i, c := range held {
			scores[i] += idf * TermWeight(c.tf, c.lens)
		}
	}
	order := make([]int, len(hits))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case scores[a] > scores[b]:
			return -1
		case scores[a] < scores[b]:
			return 1
		}
		return 0
	})
	ranked := make([]*bsearch.DocumentMatch, len(hits))
	for k, i := range order {
		ranked[k] = hits[i]
		ranked[k].Score = float64(scores[i]) / 1e6
	}
	copy(hits, ranked)
	return nil
}
