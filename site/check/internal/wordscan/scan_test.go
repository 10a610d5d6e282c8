package wordscan

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"
)

// wordSets are scanners' words: long ones (the three-byte filter on),
// and short ones (off).
var wordSets = [][]string{
	{"human", "should have", "fault", "key", "token", "://", "sk-"},
	{"x", "ab", "abc", "é"},
}

// hit is one occurrence a scan reports.
type hit struct{ at, end, ls, tag int }

// ref is what Words must report: at each byte, every word that starts
// there, ignoring ASCII case, in the order of words.
func ref(words []string, text []byte) []hit {
	lower := bytes.ToLower(text) // (ASCII text only, below)
	var out []hit
	ls := 0
	for i := range lower {
		if lower[i] == '\n' {
			ls = i + 1
			continue
		}
		for k, w := range words {
			if bytes.HasPrefix(lower[i:], []byte(w)) {
				out = append(out, hit{i, i + len(w), ls, k})
			}
		}
	}
	return out
}

// same compares Words and WordStarts with ref on text.
func same(t *testing.T, text []byte) {
	t.Helper()
	for _, words := range wordSets {
		tags := make([]int, len(words))
		for i := range tags {
			tags[i] = i
		}
		s := New(words, tags)
		want := ref(words, text)
		var wantStarts []hit
		for _, h := range want {
			if h.at == 0 || !IsWordByte(text[h.at-1]) {
				wantStarts = append(wantStarts, hit{h.at, h.end, 0, h.tag})
			}
		}
		var got, gotStarts []hit
		Words(s, text, func(at, end, ls, tag int) { got = append(got, hit{at, end, ls, tag}) })
		WordStarts(s, string(text), func(at, end, tag int) { gotStarts = append(gotStarts, hit{at, end, 0, tag}) })
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("Words(%q) = %v, want %v", text, got, want)
		}
		if !reflect.DeepEqual(wantStarts, gotStarts) {
			t.Fatalf("WordStarts(%q) = %v, want %v", text, gotStarts, wantStarts)
		}
	}
}

// TestScan: the scanner's filters never hide a word, at the start, in
// the middle and at the end of a text, in either case.
func TestScan(t *testing.T) {
	for _, c := range []string{"", "x", "X", "ab", "xab", "HUMAN", "a Human\nfault", "should  have", "SHOULD HAVE",
		"key://sk-x", "_key", "1key", "token\n\nx", "é", "zé"} {
		same(t, []byte(c))
	}
	alphabet := []byte("xXaAbBcC hHuUmMnNsSkKeEyY:/-\n_1")
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, r.IntN(30))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		same(t, b)
	}
}

func FuzzScan(f *testing.F) {
	f.Add("human error: should have known; key=x token")
	f.Fuzz(func(t *testing.T, s string) {
		// Non-ASCII bytes are compared as they are (the scanner folds
		// ASCII only); bytes.ToLower would fold more.
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return
			}
		}
		same(t, []byte(s))
	})
}
