package feedcheck

import (
	"strings"
	"testing"
)

// TestCheckSitemapFails makes sure the checker catches what the schema
// rejects, so that the tests above can fail.
func TestCheckSitemapFails(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	for _, c := range []struct{ name, doc string }{
		{"relative loc", `<urlset xmlns="` + SitemapNS + `"><url><loc>postmortems/a/</loc></url></urlset>`},
		{"empty loc", `<urlset xmlns="` + SitemapNS + `"><url><loc></loc></url></urlset>`},
		{"no namespace", `<urlset><url><loc>https://kb.example.com/</loc></url></urlset>`},
		{"bad lastmod", `<urlset xmlns="` + SitemapNS + `"><url><loc>https://kb.example.com/</loc><lastmod>14/03/2025</lastmod></url></urlset>`},
		{"two locs", `<urlset xmlns="` + SitemapNS + `"><url><loc>https://kb.example.com/</loc><loc>https://kb.example.com/a</loc></url></urlset>`},
		{"long loc", `<urlset xmlns="` + SitemapNS + `"><url><loc>https://kb.example.com/` + strings.Repeat("a", 2048) + `</loc></url></urlset>`},
		{"priority", `<urlset xmlns="` + SitemapNS + `"><url><loc>https://kb.example.com/</loc><priority>2</priority></url></urlset>`},
	} {
		if _, p := Sitemap([]byte(head+c.doc), false); len(p) == 0 {
			t.Errorf("%s: no problem found", c.name)
		}
	}
	for _, c := range []struct {
		name, doc string
		abs       bool
	}{
		{"empty href", `<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x:1</id><title>t</title><updated>2025-01-01T00:00:00Z</updated><link href=""/></feed>`, false},
		{"entry without link", `<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x:1</id><title>t</title><updated>2025-01-01T00:00:00Z</updated><entry><id>urn:x:2</id><title>e</title><updated>2025-01-01T00:00:00Z</updated><author><name>a</name></author></entry></feed>`, false},
		{"relative id", `<feed xmlns="http://www.w3.org/2005/Atom"><id>kb</id><title>t</title><updated>2025-01-01T00:00:00Z</updated></feed>`, false},
		{"absolute link without base_url", `<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x:1</id><title>t</title><updated>2025-01-01T00:00:00Z</updated><link href="https://x.example/"/></feed>`, false},
		{"relative link with base_url", `<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x:1</id><title>t</title><updated>2025-01-01T00:00:00Z</updated><link href="a/"/></feed>`, true},
	} {
		if _, p := Atom([]byte(head+c.doc), c.abs); len(p) == 0 {
			t.Errorf("%s: no problem found", c.name)
		}
	}
}
