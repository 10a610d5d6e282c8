package postmortem

import (
	"strings"
	"testing"
)

// TestTimelineLinkOffsets: the links of a timeline rendered as a visual
// timeline keep their HTMLOffset (Body.Unlink empties them there), a
// time written as a link stays a link, and the links of a table's
// header, which the visual timeline does not show, are passed without
// losing the next ones.
func TestTimelineLinkOffsets(t *testing.T) {
	src := "---\ntitle: T\nstarted: 2025-03-14T09:00:00Z\n---\n\n## Timeline\n\n" +
		"| [Time](h.md) | Event |\n|---|---|\n| 09:00 | [a](a.md) |\n| [09:10](log.md) | b |\n| 09:20 | ![](i.png) |\n\n" +
		"- 09:30 — [c](c.md)\n  - see [d](d.md)\n\n## After\n\n[e](e.md)\n"
	ps := NewParser(Options{})
	p := ps.ParseFrontMatter("x.md", []byte(src))
	ps.ParseBody(p, BodyOptions{RenderHTML: true})
	h := p.Body.HTML
	var got []string
	for _, l := range p.Body.Links {
		if l.HTMLOffset < 0 {
			got = append(got, l.Dest+":none")
			continue
		}
		want := `<a href="` + l.Dest
		if l.Image {
			want = `<img src="` + l.Dest
		}
		if !strings.HasPrefix(h[l.HTMLOffset:], want) {
			t.Errorf("link %s at %d: %.30q", l.Dest, l.HTMLOffset, h[l.HTMLOffset:])
		}
		got = append(got, l.Dest)
	}
	if w := "h.md:none a.md log.md i.png c.md d.md e.md"; strings.Join(got, " ") != w {
		t.Errorf("links %q, want %q", strings.Join(got, " "), w)
	}
	if n := strings.Count(h, `<li class="tl-entry`); n != 4 || len(p.Body.Timeline) != 4 {
		t.Errorf("%d entries shown, %d read:\n%s", n, len(p.Body.Timeline), h)
	}
}
