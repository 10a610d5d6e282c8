package analysis

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// everySpan returns the tokens of text with compounds looking at every
// span of the text, not only at the candidates analyze notes: the tokens
// analyze must give.
// we is an English made by NewWordsEnglish (analyze gives words only).
func everySpan(we *English, text string) []tok {
	w := we.work()
	defer we.scratch.Put(w)
	words := we.analyze(w, nil, text)
	if !utf8.ValidString(text) {
		return words // bleve's analysis: no compounds
	}
	w.cands = append(w.cands[:0], byteRange{0, len(text)})
	return we.compounds(w, words, 0, text)
}

// sameAsEverySpan reports the first difference between e's tokens of
// text and everySpan's (with we), or "".
func sameAsEverySpan(e, we *English, text string) string {
	want := everySpan(we, text)
	w := e.work()
	defer e.scratch.Put(w)
	got := e.analyze(w, nil, text)
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			return fmt.Sprintf("token %d missing: %+v", i, want[i])
		case i >= len(want):
			return fmt.Sprintf("extra token %d: %+v", i, got[i])
		}
		g, x := got[i], want[i]
		g.num, x.num = 0, 0
		if g != x {
			return fmt.Sprintf("token %d = %+v, want %+v", i, g, x)
		}
	}
	return ""
}

// candidateTexts are texts whose spans' compound tokens hang on one
// byte: a joiner or hump at the start, the end or the middle of a word,
// across the segmenter's stretches.
var candidateTexts = []string{
	"a-b a.b a:b a_b a/b a@b a\\b -a a- a.. ..a a.-b a-.b a'b-c a-b'c",
	"fooBar FooBar FOOBar fooBAR ABc aBC x9Y x_Y _X X_ OOMKilled WARN",
	"é-a a-é éa-b a-bé é.a.b aé.b.c é_b b_é éBar barÉ xÉy café.acme.com",
	"1-2 1.2 1:2 1_2 1/2 1@2 a1-2 1-a2 2025-03-14 09:12 2025-03-09T08:20:23Z",
	"the-end. end-. -start end... a.b. a. b a .b x--y x-—y x—-y",
	"don'tStop it'sOK a'B a'b.c a,b-c 1,2-3 a;b-c \"a\"-b (a)-b [a]:b",
}

// TestCandidates checks that noting candidates in analyze leaves out no
// span with compound tokens: the tokens are those of compounds looking
// at every span, on the tricky and compound texts, every Markdown file
// of the sample and test KBs and of a generated KB of 1,000 postmortems,
// whole and line by line.
func TestCandidates(t *testing.T) {
	e, we := mustEnglish(t), mustWords(t)
	texts := append([]string{}, candidateTexts...)
	texts = append(texts, trickyTexts...)
	for _, c := range compoundCases {
		texts = append(texts, c.text)
	}
	roots := kbRoots(t)
	_, files := mdFiles(t, 0, roots...)
	for _, f := range files {
		texts = append(texts, f)
		texts = append(texts, strings.Split(f, "\n")...)
	}
	for _, text := range texts {
		for _, s := range []string{text, strings.ToUpper(text), strings.ToLower(text)} {
			if d := sameAsEverySpan(e, we, s); d != "" {
				t.Errorf("%q: %s", s, d)
			}
		}
	}
}

// FuzzCandidates is TestCandidates on any text.
func FuzzCandidates(f *testing.F) {
	for _, s := range candidateTexts {
		f.Add(s)
	}
	for _, c := range compoundCases {
		f.Add(c.text)
	}
	addTricky(f)
	e, we := mustEnglish(f), mustWords(f)
	f.Fuzz(func(t *testing.T, text string) {
		if d := sameAsEverySpan(e, we, text); d != "" {
			t.Errorf("%q: %s", text, d)
		}
	})
}

// mustWords is NewWordsEnglish for tests: an error fails tb.
func mustWords(tb testing.TB) *English {
	tb.Helper()
	e, err := NewWordsEnglish()
	if err != nil {
		tb.Fatal(err)
	}
	return e
}
