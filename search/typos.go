package search

import (
	"context"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
	porterstemmer "github.com/blevesearch/go-porterstemmer"

	"github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/search/query"
	"github.com/hindsight-kb/hindsight/site/diag"
)

// typos maps each term of pq's words that no postmortem holds and that
// may have a typo (fuzzyDistance > 0) to its nearest indexed term: the
// fewest edits, then the most postmortems (in one text field), then the
// first in order. Candidates are the indexed terms within fuzzyDistance
// of the word's term, and the terms of the words one edit from the word
// as typed (the index holds stems: "phishng" is two edits from "phish",
// but one from "phishing"). Words in a synonym group, words without a
// candidate, and the unknown words after the first maxTypoWords are left
// out.
func (ix *Index) typos(ctx context.Context, pq *query.Query) map[string]typo {
	ai, err := ix.idx.Advanced()
	if err != nil {
		return nil
	}
	r, err := ai.Reader()
	if err != nil {
		return nil
	}
	defer r.Close()
	rd, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return nil
	}
	count := func(term string) uint64 {
		var n uint64
		for _, f := range textFields {
			if tfr, err := r.TermFieldReader(ctx, []byte(term), f, false, false, false); err == nil {
				n = max(n, tfr.Count())
				tfr.Close()
			}
		}
		return n
	}
	out := map[string]typo{}
	looked := 0
	for _, c := range pq.Clauses {
		if c.Kind != query.Word {
			continue
		}
		for _, t := range analysis.Analyze(ix.an, c.Text) {
			word := strings.ToLower(tokenText(c.Text, t))
			d := fuzzyDistance(word)
			if _, syn := ix.syn[t.Term]; d == 0 || syn || count(t.Term) > 0 {
				continue
			}
			if looked++; looked > maxTypoWords || ctx.Err() != nil {
				return out
			}
			// dist holds each candidate's edits.
			dist := map[string]int{}
			for _, f := range textFields {
				dict, err := rd.FieldDictFuzzy(f, t.Term, d, "")
				if err != nil {
					continue
				}
				for e, err := dict.Next(); err == nil && e != nil; e, err = dict.Next() {
					dist[e.Term] = diag.Levenshtein(t.Term, e.Term)
				}
				dict.Close()
			}
			// surface lists the words one edit away that give each
			// term: "manager" for "manag", from "manger".
			surface := map[string][]string{}
			for _, v := range edits1(word) {
				stem := porterstemmer.StemString(v)
				surface[stem] = append(surface[stem], v)
				if _, ok := dist[stem]; !ok && count(stem) > 0 {
					dist[stem] = 1
				} else if ok {
					dist[stem] = min(dist[stem], 1)
				}
			}
			best, bestN := "", uint64(0)
			for term, n := range dist {
				cnt := count(term)
				if cnt == 0 {
					continue
				}
				if best == "" || n < dist[best] || n == dist[best] && (cnt > bestN || cnt == bestN && term < best) {
					best, bestN = term, cnt
				}
			}
			if best != "" {
				out[t.Term] = typo{term: best, words: surface[best]}
			}
		}
	}
	return out
}

// typo is the nearest indexed term of a word no postmortem holds, and
// the words one edit away that give it (none when it came from the term
// dictionary alone).
type typo struct {
	term  string
	words []string
}

// edits1 returns the lower-case ASCII words one edit (a letter deleted,
// inserted, replaced, or two swapped) from w; none when w has another
// character.
func edits1(w string) []string {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return nil
		}
	}
	var out []string
	for i := 0; i <= len(w); i++ {
		if i < len(w) {
			out = append(out, w[:i]+w[i+1:])
		}
		if i+1 < len(w) {
			out = append(out, w[:i]+w[i+1:i+2]+w[i:i+1]+w[i+2:])
		}
		for c := byte('a'); c <= 'z'; c++ {
			out = append(out, w[:i]+string(c)+w[i:])
			if i < len(w) && c != w[i] {
				out = append(out, w[:i]+string(c)+w[i+1:])
			}
		}
	}
	return out
}

// didYouMean returns pq with the words typos has replaced by the
// commonest spelling of their nearest term (the index holds stems,
// "certif"; the word shown is "certificate"), or "" when none has one.
func (ix *Index) didYouMean(pq *query.Query, typos map[string]typo) string {
	out := &query.Query{Clauses: append([]query.Clause(nil), pq.Clauses...)}
	changed := false
	for i, c := range out.Clauses {
		if c.Kind != query.Word {
			continue
		}
		toks := analysis.Analyze(ix.an, c.Text)
		text := c.Text
		for j := len(toks) - 1; j >= 0; j-- {
			t := toks[j]
			best, ok := typos[t.Term]
			if !ok || t.End > len(text) || t.Start > t.End {
				continue
			}
			if w := ix.spelling(best.term, best.words); w != "" {
				text = text[:t.Start] + w + text[t.End:]
				changed = true
			}
		}
		out.Clauses[i].Text = text
	}
	if !changed {
		return ""
	}
	return out.String()
}

// spelling returns the commonest word (lower-cased) whose analysed term is
// term in a few postmortems that hold it, "" if none does; of the words in
// prefer, the commonest one if any is found.
func (ix *Index) spelling(term string, prefer []string) string {
	req := bleve.NewSearchRequestOptions(wordQuery(term), 3, 0, false)
	req.Fields = []string{fTitle}
	req.SortBy([]string{"-_score", "_id"})
	sr, err := ix.idx.Search(req)
	if err != nil {
		return ""
	}
	ids := make([]string, len(sr.Hits))
	for i, m := range sr.Hits {
		ids[i] = m.ID
	}
	bodies := ix.bodiesOf(ids)
	counts := map[string]int{}
	for i, m := range sr.Hits {
		title, _ := m.Fields[fTitle].(string)
		for _, text := range []string{title, bodies[i]} {
			for _, tk := range analysis.Analyze(ix.an, text) {
				if tk.Term == term {
					counts[strings.ToLower(tokenText(text, tk))]++
				}
			}
		}
	}
	best := ""
	for w, n := range counts {
		if best == "" || n > counts[best] || n == counts[best] && w < best {
			best = w
		}
	}
	for _, w := range prefer {
		if n := counts[w]; n > 0 && (!slices.Contains(prefer, best) || n > counts[best] || n == counts[best] && w < best) {
			best = w
		}
	}
	return best
}
