package postmortem

import (
	"reflect"
	"testing"
)

// TestTextSameWithAndWithoutRendering: check parses without linkify, build
// with it; the extracted structure and text must not depend on that.
func TestTextSameWithAndWithoutRendering(t *testing.T) {
	src := []byte("---\ntitle: x\n---\n\n## Summary\n\nSee https://status.example.com/incidents/42 and www.example.org, then [docs](../a.md).\n\n## Timeline\n\n- 2025-01-02 10:00 UTC — paged via https://pager.example.com\n- 10:05 — ok\n")
	ps := NewParser(Options{})
	a := ps.ParseFrontMatter("content/postmortems/a.md", src)
	ps.ParseBody(a, BodyOptions{})
	b := ps.ParseFrontMatter("content/postmortems/a.md", src)
	ps.ParseBody(b, BodyOptions{RenderHTML: true})
	if a.Body.Text != b.Body.Text {
		t.Errorf("text differs:\n%q\n%q", a.Body.Text, b.Body.Text)
	}
	for i := range b.Body.Links {
		b.Body.Links[i].HTMLOffset = -1 // where the rendered element starts: rendering only
	}
	if !reflect.DeepEqual(a.Body.Sections, b.Body.Sections) || !reflect.DeepEqual(a.Body.Timeline, b.Body.Timeline) || !reflect.DeepEqual(a.Body.Links, b.Body.Links) {
		t.Errorf("structure differs:\n%+v\n%+v", a.Body, b.Body)
	}
	if want := "See https://status.example.com/incidents/42 and www.example.org, then docs."; a.Body.Sections[0].Text != want {
		t.Errorf("summary text %q", a.Body.Sections[0].Text)
	}
}
