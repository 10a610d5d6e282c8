package postmortem

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/diag"
)

// fuzzSeeds are whole files: valid, broken and odd.
var fuzzSeeds = []string{
	sample,
	"",
	"---\n",
	"---\n---\n",
	"+++\ntitle = \"x\"\n+++\n## Timeline\n- 09:00 — a\n",
	"{\n\"title\": \"x\", \"actions\": [{\"due\": 1}]\n}\n",
	";;;\n{\"title\": 1}\n;;;\n",
	"---\ntitle: [\n---\n",
	"---\nactions: [1, {title: x, due: 2025-13-45}, [a]]\nimpact: {users_affected: -1, cost_usd: x, reputation: [a]}\n---\n",
	"---\r\ntitle: x\r\n---\r\n\r\n## Timeline\r\n\r\n- 2025-03-14 09:12 UTC — a\r\n- 25:99 — b\r\n",
	"\ufeff---\ntitle: x\n---\n",
	"---\na: &a [*a]\n---\n",
	"---\ntitle: x\n---\n## Timeline\n| time | what |\n|---|---|\n| 2025-03-14 09:00 +0530 | a |\n| | |\n",
	"---\ntitle: x\n---\n<!-- hindsight-ignore -->\n## Summary\n[x]()\n![y](<>)\n`code` *human* error\n",
	"## Timeline\n\n- **2025-03-14 09:00Z** — a\n  - 09:01 nested\n-\n",
}

// checkPositions requires every position of p to lie inside the file.
func checkPositions(t *testing.T, p *Postmortem, src string) {
	t.Helper()
	lines := strings.Count(src, "\n") + 1
	if strings.Contains(strings.ReplaceAll(src, "\r\n", ""), "\r") {
		// YAML and TOML count a lone CR (old Mac line ends) as a line
		// break; the file's lines do not. Allow for them.
		lines += strings.Count(src, "\r")
	}
	ok := func(what string, pos diag.Pos) {
		if pos.Line < 0 || pos.Line > lines || pos.Col < 0 || (pos.Line > 0 && pos.Col < 1) {
			t.Fatalf("%s at %v outside the file (%d lines)", what, pos, lines)
		}
	}
	for _, d := range p.Problems {
		ok(d.Rule, d.Pos)
		if d.File != p.Path || d.Message == "" {
			t.Fatalf("problem without file or message: %+v", d)
		}
	}
	for k, pos := range p.Fields {
		ok(k, pos)
	}
	for _, s := range p.Body.Sections {
		ok("section", s.Pos)
	}
	for _, e := range p.Body.Timeline {
		ok("timeline", e.Pos)
		if e.OK == e.Time.IsZero() {
			t.Fatalf("timeline entry OK=%v with time %v", e.OK, e.Time)
		}
	}
	for _, l := range p.Body.Links {
		ok("link", l.Pos)
	}
	for _, s := range p.Body.Prose {
		ok("prose", s.Pos)
		if s.Offset < 0 || s.Offset+len(s.Text) > len(p.Source) || string(p.Source[s.Offset:s.Offset+len(s.Text)]) != s.Text {
			t.Fatalf("prose span %q does not match the source at offset %d", s.Text, s.Offset)
		}
	}
}

// FuzzParse parses whole files: it must never panic, and every position it
// reports must be inside the file.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	ps := NewParser(Options{Location: time.FixedZone("X", 3600)})
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) {
			// The loader rejects such files before parsing (file-encoding);
			// the parser must still not panic on them.
			_ = ps.Parse("content/postmortems/f.md", []byte(src))
			return
		}
		p := ps.Parse("content/postmortems/f.md", []byte(src))
		checkPositions(t, p, strings.TrimPrefix(src, "\ufeff"))
	})
}

// FuzzFrontMatter fuzzes the front matter alone, in each syntax.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{
		"title: x\nseverity: SEV2\nroot_causes: [a, b]\nactions:\n  - title: t\n    due: 2025-04-01\n",
		"started: 2025-03-14 09:12\nresolved: 2025-03-14T09:12:00+02:00\nimpact: {users_affected: 1e3}",
		"related: x\ntags: [[a]]\ndrill: yes\nnear_miss: 1",
		"? [a]\n: b\n",
		"title: !!binary aGk=\n",
	} {
		f.Add(s, byte(0))
		f.Add(s, byte(1))
	}
	f.Add(`title = "x"`+"\n[impact]\nusers_affected = 3\n[[actions]]\ntitle = \"t\"\n", byte(1))
	f.Add(`{"title": "x", "actions": [{"title": "t"}]}`, byte(2))
	ps := NewParser(Options{})
	f.Fuzz(func(t *testing.T, fm string, kind byte) {
		var src string
		switch kind % 3 {
		case 0:
			src = "---\n" + fm + "\n---\n## Summary\n"
		case 1:
			src = "+++\n" + fm + "\n+++\n## Summary\n"
		default:
			src = ";;;\n" + fm + "\n;;;\n## Summary\n"
		}
		p := ps.ParseFrontMatter("f.md", []byte(src))
		if utf8.ValidString(src) {
			checkPositions(t, p, src)
		}
	})
}

// FuzzTimeline fuzzes timeline entries.
func FuzzTimeline(f *testing.F) {
	for _, s := range []string{
		"- 2025-03-14 09:12 UTC — Alert fired\n- 09:40 — Rotated\n- sometime — nothing\n",
		"- **2025-03-14T09:12:00** – a\n- 9:5 — b\n- 23:59:59+0100 c\n",
		"| time | what |\n|---|---|\n| 2025-03-14 09:00 | a |\n| 10:00 | b |\n",
		"1. 2025-02-30 25:00 Z a\n2. 00:00 GMT\n",
		"- 2025-03-14 09:12 +99:99 — x\n",
		"**2015-10-21** (all times UTC)\n\n| Time | Event |\n|---|---|\n| 07:28 | a |\n| 2015-10-22 | b |\n",
		"### Feb 21, 2020\n\n- ~23:50 — *a* [l](u)\n  - sub\n- Inquiry\n\n### 2020-02-22\n\n- 00:10-01:00 PST b\n- HH:mm — c\n- 9:05 pm: d\n",
		"14:02 — a `x`\n\n14:10 — b\n\nnote\n\n15:00 — c\n16:00 — d\n\n- 17:00 e\n",
		"All times CET.\n\n- **March 14**\n  - 09:12 — a\n    - detail\n  - 10:00 PT — b\n- Day 2 (Saturday)\n  - 08:00 — c\n\n### Sunday 16 March\n\n| Time (UTC+1) | What |\n|---|---|\n| 07:00 | d |\n",
	} {
		f.Add(s)
	}
	ps := NewParser(Options{})
	f.Fuzz(func(t *testing.T, tl string) {
		src := "---\ntitle: x\nstarted: 2025-03-14T09:00:00Z\n---\n\n## Timeline\n\n" + tl
		p := ps.ParseFrontMatter("f.md", []byte(src))
		ps.ParseBody(p, BodyOptions{RenderHTML: true})
		if !utf8.ValidString(src) {
			return
		}
		checkPositions(t, p, src)
		for _, e := range p.Body.Timeline {
			if e.OK && e.TimeText == "" && !(e.DateOnly && e.Inherited) {
				t.Fatalf("entry with a time but no time text: %+v", e)
			}
		}
		if n := strings.Count(p.Body.HTML, `<li class="tl-entry`); n != len(p.Body.Timeline) {
			t.Fatalf("%d entries shown, %d read:\n%s", n, len(p.Body.Timeline), p.Body.HTML)
		}
	})
}
