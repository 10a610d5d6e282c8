package snippet

import (
	"html"
	"strings"
	"unicode/utf8"

	banalysis "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/hindsight-kb/hindsight/search/analysis"
)

// Snippet returns about size bytes of text around the densest run of
// words whose analysed term is in terms, as HTML: escaped text with those
// words in <mark>. Without any match it is the start of the text.
func Snippet(a banalysis.Analyzer, text string, terms map[string]bool, size int) string {
	var hits []analysis.Token
	if e, ok := a.(*analysis.English); ok && len(terms) > 0 {
		// English analyses the whole text faster than bleve's tokenizer
		// splits it into words (and gives the same offsets).
		e.Each(text, func(t analysis.Token) {
			if terms[t.Term] {
				hits = append(hits, analysis.Token{Term: t.Term, Start: t.Start, End: t.End})
			}
		})
	} else if len(terms) > 0 {
		// Stemming keeps a word's first two letters, so only words that
		// start like a query term need the whole banalysis.
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
					hits = append(hits, analysis.Token{Term: string(t.Term), Start: tk.Start, End: tk.End})
				}
			}
		}
	}
	if len(hits) == 0 {
		return html.EscapeString(Excerpt(text, size))
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
		if h.Start < pos || h.End > end { // h.Start < pos: inside a compound already marked
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

// Excerpt returns s with its white space collapsed, shortened to at most
// about n bytes (see Shorten).
func Excerpt(s string, n int) string {
	return Shorten(strings.Join(strings.Fields(s), " "), n)
}

// Shorten returns s cut to at most n bytes, at the last space of its
// second half when there is one (never inside a UTF-8 sequence), with
// " …" after it; s itself when it is short enough. A cut text that ends
// in " …" already gets no second one.
func Shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexByte(s[:cut], ' '); i > n/2 {
		cut = i
	}
	return strings.TrimSuffix(strings.TrimSpace(s[:cut]), " …") + " …"
}
