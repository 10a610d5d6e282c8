package check

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// scanWordsRef is the first scanWords, kept to check the faster one:
// every byte lower-cased, then the words starting with it tried.
func scanWordsRef(s *wordScanner, text []byte, fn func(at, end, lineStart, tag int)) {
	ls := 0
	n := len(text)
	for i := 0; i < n; i++ {
		c := lowerByte(text[i])
		if c == '\n' {
			ls = i + 1
			continue
		}
		if s.byFirst[c] == nil {
			continue
		}
		for _, w := range s.byFirst[c] {
			if hasPrefixFold(text[i:], w.w) {
				fn(i, i+len(w.w), ls, w.tag)
			}
		}
	}
}

type scanHit struct{ at, end, ls, tag int }

// sameScans compares scanWords and scanWordStarts with scanWordsRef on
// text, with both scanners.
func sameScans(t *testing.T, text []byte) {
	t.Helper()
	for _, s := range []*wordScanner{blameScan, secretScan} {
		var want, wantStarts, got, gotStarts []scanHit
		scanWordsRef(s, text, func(at, end, ls, tag int) {
			want = append(want, scanHit{at, end, ls, tag})
			if at == 0 || !isWordByte(text[at-1]) {
				wantStarts = append(wantStarts, scanHit{at, end, 0, tag})
			}
		})
		scanWords(s, text, func(at, end, ls, tag int) { got = append(got, scanHit{at, end, ls, tag}) })
		scanWords(s, string(text), func(at, end, ls, tag int) {
			if h := (scanHit{at, end, ls, tag}); len(got) == 0 || !reflect.DeepEqual(got[0], h) {
				t.Fatalf("scanWords on a string of %q: %v, on bytes %v", text, h, got)
			}
			got = got[1:]
		})
		scanWordStarts(s, text, func(at, end, tag int) { gotStarts = append(gotStarts, scanHit{at, end, 0, tag}) })
		scanWords(s, text, func(at, end, ls, tag int) { got = append(got, scanHit{at, end, ls, tag}) })
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("scanWords(%q) = %v, want %v", text, got, want)
		}
		if !reflect.DeepEqual(wantStarts, gotStarts) {
			t.Fatalf("scanWordStarts(%q) = %v, want %v", text, gotStarts, wantStarts)
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
