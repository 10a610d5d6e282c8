package search

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	stdunicode "unicode"

	"github.com/blevesearch/bleve/v2"
	banalysis "github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bquery "github.com/blevesearch/bleve/v2/search/query"

	"github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/search/internal/snippet"
	"github.com/hindsight-kb/hindsight/search/query"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
)

func didYouMean(s string, cands []string) string { return diag.DidYouMean(s, cands) }

// SearchOptions tune Search.
type SearchOptions struct {
	// Limit is the number of hits returned; 0 means 10.
	Limit int
	// Offset skips the first hits (paging).
	Offset int
	// Facets asks for counts per severity, category, cause and system.
	Facets bool
}

// Result is the answer to a query; its JSON is the CLI's and /api/search's
// output: {"total","hits":[…],"facets":{…}}.
type Result struct {
	Total  int                     `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetCount `json:"facets"`
	// DidYouMean is the query with its misspelt words replaced by the
	// nearest words of the index, when the query found fewer than
	// fuzzyBelow postmortems and such words exist ("" otherwise). The
	// hits then include those of the fuzzy retry (see SearchQuery).
	DidYouMean string `json:"did_you_mean,omitempty"`
	// Hints are advice for a human (a filter value no postmortem has,
	// with the nearest existing values); not part of the JSON.
	Hints []string `json:"-"`
}

// Hit is one matching postmortem.
type Hit struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	// Started is the incident start in the index's timezone, to the
	// second.
	Started time.Time `json:"started"`
	// URL is site-relative ("postmortems/x/").
	URL   string  `json:"url"`
	Score float64 `json:"score"`
	// Snippet is HTML: escaped text with the matched words in <mark>.
	Snippet string `json:"snippet"`
}

// SnippetHTML returns the snippet for html/template (it is escaped text
// and <mark> elements only).
func (h Hit) SnippetHTML() template.HTML { return template.HTML(h.Snippet) }

// FacetCount is one value of a facet and how many matches have it.
type FacetCount struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// facetFields maps facet names (as in the JSON) to index fields.
var facetFields = [...][2]string{{"severity", fSeverity}, {"category", fCategory}, {"cause", fCauses}, {"system", fSystems}}

// Search parses q and runs it. A query that cannot be parsed returns a
// *ParseError.
func (ix *Index) Search(ctx context.Context, q string, opts SearchOptions) (*Result, error) {
	pq, err := query.Parse(q)
	if err != nil {
		return nil, err
	}
	return ix.SearchQuery(ctx, pq, opts)
}

// SetSynonyms replaces the synonym groups (Options.Synonyms): for a
// server whose config changed. Searches running meanwhile finish first.
func (ix *Index) SetSynonyms(groups [][]string) {
	syn := newSynonyms(ix.an, groups)
	ix.idxMu.Lock()
	ix.syn = syn
	ix.idxMu.Unlock()
}

// maxTypoWords is how many unknown words of a query are looked up for
// typos (each costs a few thousand dictionary lookups); the others are
// left as they are.
const maxTypoWords = 8

// fuzzyBelow is the number of hits under which a query's unknown words
// are looked up for typos.
const fuzzyBelow = 3

// SearchQuery runs a parsed query. A query with no clause (or only stop
// words and no filter) matches nothing. Words of a synonym group
// (Options.Synonyms) also match the other words and phrases of the group.
// When the query finds fewer than 3 postmortems and has words no
// postmortem holds (of 4 letters or more), those words also match the
// indexed words within fuzzyDistance edits, and Result.DidYouMean is the
// query with each of them replaced by the most frequent such word.
func (ix *Index) SearchQuery(ctx context.Context, pq *query.Query, opts SearchOptions) (*Result, error) {
	ix.idxMu.RLock()
	defer ix.idxMu.RUnlock()
	if ix.idx == nil {
		return nil, fmt.Errorf("searching: the index in %s is closed", ix.dir)
	}
	res, sr, terms, err := ix.run(ctx, pq, opts, nil)
	if err != nil || sr == nil || res.Total >= fuzzyBelow {
		return ix.finish(res, sr, terms), err
	}
	typos := ix.typos(ctx, pq)
	if len(typos) == 0 {
		return ix.finish(res, sr, terms), nil
	}
	if fres, fsr, fterms, err := ix.run(ctx, pq, opts, typos); err != nil {
		return nil, err
	} else if fres.Total > res.Total {
		res, sr, terms = fres, fsr, fterms
	}
	res = ix.finish(res, sr, terms)
	res.DidYouMean = ix.didYouMean(pq, typos)
	return res, nil
}

// run compiles and runs pq (the words of typos made fuzzy). sr is nil
// when nothing can match.
func (ix *Index) run(ctx context.Context, pq *query.Query, opts SearchOptions, typos map[string]typo) (*Result, *bleve.SearchResult, map[string]bool, error) {
	res := &Result{Hits: []Hit{}, Facets: map[string][]FacetCount{}}
	terms := map[string]bool{}
	bq, hasText, err := ix.compile(pq, res, terms, typos)
	if err != nil || bq == nil {
		return res, nil, terms, err
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = 10
	}
	// Filters alone list the newest first; text is ranked (rank.go).
	if hasText {
		var ff []string
		if opts.Facets {
			for _, f := range facetFields {
				ff = append(ff, f[1])
			}
		}
		rp, err := ix.ranked(ctx, bq, terms, opts.Offset, limit, ff)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("searching: %w", err)
		}
		res.Total = rp.total
		if err := ix.loadFields(ctx, rp.hits); err != nil {
			return nil, nil, nil, fmt.Errorf("searching: %w", err)
		}
		if opts.Facets {
			setFacets(res, func(_, field string) []FacetCount {
				var list []FacetCount
				for _, c := range rp.facets[field] {
					list = append(list, FacetCount{Term: c.Term, Count: c.Count})
				}
				return list
			})
		}
		return res, &bleve.SearchResult{Hits: rp.hits, Total: uint64(rp.total)}, terms, nil
	}
	req := bleve.NewSearchRequestOptions(bq, limit, opts.Offset, false)
	req.Fields = []string{fTitle, fSeverity, fStarted, fURL}
	req.Score = "none" // no text: every score is 0, as on the static page
	req.SortBy([]string{"-" + fStarted, "_id"})
	if opts.Facets {
		for _, f := range facetFields {
			req.AddFacet(f[0], bleve.NewFacetRequest(f[1], maxFacetTerms))
		}
	}
	sr, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("searching: %w", err)
	}
	res.Total = int(sr.Total)
	if opts.Facets {
		setFacets(res, func(name, _ string) []FacetCount {
			var list []FacetCount
			if fr := sr.Facets[name]; fr != nil && fr.Terms != nil {
				for _, t := range fr.Terms.Terms() {
					list = append(list, FacetCount{Term: t.Term, Count: t.Count})
				}
			}
			return list
		})
	}
	return res, sr, terms, nil
}

// maxFacetTerms is how many values a facet lists at most.
const maxFacetTerms = 50

// setFacets sets res.Facets from the counts get returns for each facet
// (by its name and index field): most frequent first, then by value.
func setFacets(res *Result, get func(name, field string) []FacetCount) {
	for _, f := range facetFields {
		list := get(f[0], f[1])
		if list == nil {
			list = []FacetCount{}
		}
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].Count != list[j].Count {
				return list[i].Count > list[j].Count
			}
			return list[i].Term < list[j].Term
		})
		res.Facets[f[0]] = list
	}
}

// loadFields loads the stored fields results show into hits.
func (ix *Index) loadFields(ctx context.Context, hits []*bsearch.DocumentMatch) error {
	if len(hits) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(bquery.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{fTitle, fSeverity, fStarted, fURL}
	req.Score = "none"
	fr, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return err
	}
	fields := make(map[string]map[string]any, len(fr.Hits))
	for _, h := range fr.Hits {
		fields[h.ID] = h.Fields
	}
	for _, h := range hits {
		h.Fields = fields[h.ID]
	}
	return nil
}

// finish fills res's hits (with snippets) from sr (run set the facets).
func (ix *Index) finish(res *Result, sr *bleve.SearchResult, terms map[string]bool) *Result {
	if res == nil || sr == nil {
		return res
	}
	res.Hits = make([]Hit, len(sr.Hits))
	for i, m := range sr.Hits {
		res.Hits[i] = ix.hit(m)
	}
	ids := make([]string, len(res.Hits))
	for i := range res.Hits {
		ids[i] = res.Hits[i].ID
	}
	bodies := ix.bodiesOf(ids)
	kb.Parallel(len(res.Hits), 0, func(i int) {
		res.Hits[i].Snippet = snippet.Snippet(ix.an, bodies[i], terms, 220)
	})
	return res
}

func (ix *Index) hit(m *bsearch.DocumentMatch) Hit {
	h := Hit{ID: m.ID, Score: m.Score}
	if math.IsNaN(h.Score) || math.IsInf(h.Score, 0) {
		h.Score = 0
	}
	h.Title, _ = m.Fields[fTitle].(string)
	h.Severity, _ = m.Fields[fSeverity].(string)
	h.URL, _ = m.Fields[fURL].(string)
	if f, ok := m.Fields[fStarted].(float64); ok {
		h.Started = time.Unix(int64(f), 0).In(ix.loc)
	}
	return h
}

// compile turns a parsed query into a bleve query. It returns nil when
// nothing can match (no clause, only stop words, or a filter value that
// no document has). The words whose terms typos holds also match the
// indexed words within fuzzyDistance edits, and their neighbour is
// highlighted.
func (ix *Index) compile(pq *query.Query, res *Result, terms map[string]bool, typos map[string]typo) (bquery.Query, bool, error) {
	var must []bquery.Query
	hasText := false
	for i := 0; i < len(pq.Clauses); i++ {
		c := pq.Clauses[i]
		switch c.Kind {
		case query.Word:
			// Words in a row that are a synonym as a whole ("denial of
			// service", or "two-factor", which the analyzer splits): all
			// of them, or one of the group's other members.
			if n, toks, alts := ix.synRun(pq.Clauses[i:]); n > 0 {
				var all []bquery.Query
				for _, t := range toks {
					all = append(all, wordQuery(t.Term))
				}
				must = append(must, ix.synQuery(bquery.NewConjunctionQuery(all), alts, terms))
				addTerms(terms, toks)
				hasText = true
				i += n - 1
				continue
			}
			toks := analysis.Analyze(ix.an, c.Text)
			if len(toks) == 0 {
				continue
			}
			hasText = true
			for _, t := range toks {
				if holdsTypo(t, toks, typos) {
					// A compound ("cert-manger") whose part has a typo:
					// the parts stand for it.
					continue
				}
				q := wordQuery(t.Term)
				terms[t.Term] = true
				syn := t.Term
				if best, ok := typos[t.Term]; ok {
					// The nearest word, and its synonyms.
					q = bquery.NewDisjunctionQuery([]bquery.Query{q, fuzzyWordQuery(t.Term, fuzzyDistance(tokenText(c.Text, t))), wordQuery(best.term)})
					terms[best.term] = true
					syn = best.term
				}
				if alts, ok := ix.syn[syn]; ok {
					q = ix.synQuery(q, alts, terms)
				}
				must = append(must, q)
			}
		case query.Phrase:
			toks := analysis.Analyze(ix.an, c.Text)
			if len(toks) == 0 {
				continue
			}
			hasText = true
			addTerms(terms, toks)
			q := textQuery(c.Text, toks)
			if alts, ok := ix.syn[joinTerms(toks)]; ok {
				q = ix.synQuery(q, alts, terms)
			}
			must = append(must, q)
		case query.Filter:
			field := filterIndexField(c.Field)
			terms, hint := ix.resolveValues(field, c.Field, c.Values)
			if hint != "" {
				res.Hints = append(res.Hints, hint)
			}
			if len(terms) == 0 {
				return nil, false, nil
			}
			if field == fieldID {
				must = append(must, bquery.NewDocIDQuery(terms))
				continue
			}
			var any []bquery.Query
			for _, t := range terms {
				tq := bquery.NewTermQuery(t)
				tq.SetField(field)
				any = append(any, tq)
			}
			must = append(must, bquery.NewDisjunctionQuery(any))
		case query.After, query.Before:
			// started >= the date's first second (after:), or < it
			// (before:): the static search compares the local day the
			// same way.
			v := startedValue(query.DateStart(c.Values[0], ix.loc))
			var rq *bquery.NumericRangeQuery
			if c.Kind == query.After {
				incl := true
				rq = bquery.NewNumericRangeInclusiveQuery(&v, nil, &incl, nil)
			} else {
				excl := false
				rq = bquery.NewNumericRangeInclusiveQuery(nil, &v, nil, &excl)
			}
			rq.SetField(fStarted)
			must = append(must, rq)
		}
	}
	if len(must) == 0 {
		return nil, false, nil
	}
	if len(must) == 1 {
		return must[0], hasText, nil
	}
	return bquery.NewConjunctionQuery(must), hasText, nil
}

// resolveValues maps typed filter values to the indexed terms that equal
// them case-insensitively. When a value matches none, hint suggests the
// nearest indexed values.
func (ix *Index) resolveValues(field, name string, vals []string) (terms []string, hint string) {
	dict, err := ix.idx.FieldDict(field)
	if err != nil {
		return nil, ""
	}
	var all []string
	for {
		e, err := dict.Next()
		if err != nil || e == nil {
			break
		}
		all = append(all, e.Term)
	}
	dict.Close()
	seen := map[string]bool{}
	var missing []string
	for _, v := range vals {
		found := false
		for _, t := range all {
			if strings.EqualFold(t, v) {
				found = true
				if !seen[t] {
					seen[t] = true
					terms = append(terms, t)
				}
			}
		}
		if !found {
			missing = append(missing, v)
		}
	}
	if len(missing) > 0 {
		hint = fmt.Sprintf("no postmortem has %s %q", name, missing[0])
		if dym := didYouMean(missing[0], all); dym != "" {
			hint += dym
		}
	}
	return terms, hint
}

// holdsTypo reports whether t is a compound token that spans a token of
// toks with a typo (and is longer).
func holdsTypo(t analysis.Token, toks []analysis.Token, typos map[string]typo) bool {
	for _, o := range toks {
		if _, ok := typos[o.Term]; ok && o.Start >= t.Start && o.End <= t.End && o.End-o.Start < t.End-t.Start {
			return true
		}
	}
	return false
}

// textQuery matches text analysed as toks: its one word, or its words as
// a phrase in one field (and each word anywhere, which lets the phrase
// check run on few documents).
func textQuery(text string, toks []analysis.Token) bquery.Query {
	if len(toks) == 1 {
		return wordQuery(toks[0].Term)
	}
	var all []bquery.Query
	for _, t := range toks {
		all = append(all, wordQuery(t.Term))
	}
	return bquery.NewConjunctionQuery(append(all, phraseQuery(text)))
}

// phraseQuery matches text as a phrase in the title, body or keywords.
func phraseQuery(text string) bquery.Query {
	var any []bquery.Query
	for _, f := range textFields {
		mq := bquery.NewMatchPhraseQuery(text)
		mq.SetField(f)
		mq.Analyzer = Analyzer
		any = append(any, mq)
	}
	return bquery.NewDisjunctionQuery(any)
}

// fuzzyWordQuery matches the words within d edits of term in the title,
// body or keywords.
func fuzzyWordQuery(term string, d int) bquery.Query {
	var any []bquery.Query
	for _, f := range textFields {
		fq := bquery.NewFuzzyQuery(term)
		fq.SetFuzziness(d)
		fq.SetField(f)
		any = append(any, fq)
	}
	return bquery.NewDisjunctionQuery(any)
}

// fuzzyDistance is the edit distance a fuzzy retry allows for a word as
// typed: none for words under 4 letters or with anything but letters, 1
// for 4 to 7 letters, 2 for longer ones.
func fuzzyDistance(word string) int {
	n := 0
	for _, r := range word {
		if !stdunicode.IsLetter(r) {
			return 0
		}
		n++
	}
	switch {
	case n < 4:
		return 0
	case n <= 7:
		return 1
	}
	return 2
}

// tokenText returns the text of t in s, or its term when its offsets do
// not fit s.
func tokenText(s string, t analysis.Token) string {
	if t.Start >= 0 && t.Start <= t.End && t.End <= len(s) {
		return s[t.Start:t.End]
	}
	return t.Term
}

// joinTerms is the key of analysed text in a synonyms map.
// The terms are ordered by position, then term (search.js builds the
// same keys, whatever order its compound tokens come in).
func joinTerms(toks []analysis.Token) string {
	s := slices.Clone(toks)
	slices.SortStableFunc(s, func(a, b analysis.Token) int {
		if a.Position != b.Position {
			return a.Position - b.Position
		}
		return strings.Compare(a.Term, b.Term)
	})
	ts := make([]string, len(s))
	for i, t := range s {
		ts[i] = t.Term
	}
	return strings.Join(ts, " ")
}

func addTerms(terms map[string]bool, toks []analysis.Token) {
	for _, t := range toks {
		terms[t.Term] = true
	}
}

// synonyms maps analysed text (terms joined by spaces) to the other
// members of its synonym groups.
type synonyms map[string][]synonym

// synonym is one member of a group: its text and its analysed tokens.
type synonym struct {
	text string
	toks []analysis.Token
}

// newSynonyms analyses the groups' members; a member made only of stop
// words is left out.
func newSynonyms(an banalysis.Analyzer, groups [][]string) synonyms {
	syn := synonyms{}
	seen := map[[2]string]bool{} // key, alternative's key
	for _, g := range groups {
		var members []synonym
		var keys []string
		for _, w := range g {
			if toks := analysis.Analyze(an, w); len(toks) > 0 {
				members = append(members, synonym{text: w, toks: toks})
				keys = append(keys, joinTerms(toks))
			}
		}
		for i, key := range keys {
			for j, o := range members {
				if k := [2]string{key, keys[j]}; i != j && k[0] != k[1] && !seen[k] {
					seen[k] = true
					syn[key] = append(syn[key], o)
				}
			}
		}
	}
	return syn
}

// synRun finds the longest run of Word clauses at the start of cs whose
// terms, together, are a synonym of more than one term; n is how many
// clauses it holds (0: none).
func (ix *Index) synRun(cs []query.Clause) (n int, toks []analysis.Token, alts []synonym) {
	var run []analysis.Token
	for k, c := range cs {
		if c.Kind != query.Word {
			break
		}
		// Positions go on from the previous word's, as in one text.
		base := 0
		for _, t := range run {
			base = max(base, t.Position)
		}
		for _, t := range analysis.Analyze(ix.an, c.Text) {
			t.Position += base
			run = append(run, t)
		}
		if a, ok := ix.syn[joinTerms(run)]; ok && len(run) > 1 {
			n, toks, alts = k+1, append([]analysis.Token(nil), run...), a
		}
	}
	return n, toks, alts
}

// synQuery matches q or any of alts; the alternatives' words are added
// to terms (for snippets).
func (ix *Index) synQuery(q bquery.Query, alts []synonym, terms map[string]bool) bquery.Query {
	any := []bquery.Query{q}
	for _, a := range alts {
		any = append(any, textQuery(a.text, a.toks))
		addTerms(terms, a.toks)
	}
	return bquery.NewDisjunctionQuery(any)
}

// fieldID is bleve's field of document ids: id: filters match it.
const fieldID = "_id"

// wordQuery matches a term in the title, body or keywords.
func wordQuery(term string) bquery.Query {
	var any []bquery.Query
	for _, f := range textFields {
		tq := bquery.NewTermQuery(term)
		tq.SetField(f)
		any = append(any, tq)
	}
	return bquery.NewDisjunctionQuery(any)
}
