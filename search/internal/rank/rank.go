package rank

import (
	"cmp"
	"context"
	"encoding/binary"
	"math"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bquery "github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Fields names the index fields ranking reads: the analysed title, body
// and keywords (in that order, the order of TermWeight's counts) and the
// start time (numeric doc values, for ties).
type Fields struct {
	Text    [3]string
	Started string
}

// The CLI, serve and the static page (search.js, from the
// weights static.Export writes) order the postmortems a text query finds
// by one score, computed the same way on both sides, so they list the
// same ids in the same order:
//
//	score(d) = Σ IDF(n, df(t)) · TermWeight(tf(t, d), len(d))
//
// over the query's terms t (each once; see search's Index.compile: the
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

// NormLength is the number of tokens of a field whose bleve norm (1/√len,
// kept as a float32) is norm.
func NormLength(norm float64) int {
	if norm <= 0 {
		return 1
	}
	return max(1, int(math.Round(1/(norm*norm))))
}

// docSet is a set of internal document ids: a bitmap of scorch's 8-byte
// big-endian numbers, or a map for other ids.
type docSet struct {
	bits  []uint64
	other map[string]bool
}

// add adds id and reports whether it was new.
func (s *docSet) add(id []byte) bool {
	if len(id) != 8 || binary.BigEndian.Uint64(id) >= 1<<24 {
		return s.addOther(id)
	}
	n := binary.BigEndian.Uint64(id)
	w := int(n / 64)
	if w >= len(s.bits) {
		s.bits = append(s.bits, make([]uint64, w+1-len(s.bits))...)
	}
	if s.bits[w]&(1<<(n%64)) != 0 {
		return false
	}
	s.bits[w] |= 1 << (n % 64)
	return true
}

func (s *docSet) addOther(id []byte) bool {
	if s.other == nil {
		s.other = map[string]bool{}
	}
	if s.other[string(id)] {
		return false
	}
	s.other[string(id)] = true
	return true
}

func (s *docSet) reset() {
	clear(s.bits)
	clear(s.other)
}

// Matches returns the internal ids of the documents bq matches in r,
// without scores or sorting (bleve's collector would load each one's id
// and sort keys).
func Matches(ctx context.Context, r index.IndexReader, bq bquery.Query, m mapping.IndexMapping) ([][]byte, error) {
	s, err := bq.Searcher(bsearch.ContextWithTermSearchersCounter(ctx), r, m, bsearch.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	var ids [][]byte
	var buf []byte // the ids' bytes, in chunks
	for {
		dm, err := s.Next(sctx)
		if err != nil {
			s.Close()
			return nil, err
		}
		if dm == nil {
			break
		}
		if len(buf)+len(dm.IndexInternalID) > cap(buf) {
			buf = make([]byte, 0, max(64<<10, len(dm.IndexInternalID)))
		}
		k := len(buf)
		buf = append(buf, dm.IndexInternalID...)
		ids = append(ids, buf[k:len(buf):len(buf)])
		sctx.DocumentMatchPool.Put(dm)
		if len(ids)%4096 == 0 && ctx.Err() != nil {
			s.Close()
			return nil, ctx.Err()
		}
	}
	s.Close()
	return ids, nil
}

// Page scores the documents ids for terms (Score) and returns those
// from offset to offset+limit in rank order, with their ids and scores
// (score/1e6).
func Page(ctx context.Context, r index.IndexReader, ids [][]byte, terms map[string]bool, offset, limit int, f Fields) ([]*bsearch.DocumentMatch, error) {
	scores, err := Score(ctx, r, ids, terms, f)
	if err != nil {
		return nil, err
	}
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	offset, limit = max(offset, 0), max(limit, 0) // no negative page, no overflow
	lo := min(offset, len(order))
	hi := lo + min(limit, len(order)-lo)
	if lo == hi {
		return nil, nil
	}
	// Ties go newest first, then by id: the tie groups the page holds
	// part of are sorted by their start times and ids.
	a, b := lo, hi
	for a > 0 && scores[order[a-1]] == scores[order[lo]] {
		a--
	}
	for b < len(order) && scores[order[b]] == scores[order[hi-1]] {
		b++
	}
	keys, err := tieKeys(r, ids, order[a:b], f.Started)
	if err != nil {
		return nil, err
	}
	group := order[a:b]
	slices.SortStableFunc(group, func(x, y int) int {
		if c := cmp.Compare(scores[y], scores[x]); c != 0 {
			return c
		}
		kx, ky := keys[x], keys[y]
		if kx.dated != ky.dated {
			if kx.dated {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(ky.started, kx.started); c != 0 {
			return c
		}
		return strings.Compare(kx.id, ky.id)
	})
	hits := make([]*bsearch.DocumentMatch, 0, hi-lo)
	for _, i := range order[lo:hi] {
		hits = append(hits, &bsearch.DocumentMatch{ID: keys[i].id, IndexInternalID: ids[i], Score: float64(scores[i]) / 1e6})
	}
	return hits, nil
}

// tieKey is what orders documents of equal scores.
type tieKey struct {
	id      string
	started float64
	dated   bool
}

// tieKeys returns the id and start time of the documents ids[i], i in
// which.
func tieKeys(r index.IndexReader, ids [][]byte, which []int, started string) (map[int]tieKey, error) {
	dvr, err := r.DocValueReader([]string{started})
	if err != nil {
		return nil, err
	}
	keys := make(map[int]tieKey, len(which))
	for _, i := range which {
		id, err := r.ExternalID(ids[i])
		if err != nil {
			return nil, err
		}
		k := tieKey{id: id}
		err = dvr.VisitDocValues(ids[i], func(field string, term []byte) {
			if v := numeric.PrefixCoded(term); field == started && !k.dated {
				if shift, err := v.Shift(); err == nil && shift == 0 {
					if n, err := v.Int64(); err == nil {
						k.started, k.dated = numeric.Int64ToFloat64(n), true
					}
				}
			}
		})
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	return keys, nil
}

// Score returns the score of each document ids[i] for terms, from the
// postings of r (f.Text: title, body, keywords).
func Score(ctx context.Context, r index.IndexReader, ids [][]byte, terms map[string]bool, f Fields) ([]int64, error) {
	scores := make([]int64, len(ids))
	if len(ids) == 0 {
		return scores, nil
	}
	n, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	at := make(map[string]int, len(ids))
	for i, id := range ids {
		at[string(id)] = i
	}
	sorted := make([]string, 0, len(terms))
	for t := range terms {
		sorted = append(sorted, t)
	}
	slices.Sort(sorted)
	type counts struct{ tf, lens [3]int }
	all := make([]counts, len(ids)) // by hit, for the current term
	var held []int                  // the hits holding the current term
	var holders docSet
	for _, t := range sorted {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, i := range held {
			all[i] = counts{}
		}
		held = held[:0]
		holders.reset()
		df := 0
		for fi, field := range f.Text {
			tfr, err := r.TermFieldReader(ctx, []byte(t), field, true, true, false)
			if err != nil {
				return nil, err
			}
			var td index.TermFieldDoc
			for k := 1; ; k++ {
				if k%4096 == 0 && ctx.Err() != nil {
					tfr.Close()
					return nil, ctx.Err()
				}
				d, err := tfr.Next(&td)
				if err != nil {
					tfr.Close()
					return nil, err
				}
				if d == nil {
					break
				}
				if holders.add(d.ID) {
					df++
				}
				i, ok := at[string(d.ID)]
				if !ok {
					continue
				}
				c := &all[i]
				if *c == (counts{}) {
					held = append(held, i)
				}
				c.tf[fi] = int(d.Freq)
				c.lens[fi] = NormLength(d.Norm)
			}
			tfr.Close()
		}
		idf := IDF(int(n), df)
		for _, i := range held {
			scores[i] += idf * TermWeight(all[i].tf, all[i].lens)
		}
	}
	return scores, nil
}
