package site

import (
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// TestTimelineInlineFormatting: the visual timeline keeps what authors
// write inside entries (code, links, emphasis), without the time, and
// stays balanced HTML; raw HTML stays text.
func TestTimelineInlineFormatting(t *testing.T) {
	const front = "---\ntitle: T\nseverity: SEV2\nstatus: published\nstarted: 2025-03-14T09:00:00Z\n---\n\n## Timeline\n\n"
	tests := []struct {
		name, timeline string
		want           []string // each entry's tl-text, in order
	}{
		{"list with code, link and emphasis",
			"- 2025-03-14 09:12 UTC — Alert on `api-gw` fired, see [runbook](https://example.com/rb)\n- 09:20 — **Rolled back** the *deploy*\n",
			[]string{`Alert on <code>api-gw</code> fired, see <a href="https://example.com/rb">runbook</a>`, `<strong>Rolled back</strong> the <em>deploy</em>`}},
		{"time in bold",
			"- **2025-03-14 09:12 UTC** — Pager went off for `db-1`\n- **09:30** Failover started\n",
			[]string{`Pager went off for <code>db-1</code>`, `Failover started`}},
		{"time and text in one emphasis",
			"- *09:12 — everything was slow*\n",
			[]string{`<em>everything was slow</em>`}},
		{"loose list with a nested list",
			"- 2025-03-14 09:12 UTC — First `thing`\n\n  - a detail\n\n- 09:40 — Second thing\n",
			[]string{`First <code>thing</code>`, `Second thing`}},
		{"table",
			"| Time | Event |\n|---|---|\n| 2025-03-14 09:12 UTC | Deployed `v2` |\n| 09:30 | [Rollback](https://example.com/r) done |\n",
			[]string{`Deployed <code>v2</code>`, `<a href="https://example.com/r">Rollback</a> done`}},
		{"raw HTML and entities stay text",
			"- 2025-03-14 09:12 UTC — Payload <script>alert(1)</script> & friends\n",
			[]string{`Payload &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends`}},
		{"entry without a time",
			"- Somewhere in the morning: `cron` stopped\n",
			[]string{`Somewhere in the morning: <code>cron</code> stopped`}},
	}
	ps := postmortem.NewParser(postmortem.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ps.ParseFrontMatter("content/postmortems/x.md", []byte(front+tt.timeline))
			ps.ParseBody(p, postmortem.BodyOptions{RenderHTML: true})
			if len(p.Body.Timeline) != len(tt.want) {
				t.Fatalf("%d timeline entries, want %d: %+v", len(p.Body.Timeline), len(tt.want), p.Body.Timeline)
			}
			out := timelineBody(p, time.UTC)
			got := between(out, `<span class="tl-text">`, "</span></li>")
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

func TestStripVisible(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"09:12 — text", 6, "text"},
		{"<strong>09:12</strong> — text", 6, "text"},
		{"<em>09:12 — all</em>", 6, "<em>all</em>"},
		{"<code>09:12</code> <code>x</code>", 5, "<code>x</code>"},
		{"a&amp;b c", 3, "c"},
		{"x<br>y z", 2, "z"},
		{"no prefix", 0, "no prefix"},
	} {
		if got := stripVisible(c.in, c.n); got != c.want {
			t.Errorf("stripVisible(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

func TestCollapseSpace(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "a\u00a0b", "a\u2003 b", "— x —", "ünï cödé", "\xff x", "a \r\n b  "} {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}
