// Package feedcheck checks sitemaps and Atom feeds against the rules the
// sitemaps.org 0.9 schema (sitemap.xsd, siteindex.xsd) and protocol, and
// RFC 4287, enforce, written out in Go: no XSD validator is available
// offline. For the tests of site and site/page.
package feedcheck

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// SitemapNS is the sitemaps.org 0.9 namespace.
const SitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

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

// Sitemap returns what in one sitemap file (a urlset, or a
// sitemapindex when index) breaks the sitemaps.org schema or protocol:
// the root element and namespace, a single absolute http(s) <loc> of at
// most 2,048 characters in every entry, a W3C datetime <lastmod>, the
// enumerations of <changefreq> and <priority>, no other elements, at most
// 50,000 entries and 50 MiB. It returns the locs too.
func Sitemap(b []byte, index bool) (locs []string, problems []string) {
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
	if root.XMLName.Space != SitemapNS || root.XMLName.Local != rootName {
		bad("root element is {%s}%s, want {%s}%s", root.XMLName.Space, root.XMLName.Local, SitemapNS, rootName)
	}
	if len(root.Children) > 50000 {
		bad("%d entries, over 50,000", len(root.Children))
	}
	for i, e := range root.Children {
		if e.XMLName.Space != SitemapNS || e.XMLName.Local != entryName {
			bad("entry %d is {%s}%s, want %s", i, e.XMLName.Space, e.XMLName.Local, entryName)
			continue
		}
		seen := map[string]int{}
		for _, c := range e.Children {
			seen[c.XMLName.Local]++
			if c.XMLName.Space != SitemapNS {
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

// Atom returns what in an Atom feed breaks RFC 4287's required
// elements: the feed's id, title and updated; each entry's id, title,
// updated and an author (its own or the feed's); an alternate link on an
// entry without content; ids that are absolute IRIs and distinct; dates
// in RFC 3339; no empty href. With absolute set, every link is absolute
// http(s); without it, none is.
func Atom(b []byte, absolute bool) (ids []string, problems []string) {
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
