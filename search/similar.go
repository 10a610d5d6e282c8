package search

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Similar returns up to n postmortems most similar to the one with id, by
// content: a more-like-this query made of the document's most distinctive
// terms (tf-idf over the index's term dictionary) plus its root causes and
// systems, boosted; the document itself is excluded. An unknown id
// returns no hits.
func (ix *Index) Similar(ctx context.Context, id string, n int) ([]Hit, error) {
	if n <= 0 {
		return nil, nil
	}
	ix.idxMu.RLock()
	defer ix.idxMu.RUnlock()
	if ix.idx == nil {
		return nil, fmt.Errorf("similar to %s: the index in %s is closed", id, ix.dir)
	}
	doc, err := ix.idx.Document(id)
	if err != nil {
		return nil, fmt.Errorf("similar to %s: %w", id, err)
	}
	if doc == nil {
		return []Hit{}, nil
	}
	var title, body string
	var causes, systems []string
	doc.VisitFields(func(f index.Field) {
		v := string(f.Value())
		switch f.Name() {
		case fTitle:
			title = v
		case fCauses:
			causes = append(causes, v)
		case fSystems:
			systems = append(systems, v)
		}
	})
	body = ix.bodyOf(id)
	a := ix.an
	tf := map[string]float64{}
	for _, t := range Analyze(a, body) {
		tf[t.Term]++
	}
	for _, t := range Analyze(a, title) {
		tf[t.Term] += 2
	}
	r, err := ix.idx.Advanced()
	if err != nil {
		return nil, err
	}
	reader, err := r.Reader()
	if err != nil {
		return nil, err
	}
	total, _ := reader.DocCount()
	type scored struct {
		term string
		w    float64
	}
	var terms []scored
	for t, f := range tf {
		if len([]rune(t)) < 3 || isNumber(t) {
			continue
		}
		df := uint64(0)
		tfr, err := reader.TermFieldReader(ctx, []byte(t), fBody, false, false, false)
		if err == nil {
			df = tfr.Count()
			tfr.Close()
		}
		if df <= 1 { // only in this document: says nothing about others
			continue
		}
		idf := 1 + math.Log(float64(total)/float64(df+1))
		terms = append(terms, scored{t, math.Sqrt(f) * idf})
	}
	reader.Close()
	sort.Slice(terms, func(i, j int) bool {
		if terms[i].w != terms[j].w {
			return terms[i].w > terms[j].w
		}
		return terms[i].term < terms[j].term
	})
	if len(terms) > 25 {
		terms = terms[:25]
	}
	var should []query.Query
	for _, t := range terms {
		tq := query.NewTermQuery(t.term)
		tq.SetField(fBody)
		tq.SetBoost(t.w)
		should = append(should, tq)
	}
	for _, c := range causes {
		tq := query.NewTermQuery(c)
		tq.SetField(fCauses)
		tq.SetBoost(8)
		should = append(should, tq)
	}
	for _, s := range systems {
		tq := query.NewTermQuery(s)
		tq.SetField(fSystems)
		tq.SetBoost(4)
		should = append(should, tq)
	}
	if len(should) == 0 {
		return []Hit{}, nil
	}
	bq := query.NewBooleanQuery(nil, should, []query.Query{query.NewDocIDQuery([]string{id})})
	req := bleve.NewSearchRequestOptions(bq, n, 0, false)
	req.Fields = []string{fTitle, fSeverity, fStarted, fURL}
	req.SortBy([]string{"-_score", "_id"})
	sr, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("similar to %s: %w", id, err)
	}
	hits := make([]Hit, 0, len(sr.Hits))
	for _, m := range sr.Hits {
		hits = append(hits, ix.hit(m))
	}
	return hits, nil
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
