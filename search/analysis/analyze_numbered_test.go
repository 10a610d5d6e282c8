package analysis

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// sameNumbered reports the first difference between the tokens Tokens
// gives for text (with bleve's terms, checked by the tests above) and
// those of NumberedTokens on n, terms looked up by number, or "".
func sameNumbered(want *English, n *English, text string) string {
	w := want.Tokens(nil, text)
	g := n.NumberedTokens(nil, text)
	terms := n.Terms()
	if len(w) != len(g) {
		return fmt.Sprintf("%d numbered tokens, want %d", len(g), len(w))
	}
	for i := range w {
		if int(g[i].Term) >= len(terms) || g[i].Term < 0 {
			return fmt.Sprintf("token %d: number %d, only %d terms", i, g[i].Term, len(terms))
		}
		if got := terms[g[i].Term]; got != w[i].Term || int(g[i].Position) != w[i].Position {
			return fmt.Sprintf("token %d = %q (number %d) pos %d, want %q pos %d", i, got, g[i].Term, g[i].Position, w[i].Term, w[i].Position)
		}
	}
	return ""
}

// distinctTerms reports a term numbered twice, or "".
func distinctTerms(e *English) string {
	seen := map[string]int{}
	for k, t := range e.Terms() {
		if j, ok := seen[t]; ok {
			return fmt.Sprintf("term %q has numbers %d and %d", t, j, k)
		}
		seen[t] = k
	}
	return ""
}

// TestNumberedTokens checks that NumberedTokens gives Tokens' terms and
// positions, each term one number, on the tricky texts and every
// Markdown file of the sample and test KBs, from eight goroutines at once
// (run with -race).
func TestNumberedTokens(t *testing.T) {
	want := mustEnglish(t)
	var texts []string
	for _, text := range trickyTexts {
		texts = append(texts, text, " "+text+".", strings.ToUpper(text))
	}
	_, files := mdFiles(t, 0, filepath.Join("..", "..", "content"), filepath.Join("..", "testdata"))
	texts = append(texts, files...)
	if len(texts) < 100 {
		t.Fatalf("only %d texts", len(texts))
	}
	n := mustNumbering(t)
	concurrently(t, 8, func(g int) string {
		for k := range texts {
			text := texts[(k+g*len(texts)/8)%len(texts)]
			if d := sameNumbered(want, n, text); d != "" {
				return fmt.Sprintf("%.60q: %s", text, d)
			}
		}
		return ""
	})
	if d := distinctTerms(n); d != "" {
		t.Error(d)
	}
	if len(n.Terms()) < 1000 {
		t.Errorf("only %d terms numbered", len(n.Terms()))
	}
}

// TestNumberedTokensBeyondCache numbers more distinct words than the word
// cache holds: the words it no longer caches get numbers too, the same
// each time.
func TestNumberedTokensBeyondCache(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses 300,000 words")
	}
	want := mustEnglish(t)
	n := mustNumbering(t)
	var sb strings.Builder
	for k := 0; k < maxCached+maxCached/8; k++ {
		fmt.Fprintf(&sb, "w%dx ", k)
	}
	text := sb.String()
	for range 2 {
		if d := sameNumbered(want, n, text); d != "" {
			t.Fatal(d)
		}
	}
	if got := len(n.Terms()); got != maxCached+maxCached/8 {
		t.Errorf("%d terms numbered, want %d", got, maxCached+maxCached/8)
	}
	if d := distinctTerms(n); d != "" {
		t.Error(d)
	}
}

func TestNumberedTokensNeedNumbering(t *testing.T) {
	e := mustEnglish(t)
	if e.Terms() != nil {
		t.Errorf("Terms of a plain English = %v, want nil", e.Terms())
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "NewNumberingEnglish") {
			t.Errorf("NumberedTokens on a plain English: panic %v, want one naming NewNumberingEnglish", r)
		}
	}()
	e.NumberedTokens(nil, "failover")
}

// FuzzNumberedTokens compares NumberedTokens with Tokens (FuzzAnalyze
// compares Tokens' analysis with bleve's).
func FuzzNumberedTokens(f *testing.F) {
	addTricky(f)
	want := mustEnglish(f)
	n := mustNumbering(f)
	f.Fuzz(func(t *testing.T, text string) {
		if d := sameNumbered(want, n, text); d != "" {
			t.Errorf("%q: %s", text, d)
		}
	})
}

// BenchmarkAnalyze10k analyses every Markdown file of a generated KB of
// 10,000 postmortems (48 MB) on one goroutine, as the static export does
// (its analyzer starts with an empty cache), and with a warm cache. CPU
// seconds say more than wall time on a shared machine.
func BenchmarkAnalyze10k(b *testing.B) {
	texts, size := kbTexts(b, 10000, 0)
	b.Run("NumberedTokens-cold", func(b *testing.B) {
		b.SetBytes(int64(size))
		var buf []NumberedToken
		c0 := kbtest.CPUTime()
		for b.Loop() {
			e := mustNumbering(b)
			for _, t := range texts {
				buf = e.NumberedTokens(buf[:0], t)
			}
		}
		b.ReportMetric((kbtest.CPUTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
	})
	b.Run("Tokens-warm", func(b *testing.B) {
		e := mustEnglish(b)
		b.SetBytes(int64(size))
		var buf []Token
		for _, t := range texts {
			buf = e.Tokens(buf[:0], t)
		}
		c0 := kbtest.CPUTime()
		for b.Loop() {
			for _, t := range texts {
				buf = e.Tokens(buf[:0], t)
			}
		}
		b.ReportMetric((kbtest.CPUTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
	})
}

// TestNumber checks that Number gives a term analysed earlier its
// number, and a new term the next number, which NumberedTokens then
// gives it too.
func TestNumber(t *testing.T) {
	n := mustNumbering(t)
	toks := n.NumberedTokens(nil, "the failover failed over")
	terms := n.Terms()
	for _, tok := range toks {
		if got := n.Number(terms[tok.Term]); got != tok.Term {
			t.Errorf("Number(%q) = %d, want %d", terms[tok.Term], got, tok.Term)
		}
	}
	next := int32(len(terms))
	if got := n.Number("certif"); got != next {
		t.Errorf("Number of a new term = %d, want %d", got, next)
	}
	if got := n.NumberedTokens(nil, "certificates"); len(got) != 1 || got[0].Term != next {
		t.Errorf("NumberedTokens(certificates) = %v, want term %d (numbered by Number)", got, next)
	}
	if got := len(n.Terms()); got != int(next)+1 {
		t.Errorf("%d terms, want %d", got, next+1)
	}
}
