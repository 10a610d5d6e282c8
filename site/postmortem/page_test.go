package postmortem

import "testing"

// TestPageDescription: a content page's description front matter key
// reaches Page.Description (page.html's <meta name="description">);
// postmortems still report it as an unknown key.
func TestPageDescription(t *testing.T) {
	ps := NewParser(Options{})
	src := "---\ntitle: About\ndescription: \" What this knowledge base holds. \"\n---\n\nText.\n"
	pg := ps.ParsePage("content/about.md", "about", []byte(src), BodyOptions{})
	if pg.Description != "What this knowledge base holds." || pg.Title != "About" {
		t.Errorf("title %q, description %q", pg.Title, pg.Description)
	}
	if len(pg.Problems) > 0 {
		t.Errorf("problems: %v", pg.Problems)
	}
	pm := ps.Parse("content/postmortems/x.md", []byte(src))
	found := false
	for _, d := range pm.Problems {
		found = found || d.Rule == "unknown-field"
	}
	if !found {
		t.Errorf("a postmortem's description: problems %v, want unknown-field", pm.Problems)
	}
}
