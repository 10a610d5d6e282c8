package site

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

const timelineFront = "---\ntitle: T\nseverity: SEV2\nstatus: published\nstarted: 2025-03-14T09:00:00Z\n---\n\n## Timeline\n\n"

// renderTimeline parses a postmortem with the given Timeline section and
// returns its rendered body.
func renderTimeline(t *testing.T, timeline string) (*postmortem.Postmortem, string) {
	t.Helper()
	ps := postmortem.NewParser(postmortem.Options{})
	p := ps.ParseFrontMatter("content/postmortems/x.md", []byte(timelineFront+timeline))
	ps.ParseBody(p, postmortem.BodyOptions{RenderHTML: true})
	return p, p.Body.HTML
}

// TestTimelineInlineFormatting: the visual timeline keeps what authors
// write inside entries (code, links, emphasis, entities, escaped once),
// without the time, and stays balanced HTML; raw HTML stays text.
func TestTimelineInlineFormatting(t *testing.T) {
	tests := []struct {
		name, timeline string
		want           []string // each entry's tl-text, in order
	}{
		{"list with code, link and emphasis",
			"- 2025-03-14 09:12 UTC — Alert on `api-gw` fired, see [runbook](https://example.com/rb)\n- 09:20 — **Rolled back** the *deploy*\n",
			[]string{`Alert on <code>api-gw</code> fired, see <a href="https://example.com/rb">runbook</a>`, `<strong>Rolled back</strong> the <em>deploy</em>`}},
		{"time in bold",
			"- **2025-03-14 09:12 UTC** — Pager went off for `db-1`\n- **09:30** Failover started\n- **09:31 UTC:** Paged\n",
			[]string{`Pager went off for <code>db-1</code>`, `Failover started`, `Paged`}},
		{"time and text in one emphasis",
			"- *09:12 — everything was slow*\n",
			[]string{`<em>everything was slow</em>`}},
		{"table",
			"| Time | Event |\n|---|---|\n| 2025-03-14 09:12 UTC | Deployed `v2` |\n| 09:30 | [Rollback](https://example.com/r) done |\n",
			[]string{`Deployed <code>v2</code>`, `<a href="https://example.com/r">Rollback</a> done`}},
		{"raw HTML and entities stay text, escaped once",
			"- 2025-03-14 09:12 UTC — Payload <script>alert(1)</script> & friends\n- 09:13 — S&amp;O &lt;ok&gt;\n",
			[]string{`Payload &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends`, `S&amp;O &lt;ok&gt;`}},
		{"entry without a time",
			"- Somewhere in the morning: `cron` stopped\n",
			[]string{`Somewhere in the morning: <code>cron</code> stopped`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, out := renderTimeline(t, tt.timeline)
			if len(p.Body.Timeline) != len(tt.want) {
				t.Fatalf("%d timeline entries, want %d: %+v", len(p.Body.Timeline), len(tt.want), p.Body.Timeline)
			}
			got := betweenAll(out, `<span class="tl-text">`, "</span>")
			if len(got) != len(tt.want) {
				t.Fatalf("visual timeline has %d entries, want %d:\n%s", len(got), len(tt.want), out)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("entry %d:\n got %s\nwant %s", i, got[i], tt.want[i])
				}
			}
			if strings.Count(out, "<code>") != strings.Count(out, "</code>") || strings.Count(out, "<em>") != strings.Count(out, "</em>") {
				t.Errorf("unbalanced tags:\n%s", out)
			}
		})
	}
}

// betweenAll returns the texts between each open and the next close.
func betweenAll(s, open, close string) []string {
	var out []string
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return out
		}
		s = s[i+len(open):]
		j := strings.Index(s, close)
		if j < 0 {
			return out
		}
		out = append(out, s[:j])
		s = s[j+len(close):]
	}
}

// multiBlock are timelines written in several blocks, as real
// postmortems are: each block becomes a visual timeline of its own
// entries, in place, none rendered twice.
var multiBlock = []struct{ name, timeline string }{
	{"two lists", "- 2025-03-14 09:12 UTC — Alert on `api-gw`\n- 09:20 — Paged\n\nThen, the next morning:\n\n- 2025-03-15 08:00 UTC — [Fix](https://example.com/fix) **deployed**\n- 08:30 — Closed\n"},
	{"list then table", "- 2025-03-14 09:12 UTC — Alert fired\n\n| Time | Event |\n|---|---|\n| 09:30 | Rolled `back` |\n| 09:45 | S&amp;O informed |\n"},
	{"days under headings", "### Mar 14, 2025\n\n- 23:40 — Disk filled\n- 23:55 — Paged\n\n### 2025-03-15\n\n- 00:10 — Cleaned up\n  - detail with a [link](https://example.com/d)\n- 01:00 — Resolved\n"},
	{"date line, padded table, date-only, approximate, range", "**2025-03-14** (all times UTC)\n\n| Time | Event |\n|---|---|\n| 2025-03-14   09:40 | Deployed |\n| ~09:55 | Errors rose |\n| 10:00-10:30 | Maintenance window |\n| 2025-03-16 | Postmortem published |\n| HH:mm | Template leftover |\n"},
}

// TestGoldenTimelines compares the Timeline sections of multiMlock with
// testdata/golden/timelines.html (go test -run GoldenTimelines -update
// rewrites it), and checks that each entry's text is shown once.
func TestGoldenTimelines(t *testing.T) {
	var b bytes.Buffer
	for _, tt := range multiBlock {
		p, out := renderTimeline(t, tt.timeline)
		for _, e := range p.Body.Timeline {
			if n := strings.Count(out, `<li class="tl-entry`); n != len(p.Body.Timeline) {
				t.Errorf("%s: %d entries shown, want %d:\n%s", tt.name, n, len(p.Body.Timeline), out)
			}
			if w := strings.Fields(e.Text); len(w) > 0 && strings.Count(out, w[0]) != 1 {
				t.Errorf("%s: %q shown %d times:\n%s", tt.name, w[0], strings.Count(out, w[0]), out)
			}
		}
		if strings.Contains(out, "<ul>\n<li>") && !strings.Contains(tt.timeline, "  - ") {
			t.Errorf("%s: an original list is left:\n%s", tt.name, out)
		}
		b.WriteString("<!-- " + tt.name + " -->\n" + out + "\n")
	}
	path := filepath.Join("testdata", "golden", "timelines.html")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run GoldenTimelines -update)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("timelines differ from %s (run go test -run GoldenTimelines -update if the change is intended):\n%s", path, b.Bytes())
	}
}
