package postmortem

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/internal/bounded"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

// renderBody parses body (after a minimal front matter) with HTML.
func renderBody(t *testing.T, body string) *Postmortem {
	t.Helper()
	ps := NewParser(Options{})
	p := ps.ParseFrontMatter("x.md", []byte("---\ntitle: x\n---\n"+body))
	ps.ParseBody(p, BodyOptions{RenderHTML: true})
	return p
}

func TestFootnotes(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want, not  []string
	}{
		{"references and definitions",
			"## Summary\n\nThe cache fell over.[^1] Twice.[^why]\n\n[^1]: The vendor's advisory.\n[^why]: Nobody knows.\n",
			[]string{`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`,
				`<sup id="fnref:2"><a href="#fn:2" class="footnote-ref" role="doc-noteref">2</a></sup>`,
				"<li id=\"fn:1\">\n<p>The vendor's advisory.&#160;<a href=\"#fnref:1\" class=\"footnote-backref\" role=\"doc-backlink\">",
				"<li id=\"fn:2\">\n<p>Nobody knows.&#160;"},
			[]string{"[^", "value="}},
		{"a definition stays where it is written, numbers kept",
			"## A\n\nx[^b] y[^a]\n\n[^a]: Defined in A.\n\n## B\n\nz[^a]\n\n[^b]: Defined in B.\n",
			[]string{"<li id=\"fn:2\" value=\"2\">\n<p>Defined in A.",
				"</div>\n<h2 id=\"b\">B</h2>",
				`<sup id="fnref1:2"><a href="#fn:2"`,
				"<li id=\"fn:1\">\n<p>Defined in B."},
			nil},
		{"in a timeline entry",
			"## Timeline\n\n- 2025-01-01 10:00 UTC — Alert fires[^t]\n\n[^t]: Times from the pager.\n",
			[]string{`<span class="tl-text">Alert fires<sup id="fnref:1"><a href="#fn:1"`, `<li id="fn:1">`},
			nil},
		{"an undefined reference stays text",
			"## Summary\n\nSee [^nope].\n",
			[]string{"<p>See [^nope].</p>"},
			[]string{"footnote"}},
		{"an unreferenced definition is left out",
			"## Summary\n\nText.\n\n[^x]: Unused.\n",
			[]string{"<p>Text.</p>"},
			[]string{"Unused", "footnotes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := renderBody(t, tc.body)
			for _, w := range tc.want {
				if !strings.Contains(p.Body.HTML, w) {
					t.Errorf("HTML lacks %q:\n%s", w, p.Body.HTML)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(p.Body.HTML, w) {
					t.Errorf("HTML has %q:\n%s", w, p.Body.HTML)
				}
			}
		})
	}
}

func TestAlerts(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"note", "> [!NOTE]\n> Written long after.\n",
			"<div class=\"markdown-alert markdown-alert-note\">\n<p class=\"markdown-alert-title\">Note</p>\n<p>Written long after.</p>\n</div>\n"},
		{"tip", "> [!TIP]\n> x\n", "<div class=\"markdown-alert markdown-alert-tip\">\n<p class=\"markdown-alert-title\">Tip</p>\n<p>x</p>\n</div>\n"},
		{"important", "> [!IMPORTANT]\n> x\n", "<div class=\"markdown-alert markdown-alert-important\">\n<p class=\"markdown-alert-title\">Important</p>\n<p>x</p>\n</div>\n"},
		{"warning, lower case, two paragraphs", "> [!warning]\n>\n> One.\n>\n> Two.\n",
			"<div class=\"markdown-alert markdown-alert-warning\">\n<p class=\"markdown-alert-title\">Warning</p>\n<p>One.</p>\n<p>Two.</p>\n</div>\n"},
		{"caution, marker with spaces", ">  [!CAUTION]  \n> x\n", "<div class=\"markdown-alert markdown-alert-caution\">\n<p class=\"markdown-alert-title\">Caution</p>\n<p>x</p>\n</div>\n"},
		{"marker only", "> [!NOTE]\n", "<div class=\"markdown-alert markdown-alert-note\">\n<p class=\"markdown-alert-title\">Note</p>\n</div>\n"},
		{"in a list", "- item\n\n  > [!TIP]\n  > x\n", "<ul>\n<li>\n<p>item</p>\n<div class=\"markdown-alert markdown-alert-tip\">\n<p class=\"markdown-alert-title\">Tip</p>\n<p>x</p>\n</div>\n</li>\n</ul>\n"},
		{"text after the marker: a quote", "> [!NOTE] not alone\n", "<blockquote>\n<p>[!NOTE] not alone</p>\n</blockquote>\n"},
		{"unknown type: a quote", "> [!DANGER]\n> x\n", "<blockquote>\n<p>[!DANGER]\nx</p>\n</blockquote>\n"},
		{"a plain quote", "> quoted\n", "<blockquote>\n<p>quoted</p>\n</blockquote>\n"},
		{"raw HTML in an alert stays escaped", "> [!NOTE]\n> <script>x</script>\n", "<script>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := renderBody(t, tc.body)
			if tc.want == "<script>" {
				if strings.Contains(p.Body.HTML, tc.want) {
					t.Errorf("HTML %q", p.Body.HTML)
				}
				return
			}
			if p.Body.HTML != tc.want {
				t.Errorf("HTML\ngot  %q\nwant %q", p.Body.HTML, tc.want)
			}
			if strings.Contains(tc.want, "markdown-alert") && strings.Contains(p.Body.Text, "[!") {
				t.Errorf("Text keeps the marker: %q", p.Body.Text)
			}
		})
	}
}

// TestSecurityFootnotesAlertsWithout: a footnote written in an internal
// section and an internal heading inside an alert are cut with the
// section (goldmark's own footnote list would carry the text to the end
// of the page).
func TestSecurityFootnotesAlertsWithout(t *testing.T) {
	internal := func(title string) bool { return strings.EqualFold(title, "Internal Notes") }
	for _, tc := range []struct{ name, body, keep string }{
		{"definition in an internal section in the middle",
			"## Summary\n\nPublic.[^1] Also[^2]\n\n## Internal Notes\n\nDetail.[^2]\n\n[^2]: secret-a\n\n## Impact\n\nSmall.\n\n[^1]: Public note.\n",
			`<li id="fn:1">` + "\n<p>Public note."},
		{"definitions at the end, under an internal section",
			"## Summary\n\nPublic.[^1]\n\n## Internal Notes\n\nx\n\n[^1]: secret-a\n", `<h2 id="summary">`},
		{"an internal heading in an alert",
			"## Summary\n\nPublic.\n\n> [!NOTE]\n> ### Internal Notes\n> secret-a\n\nAfter.\n\n> [!TIP]\n> kept\n", `markdown-alert-tip`},
		{"an alert in an internal section",
			"## Internal Notes\n\n> [!WARNING]\n> secret-a\n\n## Summary\n\nPublic.\n", `<h2 id="summary">`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := renderBody(t, tc.body)
			if !strings.Contains(p.Body.HTML, "secret") {
				t.Fatalf("the full HTML lacks the internal text:\n%s", p.Body.HTML)
			}
			got := p.Body.Without(internal)
			for _, s := range []string{got.HTML, got.Text} {
				if strings.Contains(s, "secret") {
					t.Errorf("the public copy keeps internal text:\n%s", s)
				}
			}
			if !strings.Contains(got.HTML, tc.keep) {
				t.Errorf("the public copy lacks %q:\n%s", tc.keep, got.HTML)
			}
		})
	}
}

// TestFootnotesAlertsGolden renders testdata/gfm.md (footnotes and alerts
// as imported postmortems write them); go test -update rewrites the
// golden file after a deliberate change.
func TestFootnotesAlertsGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "gfm.md"))
	if err != nil {
		t.Fatal(err)
	}
	ps := NewParser(Options{})
	p := ps.ParseFrontMatter("gfm.md", src)
	ps.ParseBody(p, BodyOptions{RenderHTML: true})
	if len(p.Problems) > 0 {
		t.Fatal(p.Problems)
	}
	path := filepath.Join("testdata", "gfm.golden.html")
	if *update {
		if err := os.WriteFile(path, []byte(p.Body.HTML), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if p.Body.HTML != string(want) {
		t.Errorf("%s differs (go test -update to accept):\n%s", path, p.Body.HTML)
	}
}

// TestSecurityManyFootnotes: references find their definitions in a map
// (goldmark's parser reads every definition at each reference: 20 s for
// 40,000 of each).
func TestSecurityManyFootnotes(t *testing.T) {
	const n = 40_000
	var b strings.Builder
	b.WriteString("## Summary\n\n")
	for i := range n {
		fmt.Fprintf(&b, "[^%d]", i)
	}
	b.WriteString("\n\n")
	for i := range n {
		fmt.Fprintf(&b, "[^%d]: x\n", i)
	}
	var p *Postmortem
	bounded.Within(t, 5*time.Second, func() { p = renderBody(t, b.String()) })
	if !strings.Contains(p.Body.HTML, fmt.Sprintf(`<li id="fn:%d">`, n)) {
		t.Error("the last footnote is missing")
	}
}
