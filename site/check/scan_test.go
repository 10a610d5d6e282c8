package check

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hindsight-kb/hindsight/site/check/internal/wordscan"
)

// refScanner is a scanner's words and tags, for wordsRef.
type refScanner struct {
	s     *wordscan.Scanner
	words []string
	tags  []int
}

// refOf is wordscan.Of with the words kept for wordsRef.
func refOf[T any](items []T, triggers func(T) []string) refScanner {
	var r refScanner
	for i, it := range items {
		for _, t := range triggers(it) {
			r.words = append(r.words, t)
			r.tags = append(r.tags, i)
		}
	}
	r.s = wordscan.New(r.words, r.tags)
	return r
}

// wordsRef is what wordscan.Words must report: at each byte, every word
// that starts there, compared case-insensitively (ASCII), in the order
// the words were given.
func wordsRef(r refScanner, text []byte, fn func(at, end, lineStart, tag int)) {
	lower := wordscan.ASCIILower(text)
	ls := 0
	for i := range lower {
		if lower[i] == '\n' {
			ls = i + 1
			continue
		}
		for k, w := range r.words {
			if bytes.HasPrefix(lower[i:], []byte(w)) {
				fn(i, i+len(w), ls, r.tags[k])
			}
		}
	}
}

// scanRefs are the scanners of the rules, with their words.
var scanRefs = []refScanner{
	refOf(blamePhrases, func(bp blamePhrase) []string { return bp.triggers }),
	refOf(secretPatterns, func(sp secretPattern) []string { return sp.triggers }),
}

type scanHit struct{ at, end, ls, tag int }

// sameScans compares Words and WordStarts with wordsRef on
// text, with both scanners.
func sameScans(t *testing.T, text []byte) {
	t.Helper()
	for _, r := range scanRefs {
		s := r.s
		var want, wantStarts, got, gotStarts []scanHit
		wordsRef(r, text, func(at, end, ls, tag int) {
			want = append(want, scanHit{at, end, ls, tag})
			if at == 0 || !wordscan.IsWordByte(text[at-1]) {
				wantStarts = append(wantStarts, scanHit{at, end, 0, tag})
			}
		})
		wordscan.Words(s, text, func(at, end, ls, tag int) { got = append(got, scanHit{at, end, ls, tag}) })
		wordscan.Words(s, string(text), func(at, end, ls, tag int) {
			if h := (scanHit{at, end, ls, tag}); len(got) == 0 || !reflect.DeepEqual(got[0], h) {
				t.Fatalf("Words on a string of %q: %v, on bytes %v", text, h, got)
			}
			got = got[1:]
		})
		wordscan.WordStarts(s, text, func(at, end, tag int) { gotStarts = append(gotStarts, scanHit{at, end, 0, tag}) })
		wordscan.Words(s, text, func(at, end, ls, tag int) { got = append(got, scanHit{at, end, ls, tag}) })
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("Words(%q) = %v, want %v", text, got, want)
		}
		if !reflect.DeepEqual(wantStarts, gotStarts) {
			t.Fatalf("WordStarts(%q) = %v, want %v", text, gotStarts, wantStarts)
		}
	}
}

func TestScanWordsSame(t *testing.T) {
	cases := []string{"", "h", "H", "human", "HUMAN ERROR", "xhuman", "Xhuman", "_human", "éhuman",
		"should have", "Should Have known", "AKIAxxxx", "aws_secret_access_key = x", "https://a:b@c",
		"-----BEGIN PRIVATE KEY-----", "ghp_x github_pat_ xoxb- hooks.slack.com sk_live_ AIza eyJ",
		"password: x\napi_key=y\ntoken\n", "carelessness negligent fault of their fault to blame"}
	for _, c := range cases {
		sameScans(t, []byte(c))
	}
	alphabet := []byte("hHuUmMaAnN eErRoOsSkKyYtTpPcC_-:/\n\t.é\x00ghixlwdbf'")
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		sameScans(t, randomBytes(r, alphabet, 60))
	}
	// The test KB and the sample KB.
	for _, root := range []string{"testdata", filepath.Join("..", "..", "content")} {
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, err := os.ReadFile(p); err == nil {
					sameScans(t, b)
				}
			}
			return nil
		})
	}
}

func FuzzScanWords(f *testing.F) {
	f.Add("Human error: the engineer should have known; aws_secret_access_key=AKIA1234567890ABCDEF")
	f.Add("ghp_abc token: xoxb-1 https://u:p@h")
	f.Fuzz(func(t *testing.T, s string) { sameScans(t, []byte(s)) })
}

// randomBytes returns up to max-1 bytes drawn from alphabet, for the
// differential tests against the slower reference implementations.
func randomBytes(r *rand.Rand, alphabet []byte, max int) []byte {
	b := make([]byte, r.IntN(max))
	for j := range b {
		b[j] = alphabet[r.IntN(len(alphabet))]
	}
	return b
}
