package check

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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

// TestSecretTriggersFindMatches: the trigger scan and its quick tests
// (secretPattern.candidate) never keep a pattern's regular expression
// from a line where it matches: on lines holding credentials of every
// kind, in other cases and surroundings, every pattern whose expression
// matches the line is a candidate on it.
func TestSecretTriggersFindMatches(t *testing.T) {
	lines := []string{
		"key AKIAZ3MSJV4WWNKWW5FG", "ASIAZ3MSJV4WWNKWW5FG",
		"aws_secret_access_key = 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",
		"AWSSecretKey: '8EFd0Nhcy+1kGD2VD+eR1UYzaLiA+zNyD7CHLn+x'", "awssecret_key=8EFd0Nhcy+1kGD2VD+eR1UYzaLiA+zNyD7CHLn+x",
		"-----BEGIN RSA PRIVATE KEY-----",
		"GITHUB_TOKEN=ghp_5oFA6Qd8Mj7zdnbMjAdTdlzC5T4uUhf7kxyz", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ",
		"glpat-5SUkCnD8zRA9a9SkpXz9", "xoxb-1234567890-abcdefghij", "xapp-1-ALQSAJ08XUI-8907866661760",
		"https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX",
		"sk_live_4eC39HqLyjWDarjtT1zdp7dc", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
		"npm_4lBYOvfZ8UzDzV8fUkkibjL5DZPjN0MEQ7wj", "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",
		"sk-proj-BMptUsGr7CmY_uCu3ZR1zTOlUcR64cXQLioDnkHIfxIq2HZt", "sk-abcdefghij0123456789T3BlbkFJabcdefghij0123456789",
		"sk-ant-api03-HlsZfYcMMDktXP-tKsf2rcDkdfrUnW5gcF_Ha6ili8GjHEAD6", "hvs.UqJoUD-_Ydua_5ZMs1SWOpQaPRYpzbLGViYX",
		"sms SK6725a2a7b860dcd6c8a1f8b46287cced", "SKabcdefABCDEF0123456789abcdef0123 sent",
		"twine pypi-AgEIcHlwaS5vcmc1kGD2VD-eR1UYzaLiA-zNyD7CHLn-xC_1hsYgBds1ghxY5OokvQyx7eNWVQ4",
		"shop 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",
		"AccountKey=PtYgjmUhBel31iEl2hpChYgCfrL1spNxnyVmihA/2O76UMFxFkM/R5Kjp1vRt+1f",
		"https://a.blob.core.windows.net/c?sv=2022&sig=FdnXsiVpzz63FfkCzJr4i0B3JrTAwR4y9ojfljoQ",
		`Authorization: Bearer Ncqe28.ajY75FnCttn6kfaqDeMqG3omjMyXHCabM`, "cache: redis://:eZ6dqmVe5Mvxrv99@cache.internal:6379/0",
		`db_password: "xxxhX9kq2LmP4vR7tWz"`, "client_secret=Zx81kQ2mLpW93vNc7TfB", "the skew of SKEW sketches",
	}
	var corpus []string
	for _, l := range lines {
		corpus = append(corpus, l, strings.ToUpper(l), strings.ToLower(l), "x"+l, "("+l+")", "a "+l+" b")
	}
	for _, line := range corpus {
		src := []byte(line)
		found := map[int]bool{}
		wordscan.Words(secretScan, src, func(at, end, _, pat int) {
			if secretPatterns[pat].candidate(src, at, end) {
				found[pat] = true
			}
		})
		for i, sp := range secretPatterns {
			if sp.re.Match(src) && !found[i] {
				t.Errorf("%s matches %q, but its triggers do not run it", sp.name, line)
			}
		}
	}
}

// TestJoinReach: the text around a boundary of two prose runs fits the
// blame rule's buffer.
func TestJoinReach(t *testing.T) {
	if n := 2*joinReach + 1; n > blameWindow {
		t.Errorf("a trigger of %d bytes needs %d bytes around a boundary, over blameWindow (%d)", joinReach+1, n, blameWindow)
	}
}
