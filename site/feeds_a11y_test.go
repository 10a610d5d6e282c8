package site

import (
	"bytes"
	"github.com/hindsight-kb/hindsight/site/internal/feedcheck"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The feed and sitemap tests of issue 17 item 4. The sitemap is checked
// against the rules the sitemaps.org 0.9 schema (sitemap.xsd,
// siteindex.xsd) and protocol enforce, written out in Go (checkSitemap):
// no XSD validator is available offline here.

func TestSitemapAndFeedWithBaseURL(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	for _, aud := range []string{Internal, Public} {
		s, out := build(t, root, Options{Audience: aud})
		b := []byte(readOut(t, out, "sitemap.xml"))
		locs, problems := feedcheck.Sitemap(b, false)
		for _, p := range problems {
			t.Errorf("%s: sitemap.xml: %s", aud, p)
		}
		html := 0
		for _, p := range s.Pages() {
			if strings.HasSuffix(p, "index.html") {
				html++
			}
		}
		if len(locs) != html || html == 0 {
			t.Errorf("%s: sitemap.xml lists %d pages, the site has %d", aud, len(locs), html)
		}
		for _, l := range locs {
			if !strings.HasPrefix(l, "https://kb.example.com/sub/") {
				t.Errorf("%s: sitemap loc %q is not under base_url", aud, l)
			}
		}
		if !bytes.Contains(b, []byte("<loc>https://kb.example.com/sub/</loc>")) {
			t.Errorf("%s: sitemap.xml lacks the home page at base_url", aud)
		}
		if !bytes.Contains(b, []byte("<lastmod>")) {
			t.Errorf("%s: sitemap.xml has no lastmod", aud)
		}
		ids, problems := feedcheck.Atom([]byte(readOut(t, out, "index.xml")), true)
		for _, p := range problems {
			t.Errorf("%s: index.xml: %s", aud, p)
		}
		if len(ids) < 2 || ids[0] != "https://kb.example.com/sub/index.xml" {
			t.Errorf("%s: feed ids %q, want the feed's URL first", aud, ids)
		}
	}
}

func TestSitemapAndFeedWithoutBaseURL(t *testing.T) {
	kb, err := os.ReadFile(fixtureKB)
	if err != nil {
		t.Fatal(err)
	}
	kb = bytes.Replace(kb, []byte("base_url: https://kb.example.com/sub/\n"), nil, 1)
	if bytes.Contains(kb, []byte("base_url")) {
		t.Fatal("the fixture's base_url line was not removed")
	}
	root := extract(t, kb)
	var first []string
	for _, aud := range []string{Internal, Public, Internal} {
		s, out := build(t, root, Options{Audience: aud})
		if _, err := os.Stat(filepath.Join(out, "sitemap.xml")); err == nil {
			t.Errorf("%s: sitemap.xml written without base_url", aud)
		}
		if s.Has("sitemap.xml") {
			t.Errorf("%s: a sitemap.xml route without base_url", aud)
		}
		if n := s.BuildNotes(); len(n) != 1 || !strings.Contains(n[0], "base_url") {
			t.Errorf("%s: build notes %q, want one about base_url", aud, n)
		}
		feed := readOut(t, out, "index.xml")
		if strings.Contains(feed, `href=""`) {
			t.Errorf("%s: the feed has an empty href:\n%s", aud, feed)
		}
		ids, problems := feedcheck.Atom([]byte(feed), false)
		for _, p := range problems {
			t.Errorf("%s: index.xml: %s", aud, p)
		}
		uuid := regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
		for _, id := range ids {
			if !uuid.MatchString(id) {
				t.Errorf("%s: id %q is not a version 5 urn:uuid", aud, id)
			}
		}
		if aud == Internal {
			if first == nil {
				first = ids
			} else if strings.Join(first, " ") != strings.Join(ids, " ") {
				t.Errorf("ids changed between two builds:\n%q\n%q", first, ids)
			}
		}
	}
}
