package analysis

import (
	"sort"

	banalysis "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
)

// Token is one analysed term with its position (1-based, counting every
// word including stop words) and byte offsets in the input.
type Token struct {
	Term       string
	Position   int
	Start, End int
}

// NewAnalyzer returns the English analyzer the index uses, so other
// packages (the static export, similar incidents) produce the same terms.
// It is safe for concurrent use; each value has its own cache of analysed
// words, so share one rather than making one per document.
func NewAnalyzer() (*English, error) {
	return NewEnglish()
}

// Analyze runs a on text and returns its tokens.
func Analyze(a banalysis.Analyzer, text string) []Token {
	if e, ok := a.(*English); ok {
		return e.Tokens([]Token{}, text)
	}
	ts := a.Analyze([]byte(text))
	out := make([]Token, len(ts))
	for i, t := range ts {
		out[i] = Token{Term: string(t.Term), Position: t.Position, Start: t.Start, End: t.End}
	}
	return out
}

// StopWords returns the English stop words the analyzer removes.
func StopWords() []string {
	tm := banalysis.NewTokenMap()
	_ = tm.LoadBytes(en.EnglishStopWords)
	out := make([]string, 0, len(tm))
	for w := range tm {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}
