package analysis

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	banalysis "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/hindsight-kb/hindsight/site/kbgen"
)

// bleveEnglish is the analyzer English must agree with.
func bleveEnglish(t testing.TB) banalysis.Analyzer {
	t.Helper()
	a, err := registry.NewCache().AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// sameTokens reports the first difference between bleve's tokens of text
// and English's words (its tokens but the compound ones, see
// TestCompounds), or "".
func sameTokens(want banalysis.Analyzer, e *English, text string) string {
	w := want.Analyze([]byte(text))
	var g banalysis.TokenStream
	for _, t := range e.Analyze([]byte(text)) {
		if t.Type != banalysis.Shingle {
			g = append(g, t)
		}
	}
	for i := 0; i < len(w) || i < len(g); i++ {
		if i >= len(w) || i >= len(g) {
			return fmt.Sprintf("%d tokens, want %d (first extra: %v)", len(g), len(w), extra(w, g, i))
		}
		a, b := w[i], g[i]
		if string(a.Term) != string(b.Term) || a.Position != b.Position || a.Start != b.Start ||
			a.End != b.End || a.Type != b.Type || a.KeyWord != b.KeyWord {
			return fmt.Sprintf("token %d = %q pos %d [%d,%d) type %d, want %q pos %d [%d,%d) type %d",
				i, b.Term, b.Position, b.Start, b.End, b.Type, a.Term, a.Position, a.Start, a.End, a.Type)
		}
	}
	return ""
}

func extra(w, g banalysis.TokenStream, i int) string {
	if i < len(w) {
		return "bleve " + w[i].String()
	}
	return "ours " + g[i].String()
}

// trickyTexts exercise word boundaries, possessives, case, stop words and
// the fallback paths.
var trickyTexts = []string{
	"", " ", "a", "A.", "The team's failover; the teams' failovers", "don't won't it's O'Reilly's",
	"e.g. i.e. U.S.A. a.b.c. a..b .a a. 1.2.3 1..2 1,000,000.50 1;2 1:2 a:b a;b a,b a'1 1'a 1'2",
	"x509 T1566.001 T1566 acme.com https://example.com/a_b/c?d=e&f=g#h foo@bar.io 10.0.0.1:8080",
	"__init__ _ __ a_b _a_ 1_2 a_1 _1_ snake_case_Name a_.b a._b 1_.2 __.__",
	"CamelCase ALLCAPS MiXeD ÀÉÎ café naïve résumé straße İstanbul ǅemal ΣΑΣ Σ",
	"team’s leader’s ’s s’ ＇s rock＇s a’b 1’2 ‘quoted’",
	"em—dash en–dash a—b 1–2 … “curly” «guillemets»",
	"soft\u00adhyphen zero\u200bwidth joiner\u200djoin combin\u0301ing e\u0301 \u0301start",
	"日本語のテキスト 中文 한국어 カタカナ ひらがな ｶﾀｶﾅ",
	"שלום עולם צה\"ל ג'ירפה Hebrew\"quote",
	"tab\tnew\nline\r\ncrlf\vvt\fff\u0085nel\u2028ls\u2029ps",
	"🇫🇷 🇺🇸 flags 🙂 emoji👍🏽 e\u20e3",
	"ﾌﾙﾜｲﾄﾞ ＡＢＣ １２３ ｆｕｌｌ．ｗｉｄｔｈ",
	"\x00\x01 control\x7f chars",
	"invalid \xff utf8 \xc3 bytes", "\xe2\x80 cut", "ok\xf0\x9f",
	"the of and a an is are was were be been being to from",
	"Ⱥ Ⱦ ȺȾ words with wider lower case",
	"running runs ran generalization oscillators sky skies happy happiness",
	"a\"b 1\"2 \"quoted\" 'single' x'", "٣.١٤ ١٢٣ ٠٫٥", "\u200e\u200fmarks \ufeffbom",
	strings.Repeat("word ", 300) + strings.Repeat("x", 70000),
	// around the 23 bytes a word may have to be remembered per analysis
	"abcdefghijklmnopqrstuvw abcdefghijklmnopqrstuvwx Abcdefghijklmnopqrstuvw abcdefghijklmnopqrstuvw's failovers" +
		" abcdefghijklmnopqrstuvwxy failover failovers failover",
}

func TestEnglishTricky(t *testing.T) {
	want := bleveEnglish(t)
	e := mustEnglish(t)
	for _, text := range trickyTexts {
		for _, s := range []string{text, " " + text + ".", strings.ToUpper(text)} {
			if d := sameTokens(want, e, s); d != "" {
				t.Errorf("%q: %s", s, d)
			}
		}
	}
}

// TestEnglishAgreesWithBleve compares English with bleve's "en" analyzer
// on every Markdown file of the sample KB (content/), the test KB and a
// generated KB of 1,000 postmortems, whole and line by line.
func TestEnglishAgreesWithBleve(t *testing.T) {
	want := bleveEnglish(t)
	e := mustEnglish(t)
	roots := kbRoots(t)
	paths, texts := mdFiles(t, 0, roots...)
	files, bytes := len(texts), 0
	for i, text := range texts {
		bytes += len(text)
		if diff := sameTokens(want, e, text); diff != "" {
			t.Errorf("%s: %s", paths[i], diff)
		}
		for _, line := range strings.Split(text, "\n") {
			if diff := sameTokens(want, e, line); diff != "" {
				t.Errorf("%s: line %q: %s", paths[i], line, diff)
			}
		}
	}
	if files < 100 && !testing.Short() { // -short leaves the generated KB out
		t.Errorf("only %d files compared", files)
	}
	t.Logf("%d files, %d bytes", files, bytes)
}

// TestEnglishConcurrent analyses from several goroutines at once (run
// with -race).
func TestEnglishConcurrent(t *testing.T) {
	want := bleveEnglish(t)
	e := mustEnglish(t)
	concurrently(t, 8, func(int) string {
		for _, text := range trickyTexts {
			if d := sameTokens(want, e, text); d != "" {
				return d
			}
		}
		return ""
	})
}

func TestAnalyzeHelpers(t *testing.T) {
	e, err := NewAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	text := "The certificates' renewal failed; the team's night engineer wasn't paged."
	toks := Analyze(e, text)
	viaBleve := Analyze(bleveEnglish(t), text)
	if fmt.Sprint(toks) != fmt.Sprint(viaBleve) {
		t.Errorf("Analyze(English) = %v\nwant %v", toks, viaBleve)
	}
	var each []Token
	e.Each(text, func(tk Token) { each = append(each, tk) })
	if fmt.Sprint(each) != fmt.Sprint(toks) {
		t.Errorf("Each = %v, want %v", each, toks)
	}
	if got := Analyze(e, ""); got == nil || len(got) != 0 {
		t.Errorf("Analyze of nothing = %#v, want an empty slice", got)
	}
	// Terms from Analyze([]byte) are the caller's to change.
	ts := e.Analyze([]byte("failover failover"))
	ts[0].Term[0] = 'X'
	if got := Analyze(e, "failover"); got[0].Term != "failov" {
		t.Errorf("cache changed through a returned term: %v", got)
	}
}

func FuzzAnalyze(f *testing.F) {
	addTricky(f)
	want := bleveEnglish(f)
	e := mustEnglish(f)
	f.Fuzz(func(t *testing.T, text string) {
		if d := sameTokens(want, e, text); d != "" {
			t.Errorf("%q: %s", text, d)
		}
	})
}

// kbTexts returns the first limit Markdown files (all with limit 0) of a
// generated KB of n postmortems, and their size in bytes.
func kbTexts(b *testing.B, n, limit int) (texts []string, size int) {
	root, err := kbgen.Cached(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	_, texts = mdFiles(b, limit, root)
	for _, t := range texts {
		size += len(t)
	}
	return texts, size
}

// mdFiles returns the paths and texts of the Markdown files under roots,
// at most limit of them (all with limit 0).
func mdFiles(t testing.TB, limit int, roots ...string) (paths, texts []string) {
	t.Helper()
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") || limit > 0 && len(texts) >= limit {
				return err
			}
			b, err := os.ReadFile(p)
			paths, texts = append(paths, p), append(texts, string(b))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return paths, texts
}

// concurrently runs check from n goroutines at once (check gets the
// goroutine's number) and reports the problems they return.
func concurrently(t *testing.T, n int, check func(g int) string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for g := range n {
		wg.Go(func() {
			if d := check(g); d != "" {
				errs <- d
			}
		})
	}
	wg.Wait()
	close(errs)
	for d := range errs {
		t.Error(d)
	}
}

func BenchmarkAnalyze(b *testing.B) {
	texts, size := kbTexts(b, 1000, 200)
	e := mustEnglish(b)
	for _, c := range []struct {
		name string
		a    banalysis.Analyzer
	}{{"bleve", bleveEnglish(b)}, {"English", e}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, t := range texts {
					Analyze(c.a, t)
				}
			}
		})
	}
	// As the static export uses it: one token buffer, reused.
	b.Run("English-reuse", func(b *testing.B) {
		b.SetBytes(int64(size))
		var buf []Token
		for b.Loop() {
			for _, t := range texts {
				buf = e.Tokens(buf[:0], t)
			}
		}
	})
}

// mustEnglish is NewEnglish for tests: an error fails tb.
func mustEnglish(tb testing.TB) *English {
	tb.Helper()
	e, err := NewEnglish()
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// mustNumbering is NewNumberingEnglish for tests: an error fails tb.
func mustNumbering(tb testing.TB) *English {
	tb.Helper()
	e, err := NewNumberingEnglish()
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// addTricky seeds a fuzz test with the shorter tricky texts.
func addTricky(f *testing.F) {
	for _, s := range trickyTexts {
		if len(s) < 1000 {
			f.Add(s)
		}
	}
}

// compoundCases are texts with identifiers and the compound tokens
// (term@position) English must add to their words.
var compoundCases = []struct {
	text string
	want string // the compound tokens, "term@pos" separated by spaces
}{
	{"plain words only", ""},
	{"host status.acme.com.", "acme.com@2 statu@2 acm@2 com@2"},
	{"mail oncall@example.org now", "oncall@example.org@2 exampl@3 org@3"},
	{"url https://partner-api.acme.com/v1/orders?x", "https://partner-api.acme.com/v1/orders@2 partner-api.acme.com@3 partner-api@3 acme.com@4 acm@4 com@4 api@4"},
	{"ip 198.51.100.23 and 10.0.0.0/8", "198@2 51@2 100@2 23@2 10.0.0.0/8@4 10@4 0@4"},
	{"v6 2001:db8::1", "2001:db8::1@2 2001:db8@2 db8::1@3"},
	{"db-1.internal:5432", "db-1.internal:5432@1 db-1.internal@1 db-1@1"},
	{"probe ${jndi:ldap://198.51.100.23:1389/a}", "jndi:ldap://198.51.100.23:1389/a@2 jndi@2 ldap@2 198.51.100.23:1389@3 198@3 51@3 100@3 23@3"},
	{"denied s3:GetObject", "s3:getobject@2 get@3 object@3"},
	{"arn:aws:s3:GetObject", "arn:aws:s3:getobject@1 arn@1 arn:aws@1 aw@1 aws:s3@1 s3@1 s3:getobject@1 get@2 object@2"},
	{"path /var/log/nginx/access.log", "var/log/nginx/access.log@2 access@5 log@5"},
	{"CVE-2021-44228 SEC-1030 T1566.001", "cve-2021-44228@1 sec-1030@4 t1566@6 001@6"},
	{"snake_case kebab-case XMLHttpRequest", "snake_case@1 snake@1 case@1 kebab-case@2 xml@4 http@4 request@4"},
	{"sha256:9f86d081884c7d65", "sha256:9f86d081884c7d65@1"},
	{"the-end", "the-end@1"},
	{"at 2025-03-14 09:12:30 UTC, ::1 and 555-0100", ""},
	// ISO 8601 date-times stay numbers too; a T or Z elsewhere is a letter.
	{"2025-03-09T08:20:23Z 2024-02-26t02:20 2021-05-31T17 2025-03-09T08:20:23+01:00", ""},
	{"T-1000 1T-2 2025-03-09Tz 08:20Z:1", "t-1000@1 1t-2@3 2025-03-09tz@5 08:20z:1@8 08:20z@8 20z:1@9"},
}

// TestCompounds checks the compound tokens of each kind of identifier:
// the whole, its pieces and its parts, at the position of the word each
// starts in; the words are bleve's (sameTokens).
func TestCompounds(t *testing.T) {
	e := mustEnglish(t)
	want := bleveEnglish(t)
	for _, c := range compoundCases {
		var got []string
		prev := 0
		for _, tk := range e.Analyze([]byte(c.text)) {
			if tk.Position < prev {
				t.Errorf("%q: positions go back at %q", c.text, tk.Term)
			}
			prev = tk.Position
			if tk.Type == banalysis.Shingle {
				got = append(got, fmt.Sprintf("%s@%d", tk.Term, tk.Position))
			}
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.text, g, c.want)
		}
		if d := sameTokens(want, e, c.text); d != "" {
			t.Errorf("%q: words: %s", c.text, d)
		}
	}
}

// FuzzCompounds checks that compound tokens keep positions in order,
// offsets inside the text and on the compound's bytes, and terms in lower
// case, not empty, and never repeated at one position.
func FuzzCompounds(f *testing.F) {
	addTricky(f)
	for _, c := range compoundCases {
		f.Add(c.text)
	}
	e := mustEnglish(f)
	f.Fuzz(func(t *testing.T, text string) {
		prev := 0
		seen := map[string]bool{}
		for _, tk := range e.Analyze([]byte(text)) {
			if tk.Position < prev || tk.Start < 0 || tk.End > len(text) || tk.Start >= tk.End || len(tk.Term) == 0 {
				t.Fatalf("%q: bad token %v", text, tk)
			}
			if tk.Position != prev {
				clear(seen)
			}
			prev = tk.Position
			if seen[string(tk.Term)] {
				t.Fatalf("%q: %q twice at %d", text, tk.Term, tk.Position)
			}
			seen[string(tk.Term)] = true
			if tk.Type == banalysis.Shingle && strings.ToLower(string(tk.Term)) != string(tk.Term) {
				t.Fatalf("%q: compound %q not in lower case", text, tk.Term)
			}
		}
	})
}

// kbRoots returns the folders whose Markdown files the analyzer is
// compared on: the sample KB, the test KB and, without -short, a
// generated KB of 1,000 postmortems.
func kbRoots(t *testing.T) []string {
	t.Helper()
	roots := []string{filepath.Join("..", "..", "content"), filepath.Join("..", "testdata")}
	if !testing.Short() {
		gen, err := kbgen.Cached(1000, 1)
		if err != nil {
			t.Fatal(err)
		}
		roots = append(roots, gen)
	}
	return roots
}
