package search

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/search/query"

	bsearch "github.com/blevesearch/bleve/v2/search"

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
	pq, err := ParseQuery(q)
	if err != nil {
		return nil, err
	}
	return ix.SearchQuery(ctx, pq, opts)
}

// SearchQuery runs a parsed query. A query with no clause (or only stop
// words and no filter) matches nothing.
func (ix *Index) SearchQuery(ctx context.Context, pq *Query, opts SearchOptions) (*Result, error) {
	ix.idxMu.RLock()
	defer ix.idxMu.RUnlock()
	if ix.idx == nil {
		return nil, fmt.Errorf("searching: the index in %s is closed", ix.dir)
	}
	res := &Result{Hits: []Hit{}, Facets: map[string][]FacetCount{}}
	terms := map[string]bool{}
	bq, hasText, err := ix.compile(pq, res, terms)
	if err != nil {
		return nil, err
	}
	if bq == nil {
		return res, nil
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = 10
	}
	req := bleve.NewSearchRequestOptions(bq, limit, opts.Offset, false)
	req.Fields = []string{fTitle, fSeverity, fStarted, fURL}
	if hasText {
		req.SortBy([]string{"-_score", "_id"})
	} else {
		req.SortBy([]string{"-" + fStarted, "_id"})
	}
	if opts.Facets {
		for _, f := range facetFields {
			req.AddFacet(f[0], bleve.NewFacetRequest(f[1], 50))
		}
	}
	sr, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("searching: %w", err)
	}
	res.Total = int(sr.Total)
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
		res.Hits[i].Snippet = Snippet(ix.an, bodies[i], terms, 220)
	})
	if opts.Facets {
		for _, f := range facetFields {
			fr := sr.Facets[f[0]]
			list := []FacetCount{}
			if fr != nil && fr.Terms != nil {
				for _, t := range fr.Terms.Terms() {
					list = append(list, FacetCount{Term: t.Term, Count: t.Count})
				}
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
	return res, nil
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
// no document has).
func (ix *Index) compile(pq *Query, res *Result, terms map[string]bool) (query.Query, bool, error) {
	var must []query.Query
	hasText := false
	for _, c := range pq.Clauses {
		switch c.Kind {
		case Word:
			for _, t := range Analyze(ix.an, c.Text) {
				must = append(must, wordQuery(t.Term))
				terms[t.Term] = true
				hasText = true
			}
		case Phrase:
			toks := Analyze(ix.an, c.Text)
			for _, t := range toks {
				must = append(must, wordQuery(t.Term))
				terms[t.Term] = true
				hasText = true
			}
			if len(toks) > 1 {
				var any []query.Query
				for _, f := range textFields {
					mq := query.NewMatchPhraseQuery(c.Text)
					mq.SetField(f)
					mq.Analyzer = Analyzer
					any = append(any, mq)
				}
				must = append(must, query.NewDisjunctionQuery(any))
			}
		case Filter:
			field := filterIndexField(c.Field)
			terms, hint := ix.resolveValues(field, c.Field, c.Values)
			if hint != "" {
				res.Hints = append(res.Hints, hint)
			}
			if len(terms) == 0 {
				return nil, false, nil
			}
			var any []query.Query
			for _, t := range terms {
				tq := query.NewTermQuery(t)
				tq.SetField(field)
				any = append(any, tq)
			}
			must = append(must, query.NewDisjunctionQuery(any))
		case After, Before:
			// started >= the date's first second (after:), or < it
			// (before:): the static search compares the local day the
			// same way.
			v := startedValue(dateStart(c.Values[0], ix.loc))
			var rq *query.NumericRangeQuery
			if c.Kind == After {
				incl := true
				rq = query.NewNumericRangeInclusiveQuery(&v, nil, &incl, nil)
			} else {
				excl := false
				rq = query.NewNumericRangeInclusiveQuery(nil, &v, nil, &excl)
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
	return query.NewConjunctionQuery(must), hasText, nil
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

// wordQuery matches a term in the title, body or keywords.
func wordQuery(term string) query.Query {
	var any []query.Query
	for _, f := range textFields {
		tq := query.NewTermQuery(term)
		tq.SetField(f)
		any = append(any, tq)
	}
	return query.NewDisjunctionQuery(any)
}

// Snippet returns about size bytes of text around the densest run of
// words whose analysed term is in terms, as HTML: escaped text with those
// words in <mark>. Without any match it is the start of the text.
func Snippet(a analysis.Analyzer, text string, terms map[string]bool, size int) string {
	var hits []Token
	if e, ok := a.(*English); ok && len(terms) > 0 {
		// English analyses the whole text faster than bleve's tokenizer
		// splits it into words (and gives the same offsets).
		e.Each(text, func(t Token) {
			if terms[t.Term] {
				hits = append(hits, Token{Term: t.Term, Start: t.Start, End: t.End})
			}
		})
	} else if len(terms) > 0 {
		// Stemming keeps a word's first two letters, so only words that
		// start like a query term need the whole analysis.
		heads := map[string]bool{}
		for t := range terms {
			heads[head2(t)] = true
		}
		for _, tk := range unicode.NewUnicodeTokenizer().Tokenize([]byte(text)) {
			w := string(tk.Term)
			if !heads[head2(strings.ToLower(w))] {
				continue
			}
			for _, t := range a.Analyze(tk.Term) {
				if terms[string(t.Term)] {
					hits = append(hits, Token{Term: string(t.Term), Start: tk.Start, End: tk.End})
				}
			}
		}
	}
	if len(hits) == 0 {
		return html.EscapeString(excerpt(text, size))
	}
	// The window starting at a match that holds the most matches.
	best, bestN := 0, 0
	for i := range hits {
		n := 0
		for j := i; j < len(hits) && hits[j].End-hits[i].Start <= size; j++ {
			n++
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	start := hits[best].Start
	// Back up a little to start at a word, for context.
	ctxStart := start - size/4
	if ctxStart < 0 {
		ctxStart = 0
	}
	if ctxStart > 0 {
		if k := strings.IndexAny(text[ctxStart:start], " \n\t"); k >= 0 {
			ctxStart += k + 1
		} else {
			ctxStart = start
		}
	}
	end := ctxStart + size
	if end >= len(text) {
		end = len(text)
	} else if k := strings.LastIndexAny(text[start:end], " \n\t"); k > 0 {
		end = start + k
	}
	var b strings.Builder
	if ctxStart > 0 {
		b.WriteString("… ")
	}
	pos := ctxStart
	for _, h := range hits {
		if h.Start < ctxStart || h.End > end {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:h.Start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[h.Start:h.End]))
		b.WriteString("</mark>")
		pos = h.End
	}
	b.WriteString(html.EscapeString(text[pos:end]))
	if end < len(text) {
		b.WriteString(" …")
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// head2 returns the first two characters of s.
func head2(s string) string {
	n := 0
	for i := range s {
		if n == 2 {
			return s[:i]
		}
		n++
	}
	return s
}
