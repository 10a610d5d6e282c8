package search

import (
	"context"

	bsearch "github.com/blevesearch/bleve/v2/search"
	bquery "github.com/blevesearch/bleve/v2/search/query"

	"github.com/hindsight-kb/hindsight/search/internal/facet"
	"github.com/hindsight-kb/hindsight/search/internal/rank"
)

// Ranking: the CLI, serve and the static page (search.js) order the
// postmortems a text query finds by one score (search/internal/rank).

// TermWeight is the weight of a term in a document that holds it tf[f]
// times in field f (title, body, keywords) of lens[f] tokens: 1000 · Σ
// boost·√tf/√len, rounded, at least 1. static.Export writes it for each
// document and term.
func TermWeight(tf, lens [3]int) int64 { return rank.TermWeight(tf, lens) }

// IDF is the weight of a term held by df of n documents: 1000 · (1 +
// ln(n/(df+1))), rounded (search.js: Math.round(1000 * (1 + Math.log(n /
// (df + 1))))).
func IDF(n, df int) int64 { return rank.IDF(n, df) }

// rankFields are the fields ranking reads.
var rankFields = rank.Fields{Text: textFields, Started: fStarted}

// rankedPage is what ranked returns: the total, the hits from offset to
// offset+limit with their ids and scores (not their fields), and the
// counts of the facet fields asked for over every match.
type rankedPage struct {
	hits   []*bsearch.DocumentMatch
	total  int
	facets map[string][]facet.Count
}

// ranked runs bq on one snapshot of the index and ranks every match
// (search/internal/rank); with facetFields, it also counts their values
// over the matches (one run of the query for both).
func (ix *Index) ranked(ctx context.Context, bq bquery.Query, terms map[string]bool, offset, limit int, facetFields []string) (rankedPage, error) {
	ai, err := ix.idx.Advanced()
	if err != nil {
		return rankedPage{}, err
	}
	r, err := ai.Reader()
	if err != nil {
		return rankedPage{}, err
	}
	defer r.Close()
	ids, err := rank.Matches(ctx, r, bq, ix.idx.Mapping())
	if err != nil {
		return rankedPage{}, err
	}
	var rp rankedPage
	if len(facetFields) > 0 {
		if rp.facets, err = facet.Counts(ctx, r, ids, facetFields, maxFacetTerms); err != nil {
			return rankedPage{}, err
		}
	}
	rp.hits, err = rank.Page(ctx, r, ids, terms, offset, limit, rankFields)
	rp.total = len(ids)
	return rp, err
}
