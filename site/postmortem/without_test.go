package postmortem

import (
	"reflect"
	"strings"
	"testing"
)

// TestSecurityWithoutInternalSections: Body.Without cuts an internal
// heading at any level with everything up to the next heading of its
// level or higher, and the copy is what the parser makes of the body
// written without those parts: same HTML, text, headings, sections
// (texts up to white space), timeline and links.
func TestSecurityWithoutInternalSections(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"nothing internal",
			"## Summary\n\nAll public.\n\n### Details\n\nMore.\n",
			"## Summary\n\nAll public.\n\n### Details\n\nMore.\n"},
		{"H2 at the end",
			"## Summary\n\nPublic.\n\n## Internal Notes\n\nsecret-a\n",
			"## Summary\n\nPublic.\n"},
		{"H2 in the middle, its subsections too",
			"## Summary\n\nPublic.\n\n## Internal Notes\n\nsecret-a\n\n### Deeper\n\nsecret-b\n\n## Communication\n\nSent.\n",
			"## Summary\n\nPublic.\n\n## Communication\n\nSent.\n"},
		{"H3 under a section, then an H3 that stays",
			"## Root Cause\n\nPublic cause.\n\n### Internal Notes\n\nsecret-a\n\n#### Below\n\nsecret-b\n\n### Changes\n\nKept.\n\n## Impact\n\nSmall.\n",
			"## Root Cause\n\nPublic cause.\n\n### Changes\n\nKept.\n\n## Impact\n\nSmall.\n"},
		{"H3 up to the next H2",
			"## Summary\n\nPublic.\n\n### internal notes ###\n\nsecret-a [link](secret.md)\n\n## Impact\n\nSmall.\n",
			"## Summary\n\nPublic.\n\n## Impact\n\nSmall.\n"},
		{"H5 and a setext H1 ends it",
			"## Summary\n\nPublic.\n\n##### Internal Notes\n\nsecret-a\n\nTitle\n=====\n\nAfter.\n",
			"## Summary\n\nPublic.\n\nTitle\n=====\n\nAfter.\n"},
		{"setext H2",
			"Internal Notes\n--------------\n\nsecret-a\n\n## Summary\n\nPublic.\n",
			"## Summary\n\nPublic.\n"},
		{"text before the first heading stays",
			"Intro text.\n\n## Internal Notes\n\nsecret-a\n\n## Summary\n\nPublic.\n",
			"Intro text.\n\n## Summary\n\nPublic.\n"},
		{"timeline entries under an internal H3",
			"## Timeline\n\n- 2025-01-01 10:00 UTC — Public start.\n\n### Internal Notes\n\n- 2025-01-01 11:00 UTC — secret-a entry.\n\n## Summary\n\nDone.\n",
			"## Timeline\n\n- 2025-01-01 10:00 UTC — Public start.\n\n## Summary\n\nDone.\n"},
		{"in a block quote",
			"## Summary\n\nPublic.\n\n> ### Internal Notes\n>\n> secret-a\n\nAfter.\n\n> ### Quoted heading\n>\n> kept\n",
			"## Summary\n\nPublic.\n\nAfter.\n\n> ### Quoted heading\n>\n> kept\n"},
		{"in a list, two in one block",
			"## Summary\n\n- one [secret](secret.md)\n  ### Internal Notes\n  secret-a\n- two\n  > #### Internal Notes\n  > secret-b\n\nAfter.\n",
			"## Summary\n\nAfter.\n"},
		{"in a block quote at the end",
			"## Summary\n\nPublic.\n\n> ## Internal Notes\n> secret-a\n",
			"## Summary\n\nPublic.\n"},
		{"in a block quote under an internal section",
			"## Internal Notes\n\n> ### Internal Notes\n> secret-a\n\n## Summary\n\nPublic.\n\n> ### Internal Notes\n> secret-b\n",
			"## Summary\n\nPublic.\n"},
		{"two internal sections",
			"## Summary\n\nPublic.\n\n### Internal Notes\n\nsecret-a\n\n## Impact\n\nSmall.\n\n#### Internal Notes\n\nsecret-b\n",
			"## Summary\n\nPublic.\n\n## Impact\n\nSmall.\n"},
	}
	internal := func(title string) bool { return strings.EqualFold(strings.TrimSpace(title), "internal notes") }
	ps := NewParser(Options{})
	parse := func(body string) *Postmortem {
		p := ps.ParseFrontMatter("x.md", []byte("---\ntitle: x\n---\n"+body))
		ps.ParseBody(p, BodyOptions{RenderHTML: true})
		return p
	}
	titles := func(b *Body) (hs, ss []string) {
		for _, h := range b.Headings {
			hs = append(hs, h.Title)
		}
		for _, s := range b.Sections {
			ss = append(ss, s.Title+": "+strings.Join(strings.Fields(s.Text), " "))
		}
		return hs, ss
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := parse(tc.body)
			before := p.Body.HTML
			got := p.Body.Without(internal)
			want := parse(tc.want).Body
			if p.Body.HTML != before {
				t.Error("Without changed the original body")
			}
			for _, s := range []string{got.HTML, got.Text} {
				if strings.Contains(s, "secret") {
					t.Errorf("the copy keeps internal text: %q", s)
				}
			}
			if got.HTML != want.HTML {
				t.Errorf("HTML\ngot  %q\nwant %q", got.HTML, want.HTML)
			}
			if got.Text != want.Text {
				t.Errorf("Text\ngot  %q\nwant %q", got.Text, want.Text)
			}
			gh, gs := titles(&got)
			wh, ws := titles(&want)
			if !reflect.DeepEqual(gh, wh) || !reflect.DeepEqual(gs, ws) {
				t.Errorf("headings %q sections %q, want %q %q", gh, gs, wh, ws)
			}
			if len(got.Timeline) != len(want.Timeline) {
				t.Errorf("timeline %v, want %v", got.Timeline, want.Timeline)
			}
			for i := range min(len(got.Timeline), len(want.Timeline)) {
				if got.Timeline[i].Text != want.Timeline[i].Text {
					t.Errorf("timeline[%d] = %q, want %q", i, got.Timeline[i].Text, want.Timeline[i].Text)
				}
			}
			for _, l := range got.Links {
				if strings.Contains(l.Dest, "secret") {
					t.Errorf("the copy keeps the link %q", l.Dest)
				}
			}
			// The copy's offsets fit it: cutting again cuts nothing more.
			if again := got.Without(internal); again.HTML != got.HTML || again.Text != got.Text {
				t.Error("a second cut changed the copy")
			}
			if got.HTML != "" && !headingOffsetsFit(&got) {
				t.Error("the copy's heading offsets do not fit its HTML")
			}
		})
	}
}

// TestSecurityWithoutFailsClosed: when the heading offsets do not fit
// the HTML (a body not rendered by the parser), the copy has no HTML
// rather than the internal part.
func TestSecurityWithoutFailsClosed(t *testing.T) {
	ps := NewParser(Options{})
	p := ps.ParseFrontMatter("x.md", []byte("---\ntitle: x\n---\n## Summary\n\nPublic.\n\n## Internal Notes\n\nsecret-a\n"))
	ps.ParseBody(p, BodyOptions{RenderHTML: true})
	p.Body.HTML = "<p>other</p>\n" + p.Body.HTML
	got := p.Body.Without(func(title string) bool { return title == "Internal Notes" })
	if got.HTML != "" {
		t.Errorf("HTML = %q, want none", got.HTML)
	}
	if strings.Contains(got.Text, "secret") {
		t.Errorf("Text = %q", got.Text)
	}
}

// FuzzSecurityWithout: for any body, cutting the headings that contain
// "x" leaves offsets that fit the copy, and none of the cut headings'
// rendered elements.
func FuzzSecurityWithout(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Add("## a\n\nkeep\n\n### x\n\ncut\n\n> ### x\n\n## b\n\n#### x ####\n\nx\n===\n\ncut\n")
	f.Add("## a\n\n- [l](x.md)\n  ### x\n  > ## y\n\n> ### b [l](y.md)\n> ## x\n\n1. ![i](i.png)\n")
	ps := NewParser(Options{})
	internal := func(title string) bool { return strings.Contains(title, "x") }
	f.Fuzz(func(t *testing.T, src string) {
		p := ps.ParseFrontMatter("x.md", []byte(src))
		ps.ParseBody(p, BodyOptions{RenderHTML: true})
		got := p.Body.Without(internal)
		if got.HTML != "" && !headingOffsetsFit(&got) {
			t.Fatalf("heading offsets do not fit the copy's HTML %q", got.HTML)
		}
		if !textOffsetsFit(&got) {
			t.Fatalf("heading offsets do not fit the copy's text %q", got.Text)
		}
		for _, b := range []*Body{&p.Body, &got} {
			for _, l := range b.Links {
				if _, ok := urlAttr(b.HTML, l); !ok && b.HTML != "" {
					t.Fatalf("link %q at %d does not fit %q", l.Dest, l.HTMLOffset, b.HTML)
				}
			}
		}
		for _, h := range got.Headings {
			if internal(h.Title) {
				t.Fatalf("kept the heading %q", h.Title)
			}
		}
		for _, b := range []*Body{&p.Body, &got} {
			for _, n := range b.Nested {
				if b == &got && internal(n.Title) {
					t.Fatalf("kept the nested heading %q", n.Title)
				}
				if h := n.HTML; b.HTML != "" && (h[0] < 0 || h[0] > h[1] || h[1] > len(b.HTML) ||
					!strings.HasPrefix(b.HTML[h[0]:], "<blockquote>") && !strings.HasPrefix(b.HTML[h[0]:], "<ul") && !strings.HasPrefix(b.HTML[h[0]:], "<ol")) {
					t.Fatalf("nested heading %q at %v does not fit %q", n.Title, h, b.HTML)
				}
			}
		}
		for _, h := range p.Body.Headings {
			if internal(h.Title) && strings.Contains(got.HTML, ` id="`+h.Anchor+`"`) {
				t.Fatalf("kept the element of %q in %q", h.Title, got.HTML)
			}
		}
	})
}

// TestSecurityUnlink: Unlink empties the href (src) of exactly the
// rendered links it is asked to, wherever they are (paragraph, list,
// heading, image, with a title), at the offsets the renderer recorded;
// the copy's offsets still fit, and a later Without still cuts.
func TestSecurityUnlink(t *testing.T) {
	ps := NewParser(Options{})
	body := "## Follow-up of [hidden](hidden.md)\n\nSee [hidden](hidden.md#timeline \"a title\") and [kept](kept.md).\n\n" +
		"- item with ![hidden image](hidden.md)\n\n### Internal Notes\n\n[hidden](hidden.md) again\n\n## Summary\n\n[kept](kept.md)\n"
	p := ps.ParseFrontMatter("x.md", []byte("---\ntitle: x\n---\n"+body))
	ps.ParseBody(p, BodyOptions{RenderHTML: true, ResolveLink: func(d string) (string, bool) {
		return "../" + strings.TrimSuffix(d, ".md") + "/", true
	}})
	orig := p.Body.HTML
	got := p.Body.Unlink(func(l Link) bool { return strings.HasPrefix(l.Dest, "hidden.md") })
	if p.Body.HTML != orig {
		t.Error("Unlink changed the original body")
	}
	if strings.Contains(got.HTML, "../hidden") {
		t.Errorf("a hidden link is left: %q", got.HTML)
	}
	for _, want := range []string{
		`<h2 id="follow-up-of-hidden">Follow-up of <a href="">hidden</a></h2>`,
		`<a href="" title="a title">hidden</a> and <a href="../kept/">kept</a>`,
		`<img src="" alt="hidden image">`,
		`<p><a href="">hidden</a> again</p>`,
		`<p><a href="../kept/">kept</a></p>`,
	} {
		if !strings.Contains(got.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, got.HTML)
		}
	}
	if n := strings.Count(orig, "../hidden"); n != 4 {
		t.Errorf("the rendered body has %d hidden links, want 4", n)
	}
	if !headingOffsetsFit(&got) {
		t.Error("heading offsets do not fit the copy")
	}
	for _, l := range got.Links {
		if _, ok := urlAttr(got.HTML, l); !ok {
			t.Errorf("link %q: offset %d does not fit the copy", l.Dest, l.HTMLOffset)
		}
	}
	cut := got.Without(func(title string) bool { return title == "Internal Notes" })
	if strings.Contains(cut.HTML, "again") || !strings.Contains(cut.HTML, `<h2 id="summary">`) {
		t.Errorf("Without after Unlink: %q", cut.HTML)
	}
	for _, l := range cut.Links {
		if _, ok := urlAttr(cut.HTML, l); !ok {
			t.Errorf("after Without, link %q: offset %d does not fit", l.Dest, l.HTMLOffset)
		}
	}
	// Offsets that do not fit: no HTML rather than the link.
	p.Body.HTML = " " + p.Body.HTML
	if bad := p.Body.Unlink(func(l Link) bool { return strings.HasPrefix(l.Dest, "hidden.md") }); bad.HTML != "" {
		t.Errorf("HTML = %q, want none", bad.HTML)
	}
}
