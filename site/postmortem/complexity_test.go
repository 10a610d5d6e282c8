package postmortem

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/internal/bounded"
	"github.com/hindsight-kb/hindsight/site/postmortem/markdown"
)

// complexFront is the front matter of the complexity tests: 5 lines, so
// the body starts on line 6.
const complexFront = "---\ntitle: Costly body\nseverity: SEV3\nstatus: draft\n---\n"

// lines returns n copies of line, each ended by a line break.
func lines(line string, n int) string { return strings.Repeat(line+"\n", n) }

func TestSecurityBodyComplexity(t *testing.T) {
	nested := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(strings.Repeat("  ", i) + "- level\n")
		}
		return b.String()
	}
	tests := []struct {
		name string
		body string
		// contains is in the message of the one problem ("": no
		// problem), reported on line (0: any line).
		line     int
		contains string
	}{
		// The three reports: goldmark took 117 s, 67 s and 10 s.
		{"link openers", strings.Repeat("[a](", 200_000) + "\n", 6, "link destinations"},
		{"list markers on one line", "Intro.\n\n" + strings.Repeat("- ", 200_000) + "x\n", 8, "deep"},
		{"quote markers on one line", strings.Repeat(">", 200_000) + "\n", 6, "deep"},
		// Nesting by indentation, one level a line.
		{"nested by indentation", nested(40), 6 + markdown.MaxNesting, "deep"},
		{"nested with lazy lines", strings.ReplaceAll(nested(40), "level\n", "level\nlazy text\n"), 6 + 2*markdown.MaxNesting, "deep"},
		{"nested under headings", func() string {
			var b strings.Builder
			b.WriteString("- # h\n")
			for i := 1; i < 40; i++ {
				b.WriteString(strings.Repeat("   ", i) + "2. # h\n")
			}
			return b.String()
		}(), 6 + markdown.MaxNesting, "deep"},
		{"open brackets", strings.Repeat("[a", 200_000) + "\n", 6, "markers"},
		{"emphasis that never closes", lines(strings.Repeat("*a_ ", 100), 200), 0, "markers"},
		{"images", strings.Repeat("![a](", 100_000) + "\n", 6, "link destinations"},
		{"markers spread over paragraphs", lines("*a* _b_ `c` [d]\n", 60_000), 0, "more than"},
		// What people write stays well inside.
		{"deep but real", nested(8) + "\n> > > quoted\n", 0, ""},
		{"long timeline", lines("- **2025-03-14 09:12 UTC** — the [alert](https://alerts.example/1) fired on `edge-7`", 2000), 0, ""},
		{"log in a code block", "```\n" + lines("[2025-03-14T09:12:00Z] [INFO] worker_pool: job_id=42 done (took 3ms)", 3000) + "```\n", 0, ""},
		{"long numbered list", func() string {
			var b strings.Builder
			for i := 1; i <= 60; i++ {
				fmt.Fprintf(&b, "%d. step %d\n   - detail\n", i, i)
			}
			return b.String()
		}(), 0, ""},
		{"horizontal rules", lines("- - - - - - - - - - - - - - - - - - - - - - - - - - - - - -", 10), 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(complexFront + tt.body)
			var p *Postmortem
			bounded.Within(t, 10*time.Second, func() {
				ps := NewParser(Options{})
				p = ps.ParseFrontMatter("content/postmortems/costly.md", src)
				ps.ParseBody(p, BodyOptions{RenderHTML: true})
			})
			var got []string
			line := 0
			for _, d := range p.Problems {
				if d.Rule == ComplexityRule {
					got = append(got, d.Message)
					line = d.Pos.Line
				}
			}
			switch {
			case tt.contains == "":
				if len(got) != 0 {
					t.Fatalf("problems %q, want none", got)
				}
				return
			case len(got) != 1 || !strings.Contains(got[0], tt.contains):
				t.Fatalf("problems %q, want one containing %q", got, tt.contains)
			case tt.line != 0 && line != tt.line:
				t.Errorf("reported on line %d, want %d: %s", line, tt.line, got[0])
			}
			// The front matter is still read; the body is left out.
			if p.Title != "Costly body" || p.Body.Line != 0 || len(p.Body.Sections) != 0 || p.Body.HTML != "" {
				t.Errorf("title %q, body line %d, %d sections, HTML %d bytes", p.Title, p.Body.Line, len(p.Body.Sections), len(p.Body.HTML))
			}
		})
	}
}

// TestSecurityPageComplexity: content pages are measured too, and their
// problem is kept.
func TestSecurityPageComplexity(t *testing.T) {
	src := []byte("---\ntitle: About\n---\n" + strings.Repeat(">", 100_000) + "\n")
	var pg *Page
	bounded.Within(t, 10*time.Second, func() {
		pg = NewParser(Options{}).ParsePage("content/about.md", "about", src, BodyOptions{RenderHTML: true})
	})
	if len(pg.Problems) != 1 || pg.Problems[0].Rule != ComplexityRule || pg.Problems[0].Pos.Line != 4 {
		t.Errorf("problems %v, want one %s on line 4", pg.Problems, ComplexityRule)
	}
}
