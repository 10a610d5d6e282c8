package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// The feed and sitemap tests of issue 17 item 4. The sitemap is checked
// against the rules the sitemaps.org 0.9 schema (sitemap.xsd,
// siteindex.xsd) and protocol enforce, written out in Go (checkSitemap):
// no XSD validator is available offline here.

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// w3cDatetime matches the W3C Datetime profile of ISO 8601 the schema's
// tLastmod allows: a date, or a date and time with a zone.
var w3cDatetime = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$`)

// xmlElem is a generic element tree, to see every element and namespace
// a file holds (a struct decode would skip unknown ones).
type xmlElem struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []xmlElem  `xml:",any"`
}

// checkSitemap returns what in one sitemap file (a urlset, or a
// sitemapindex when index) breaks the sitemaps.org schema or protocol:
// the root element and namespace, a single absolute http(s) <loc> of at
// most 2,048 characters in every entry, a W3C datetime <lastmod>, the
// enumerations of <changefreq> and <priority>, no other elements, at most
// 50,000 entries and 50 MiB. It returns the locs too.
func checkSitemap(b []byte, index bool) (locs []string, problems []string) {
	bad := func(f string, a ...any) { problems = append(problems, fmt.Sprintf(f, a...)) }
	if len(b) > 50<<20 {
		bad("%d bytes, over 50 MiB", len(b))
	}
	var root xmlElem
	if err := xml.Unmarshal(b, &root); err != nil {
		bad("does not parse: %v", err)
		return nil, problems
	}
	rootName, entryName := "urlset", "url"
	if index {
		rootName, entryName = "sitemapindex", "sitemap"
	}
	if root.XMLName.Space != sitemapNS || root.XMLName.Local != rootName {
		bad("root element is {%s}%s, want {%s}%s", root.XMLName.Space, root.XMLName.Local, sitemapNS, rootName)
	}
	if len(root.Children) > 50000 {
		bad("%d entries, over 50,000", len(root.Children))
	}
	for i, e := range root.Children {
		if e.XMLName.Space != sitemapNS || e.XMLName.Local != entryName {
			bad("entry %d is {%s}%s, want %s", i, e.XMLName.Space, e.XMLName.Local, entryName)
			continue
		}
		seen := map[string]int{}
		for _, c := range e.Children {
			seen[c.XMLName.Local]++
			if c.XMLName.Space != sitemapNS {
				bad("entry %d: element %s in namespace %q", i, c.XMLName.Local, c.XMLName.Space)
			}
			v := c.Text
			switch c.XMLName.Local {
			case "loc":
				locs = append(locs, v)
				u, err := url.Parse(v)
				switch {
				case len(v) < 12 || len(v) > 2048:
					bad("entry %d: loc %q is %d characters, want 12 to 2,048", i, v, len(v))
				case err != nil:
					bad("entry %d: loc %q: %v", i, v, err)
				case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
					bad("entry %d: loc %q is not an absolute http(s) URL", i, v)
				case strings.TrimSpace(v) != v:
					bad("entry %d: loc %q has spaces around it", i, v)
				}
			case "lastmod":
				if !w3cDatetime.MatchString(v) {
					bad("entry %d: lastmod %q is not a W3C datetime", i, v)
				}
			case "changefreq":
				if index || !strings.Contains(" always hourly daily weekly monthly yearly never ", " "+v+" ") {
					bad("entry %d: changefreq %q", i, v)
				}
			case "priority":
				f, err := strconv.ParseFloat(v, 64)
				if index || err != nil || f < 0 || f > 1 {
					bad("entry %d: priority %q", i, v)
				}
			default:
				bad("entry %d: unknown element %s", i, c.XMLName.Local)
			}
		}
		if seen["loc"] != 1 {
			bad("entry %d has %d loc elements, want 1", i, seen["loc"])
		}
		for k, n := range seen {
			if n > 1 && k != "loc" {
				bad("entry %d has %d %s elements", i, n, k)
			}
		}
	}
	return locs, problems
}

// checkAtom returns what in an Atom feed breaks RFC 4287's required
// elements: the feed's id, title and updated; each entry's id, title,
// updated and an author (its own or the feed's); an alternate link on an
// entry without content; ids that are absolute IRIs and distinct; dates
// in RFC 3339; no empty href. With absolute set, every link is absolute
// http(s); without it, none is.
func checkAtom(b []byte, absolute bool) (ids []string, problems []string) {
	bad := func(f string, a ...any) { problems = append(problems, fmt.Sprintf(f, a...)) }
	var root xmlElem
	if err := xml.Unmarshal(b, &root); err != nil {
		return nil, []string{fmt.Sprintf("does not parse: %v", err)}
	}
	const atomNS = "http://www.w3.org/2005/Atom"
	if root.XMLName.Space != atomNS || root.XMLName.Local != "feed" {
		bad("root element is {%s}%s, want atom feed", root.XMLName.Space, root.XMLName.Local)
	}
	seenIDs := map[string]bool{}
	checkID := func(where, id string) {
		u, err := url.Parse(id)
		if err != nil || u.Scheme == "" {
			bad("%s: id %q is not an absolute IRI", where, id)
		}
		if seenIDs[id] {
			bad("%s: id %q repeats", where, id)
		}
		seenIDs[id] = true
		ids = append(ids, id)
	}
	checkLink := func(where string, l xmlElem) (rel string) {
		rel = "alternate"
		href, hasHref := "", false
		for _, a := range l.Attrs {
			switch a.Name.Local {
			case "href":
				href, hasHref = a.Value, true
			case "rel":
				rel = a.Value
			}
		}
		u, err := url.Parse(href)
		switch {
		case !hasHref || href == "":
			bad("%s: link without href", where)
		case err != nil:
			bad("%s: link %q: %v", where, href, err)
		case absolute && (u.Scheme != "http" && u.Scheme != "https" || u.Host == ""):
			bad("%s: link %q is not absolute", where, href)
		case !absolute && (u.IsAbs() || u.Host != "" || strings.HasPrefix(href, "/")):
			bad("%s: link %q is absolute without base_url", where, href)
		}
		return rel
	}
	count := func(e xmlElem) map[string]int {
		m := map[string]int{}
		for _, c := range e.Children {
			if c.XMLName.Space == atomNS {
				m[c.XMLName.Local]++
			}
		}
		return m
	}
	date := func(where, v string) {
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			bad("%s: date %q is not RFC 3339", where, v)
		}
	}
	fc := count(root)
	for _, k := range []string{"id", "title", "updated"} {
		if fc[k] != 1 {
			bad("feed has %d %s elements, want 1", fc[k], k)
		}
	}
	entries := 0
	for _, c := range root.Children {
		switch c.XMLName.Local {
		case "id":
			checkID("feed", c.Text)
		case "updated":
			date("feed", c.Text)
		case "link":
			checkLink("feed", c)
		case "entry":
			entries++
			where := fmt.Sprintf("entry %d", entries)
			ec := count(c)
			for _, k := range []string{"id", "title", "updated"} {
				if ec[k] != 1 {
					bad("%s has %d %s elements, want 1", where, ec[k], k)
				}
			}
			if ec["author"] == 0 && fc["author"] == 0 {
				bad("%s has no author and the feed none either", where)
			}
			alternates := 0
			for _, x := range c.Children {
				switch x.XMLName.Local {
				case "id":
					checkID(where, x.Text)
				case "updated", "published":
					date(where, x.Text)
				case "link":
					if checkLink(where, x) == "alternate" {
						alternates++
					}
				case "author":
					if strings.TrimSpace(x.Text) == "" && len(x.Children) == 0 {
						bad("%s: empty author", where)
					}
				case "category":
					if len(x.Attrs) == 0 || x.Attrs[0].Value == "" {
						bad("%s: category without term", where)
					}
				}
			}
			if ec["content"] == 0 && alternates == 0 {
				bad("%s has neither content nor an alternate link", where)
			}
		}
	}
	return ids, problems
}

func TestSitemapAndFeedWithBaseURL(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	for _, aud := range []string{Internal, Public} {
		s, out := build(t, root, Options{Audience: aud})
		b := []byte(readOut(t, out, "sitemap.xml"))
		locs, problems := checkSitemap(b, false)
		for _, p := range problems {
			t.Errorf("%s: sitemap.xml: %s", aud, p)
		}
		html := 0
		for p, rt := range s.routes {
			if inSitemap(p, rt) {
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
		ids, problems := checkAtom([]byte(readOut(t, out, "index.xml")), true)
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
		if _, ok := s.routes["sitemap.xml"]; ok {
			t.Errorf("%s: a sitemap.xml route without base_url", aud)
		}
		if n := s.BuildNotes(); len(n) != 1 || !strings.Contains(n[0], "base_url") {
			t.Errorf("%s: build notes %q, want one about base_url", aud, n)
		}
		feed := readOut(t, out, "index.xml")
		if strings.Contains(feed, `href=""`) {
			t.Errorf("%s: the feed has an empty href:\n%s", aud, feed)
		}
		ids, problems := checkAtom([]byte(feed), false)
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
	// Stable across KBs of the same title, distinct between titles and ids.
	if entryID("KB", "a") != entryID("KB", "a") || entryID("KB", "a") == entryID("KB", "b") ||
		entryID("KB", "a") == entryID("Other", "a") || feedID("KB") == feedID("Other") {
		t.Error("ids are not a function of the title and the id")
	}
}

func TestSitemapParts(t *testing.T) {
	for _, c := range []struct{ n, maxLoc, want int }{
		{0, 40, 1},
		{1, 40, 1},
		{50000, 40, 1},
		{50001, 40, 2},
		{100000, 40, 2},
		{100001, 40, 3},
		// 2,048-byte URLs: 50 MiB holds 5,077 of them escaped five times.
		{5000, 2048, 1},
		{6000, 2048, 2},
	} {
		if got := sitemapParts(c.n, c.maxLoc); got != c.want {
			t.Errorf("sitemapParts(%d, %d) = %d, want %d", c.n, c.maxLoc, got, c.want)
		}
	}
}

// TestSitemapIndex gives a site 120,001 pages: sitemap.xml becomes an
// index of three parts, each valid, which together list every page once.
func TestSitemapIndex(t *testing.T) {
	const n = 120001
	s := &Site{Config: &config.Config{BaseURL: "https://kb.example.com/"}}
	r := map[string]route{"404.html": {kind: "404"}, "index.xml": {kind: "feed"}}
	for i := range n {
		r[fmt.Sprintf("p/%06d/index.html", i)] = route{kind: "page"}
	}
	s.addSitemaps(r)
	s.routes, s.paths = r, sortedKeys(r)
	idx, err := s.sitemapFile(r["sitemap.xml"])
	if err != nil {
		t.Fatal(err)
	}
	parts, problems := checkSitemap(idx, true)
	for _, p := range problems {
		t.Errorf("sitemap.xml: %s", p)
	}
	if len(parts) != 3 {
		t.Fatalf("sitemap.xml names %d parts, want 3: %q", len(parts), parts)
	}
	seen := map[string]bool{}
	for i, loc := range parts {
		name := sitemapName(i + 1)
		if loc != "https://kb.example.com/"+name {
			t.Errorf("part %d at %q", i+1, loc)
		}
		rt, ok := r[name]
		if !ok {
			t.Fatalf("no route %s", name)
		}
		b, err := s.sitemapFile(rt)
		if err != nil {
			t.Fatal(err)
		}
		locs, problems := checkSitemap(b, false)
		for _, p := range problems {
			t.Errorf("%s: %s", name, p)
		}
		for _, l := range locs {
			if seen[l] {
				t.Errorf("%s repeats %s", name, l)
			}
			seen[l] = true
		}
	}
	if len(seen) != n {
		t.Errorf("the parts list %d pages, want %d", len(seen), n)
	}
}

// TestCheckSitemapFails makes sure the checker catches what the schema
// rejects, so that the tests above can fail.
func TestCheckSitemapFails(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	for _, c := range []struct{ name, doc string }{
		{"relative loc", `<urlset xmlns="` + sitemapNS + `"><url><loc>postmortems/a/</loc></url></urlset>`},
		{"empty loc", `<urlset xmlns="` + sitemapNS + `"><url><loc></loc></url></urlset>`},
		{"no namespace", `<urlset><url><loc>https://kb.example.com/</loc></url></urlset>`},
		{"bad lastmod", `<urlset xmlns="` + sitemapNS + `"><url><loc>https://kb.example.com/</loc><lastmod>14/03/2025</lastmod></url></urlset>`},
		{"two locs", `<urlset xmlns="` + sitemapNS + `"><url><loc>https://kb.example.com/</loc><loc>https://kb.example.com/a</loc></url></urlset>`},
		{"long loc", `<urlset xmlns="` + sitemapNS + `"><url><loc>https://kb.example.com/` + strings.Repeat("a", 2048) + `</loc></url></urlset>`},
		{"priority", `<urlset xmlns="` + sitemapNS + `"><url><loc>https://kb.example.com/</loc><priority>2</priority></url></urlset>`},
	} {
		if _, p := checkSitemap([]byte(head+c.doc), false); len(p) == 0 {
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
		if _, p := checkAtom([]byte(head+c.doc), c.abs); len(p) == 0 {
			t.Errorf("%s: no problem found", c.name)
		}
	}
}

// TestSummaryPrefix compares summary, which collapses only as much of a
// long Summary as it needs (collapse), with strings.Fields of all of it.
func TestSummaryPrefix(t *testing.T) {
	whole := func(text string, n int) string {
		s := strings.Join(strings.Fields(text), " ")
		if len(s) > n {
			cut := strings.LastIndexByte(s[:n], ' ')
			if cut < n/2 {
				cut = n
			}
			s = strings.TrimRight(s[:cut], " ,.;:") + "…"
		}
		return s
	}
	long := strings.Repeat("word ", 400)
	for _, text := range []string{
		"", "short", long, strings.Repeat(" ", 2000) + "late words", strings.Repeat("x", 3000),
		strings.Repeat("é", 1500), "a\n\n\tb " + long, strings.Repeat("ab\n\n\n\n\n\n\n ", 300) + long,
		strings.Repeat("word,", 300), strings.Repeat("  ", 315) + long,
		"no\u00a0break\u2003em\u0085nel \xff\xfe bad \v\f\r end", strings.Repeat("ü\u3000", 400),
		strings.Repeat("a ", 80) + "b", strings.Repeat("a ", 79) + "bc",
	} {
		for _, n := range []int{1, 10, 160, 600} {
			p := &postmortem.Postmortem{}
			p.Body.Sections = []postmortem.Section{{Text: text}}
			if got, want := summary(p, n), whole(text, n); got != want {
				t.Errorf("summary(%.20q…, %d) = %q, want %q", text, n, got, want)
			}
		}
	}
}
