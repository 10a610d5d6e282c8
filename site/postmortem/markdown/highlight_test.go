package markdown

import (
	"bufio"
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// TestCodeRendererSameAsHighlighting: the shared-formatter code renderer
// writes exactly what goldmark-highlighting writes, for known and unknown
// languages, no language, attributes and extra info words.
func TestCodeRendererSameAsHighlighting(t *testing.T) {
	want := goldmark.New(goldmark.WithExtensions(highlighting.NewHighlighting(
		highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
		highlighting.WithGuessLanguage(false),
	)))
	got := goldmark.New(goldmark.WithRendererOptions(renderer.WithNodeRenderers(
		util.Prioritized(newCodeRenderer(chromahtml.WithClasses(true)), 200))))
	for _, src := range []string{
		"```go\nfunc main() { fmt.Println(\"<hi>\") }\n```\n",
		"```yaml\nkey: value # comment\nlist: [1, 2]\n```\n",
		"```sh\n$ kubectl get pods -n prod | grep -v Running\n```\n",
		"```console\n2026-01-02T03:04:05Z ERROR x509: certificate has expired\n```\n",
		"```\nno language <script>alert(1)</script>\n```\n",
		"```nosuchlanguage\ntext & more\n```\n",
		"```go {linenos=true}\nx := 1\ny := 2\n```\n",
		"```go {hl_lines=[2]}\nx := 1\ny := 2\n```\n",
		"```go title=main.go\nx := 1\n```\n",
		"~~~python\ndef f():\n    return '<b>'\n~~~\n",
		"```text\n2026-01-02 ERROR <b>\"x\" & 'y'</b>\n\n  indented\n```\n",
		"```plain\n```\n\n```no-highlight\nx\n```\n",
		"    indented code <b>\n",
		"```json\n{\"a\": [1, 2, {\"b\": null}]}\n```\n\ntext\n\n```sql\nSELECT * FROM t WHERE id = 1;\n```\n",
	} {
		if w, g := convertBoth(t, want, got, src); w != g {
			t.Errorf("%q:\ngoldmark-highlighting: %s\ncodeRenderer:          %s", src, w, g)
		}
	}
}

func BenchmarkCodeRenderer(b *testing.B) {
	src := []byte("```go\nfunc main() {\n\tfor i := 0; i < 10; i++ {\n\t\tfmt.Println(i)\n\t}\n}\n```\n\n```yaml\nkey: value\n```\n")
	for _, c := range []struct {
		name string
		md   goldmark.Markdown
	}{
		{"goldmark-highlighting", goldmark.New(goldmark.WithExtensions(highlighting.NewHighlighting(
			highlighting.WithFormatOptions(chromahtml.WithClasses(true)), highlighting.WithGuessLanguage(false))))},
		{"codeRenderer", goldmark.New(goldmark.WithRendererOptions(renderer.WithNodeRenderers(
			util.Prioritized(newCodeRenderer(chromahtml.WithClasses(true)), 200))))},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := c.md.Convert(src, &buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// plainSeeds are plain-text code blocks: line ends, escapes, Unicode.
var plainSeeds = []string{
	"", "\n", "a", "a\n", "a\nb", "a\nb\n", "\n\n\n", "a\r\nb\rc\n\r", "\r", "\r\n",
	"<script>alert('x' & \"y\")</script>\n", "2026-01-02T03:04:05Z ERROR x509: certificate has expired\n",
	"tab\there\n", "ünïcödé — ✓ \u2028 \u0085 x\n", "\x00\x01\x7f\n", "trailing spaces   \n   \n",
}

// checkPlain compares renderPlain with chroma's plain-text lexer and the
// formatter.
func checkPlain(t *testing.T, r *codeRenderer, code string) {
	t.Helper()
	var got bytes.Buffer
	bw := bufio.NewWriter(&got)
	if !r.renderPlain(bw, []byte(code)) {
		if utf8.ValidString(code) {
			t.Fatalf("%q: renderPlain refused valid UTF-8", code)
		}
		return
	}
	_ = bw.Flush()
	it, err := chroma.Coalesce(r.plain).Tokenise(nil, code)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := r.formatter.Format(&want, r.style, it); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Fatalf("%q:\ngot  %q\nwant %q", code, got.String(), want.String())
	}
}

// TestPlainCodeSameAsChroma: plain-text blocks ("```text") are written
// without chroma, exactly as chroma writes them.
func TestPlainCodeSameAsChroma(t *testing.T) {
	r := newCodeRenderer(chromahtml.WithClasses(true))
	r.setup.Do(r.setupPlain)
	if r.plain == nil {
		t.Fatal("the plain-text markup was not learnt from the formatter")
	}
	for _, name := range []string{"text", "plain", "no-highlight", "plaintext"} {
		if lexers.Get(name) != r.plain {
			t.Errorf("lexers.Get(%q) is not the plain-text lexer", name)
		}
	}
	for _, s := range plainSeeds {
		checkPlain(t, r, s)
	}
}

func FuzzPlainCode(f *testing.F) {
	for _, s := range plainSeeds {
		f.Add(s)
	}
	r := newCodeRenderer(chromahtml.WithClasses(true))
	r.setup.Do(r.setupPlain)
	f.Fuzz(func(t *testing.T, s string) { checkPlain(t, r, s) })
}
