package page

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// FeedSize is how many postmortems the Atom feed holds.
const FeedSize = 50

// absURL makes a site-relative folder URL absolute with base_url, or
// leaves it relative when base_url is unset. The path's segments are
// percent-encoded (see escapePath).
func (s *Set) absURL(u string) string { return s.Config.BaseURL + escapePath(u) }

// escapePath percent-encodes each segment of a slash path such as a
// page's site-relative URL, so that a space, "#" or "?" in an id stays in
// the path instead of breaking the URL or starting a fragment or a
// query. A path that needs no escaping (every usual one) is returned as
// it is.
func escapePath(p string) string {
	plain := true
	for i := 0; i < len(p) && plain; i++ {
		c := p[i]
		plain = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' || c == '/'
	}
	if plain {
		return p
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	Title      string      `xml:"title"`
	ID         string      `xml:"id"`
	Updated    string      `xml:"updated"`
	Published  string      `xml:"published,omitempty"`
	Link       atomLink    `xml:"link"`
	Summary    string      `xml:"summary,omitempty"`
	Categories []atomCateg `xml:"category"`
	Author     *atomAuthor `xml:"author,omitempty"`
}

type atomCateg struct {
	Term string `xml:"term,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

// atom renders index.xml: the newest postmortems. With base_url, the
// feed links to the site and its pages with absolute URLs, which are also
// the ids. Without it there is no absolute URL to give: the feed has no
// feed-level links (an empty href would point at the feed itself), each
// entry links to its page relative to the feed (index.xml is at the
// site's root, so a reader resolves it right), and the ids are urn:uuid
// URIs derived from the KB's title and the postmortem ids (feedID,
// entryID), stable from build to build.
func (s *Set) atom() ([]byte, error) {
	base := s.Config.BaseURL
	f := atomFeed{Title: s.Config.Title, ID: feedID(s.Config.Title)}
	if base != "" {
		f.ID = s.absURL("index.xml")
		f.Links = []atomLink{{Href: s.absURL("index.xml"), Rel: "self", Type: "application/atom+xml"},
			{Href: s.absURL(""), Rel: "alternate", Type: "text/html"}}
	}
	var newest time.Time
	for i, p := range s.Postmortems {
		if i == FeedSize {
			break
		}
		upd := s.updated(p)
		if upd.After(newest) {
			newest = upd
		}
		e := atomEntry{
			Title:   "[" + p.Severity + "] " + p.Title,
			ID:      entryID(s.Config.Title, p.URLID()),
			Updated: upd.UTC().Format(time.RFC3339),
			// Relative without base_url (absURL adds nothing): an entry
			// without content must have an alternate link (RFC 4287
			// 4.1.2).
			Link:    atomLink{Href: s.absURL(p.URL())},
			Summary: summary(p, 600),
		}
		if base != "" {
			e.ID = s.absURL(p.URL())
		}
		if !p.Started.IsZero() {
			e.Published = p.Started.UTC().Format(time.RFC3339)
		}
		if p.Category != "" {
			e.Categories = append(e.Categories, atomCateg{Term: p.Category})
		}
		for _, c := range p.RootCauses {
			if c != "" {
				e.Categories = append(e.Categories, atomCateg{Term: c})
			}
		}
		// Every entry has an author, so the feed needs none of its own.
		e.Author = &atomAuthor{Name: strings.Join(p.Authors, ", ")}
		if e.Author.Name == "" {
			e.Author.Name = s.Config.Title
		}
		if e.Author.Name == "" {
			e.Author.Name = "hindsight"
		}
		f.Entries = append(f.Entries, e)
	}
	if newest.IsZero() {
		newest = s.now
	}
	f.Updated = newest.UTC().Format(time.RFC3339)
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

// uuidNamespace is the RFC 9562 namespace for URLs, under which feedID
// and entryID make their name-based (version 5) UUIDs.
var uuidNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// feedID is the Atom id of a feed without base_url: a urn:uuid made from
// the KB's title, the same in every build.
func feedID(title string) string { return nameUUID("hindsight:" + title + ":index.xml") }

// entryID is the Atom id of a postmortem's entry without base_url: a
// urn:uuid made from the KB's title and the postmortem's id.
func entryID(title, id string) string {
	return nameUUID("hindsight:" + title + ":postmortems/" + id)
}

// nameUUID returns urn:uuid:… for the version 5 (SHA-1, name-based) UUID
// of name in uuidNamespace.
func nameUUID(name string) string {
	h := sha1.New()
	h.Write(uuidNamespace[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	x := hex.EncodeToString(u[:])
	return "urn:uuid:" + x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

// BuildNotes are the one-line remarks a build summary prints once: what
// the site leaves out and why (today: the sitemap and the feed's absolute
// links, when base_url is unset).
func (s *Set) BuildNotes() []string {
	if s.Config.BaseURL == "" {
		return []string{"no sitemap.xml and no absolute links in the Atom feed: set base_url in hindsight.yaml (the site's public address) to get them"}
	}
	return nil
}

// updated is a postmortem's last change: git's date, else resolved, else
// started.
func (s *Set) updated(p *postmortem.Postmortem) time.Time {
	if h, ok := s.History[p.Path]; ok && !h.Updated.IsZero() {
		return h.Updated
	}
	if !p.Resolved.IsZero() {
		return p.Resolved
	}
	if !p.Started.IsZero() {
		return p.Started
	}
	return s.now
}

// summary returns the first section's text (the Summary), its words
// joined by single spaces, cut at n bytes on a word boundary.
func summary(p *postmortem.Postmortem, n int) string {
	t := ""
	if len(p.Body.Sections) > 0 {
		t = p.Body.Sections[0].Text
	}
	b := collapse(t, n)
	if len(b) > n {
		cut := bytes.LastIndexByte(b[:n], ' ')
		if cut < n/2 {
			cut = n
			for cut > 0 && !utf8.RuneStart(b[cut]) { // not inside a character
				cut--
			}
		}
		b = append(bytes.TrimRight(b[:cut], " ,.;:"), "…"...)
	}
	return string(b)
}

// The sitemaps.org limits on one sitemap file.
const (
	sitemapMaxURLs  = 50000
	sitemapMaxBytes = 50 << 20 // uncompressed
	sitemapMaxLoc   = 2048     // characters of one <loc>
	// sitemapEntryBytes is an entry's bytes besides its <loc> text, with
	// the indentation and a lastmod; sitemapHeadBytes the file's besides
	// its entries.
	sitemapEntryBytes = 80
	sitemapHeadBytes  = 200
)

// collapse returns the words of t (as strings.Fields splits them) joined
// by single spaces, stopping once that is longer than limit bytes: every
// postmortem page asks for a summary (its meta description), so a long
// Summary is read only as far as needed, without a slice of its words.
func collapse(t string, limit int) []byte {
	b := make([]byte, 0, min(len(t), limit+utf8.UTFMax+1))
	gap := false // a space is due before the next word
	for i := 0; i < len(t) && len(b) <= limit; {
		c, size, space := t[i], 1, false
		if c < utf8.RuneSelf {
			space = c == ' ' || '\t' <= c && c <= '\r'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(t[i:])
			space = unicode.IsSpace(r)
		}
		switch {
		case space:
			gap = len(b) > 0
		case gap:
			b = append(b, ' ')
			gap = false
			fallthrough
		default:
			b = append(b, t[i:i+size]...)
		}
		i += size
	}
	return b
}

type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL
}

type sitemapURL struct {
	XMLName xml.Name `xml:"url"`
	Loc     string   `xml:"loc"`
	LastMod string   `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapRef `xml:"sitemap"`
}

type sitemapRef struct {
	Loc string `xml:"loc"`
}

// inSitemap says whether the page at output path p is listed in the
// sitemap: every HTML page at its folder URL, except the 404 page.
func inSitemap(p string, rt route) bool {
	return strings.HasSuffix(p, "index.html") && rt.kind != "404"
}

// addSitemaps adds the sitemap routes to r, which holds every HTML page
// already. Without base_url there is none: a sitemap's <loc> must be an
// absolute URL (BuildNotes says so). With it, sitemap.xml lists the pages
// or, past the limits of one file (sitemapParts), is an index of
// sitemap-1.xml … sitemap-N.xml. The split depends only on the number of
// pages and their longest path, not on the map's order.
func (s *Set) addSitemaps(r map[string]route) {
	if s.Config.BaseURL == "" {
		return
	}
	n, longest := 0, 0
	for p, rt := range r {
		if inSitemap(p, rt) {
			n++
			longest = max(longest, len(p))
		}
	}
	parts := sitemapParts(n, len(s.Config.BaseURL)+longest)
	r["sitemap.xml"] = route{kind: "sitemap", page: parts}
	if parts > 1 {
		for i := 1; i <= parts; i++ {
			r[sitemapName(i)] = route{kind: "sitemap", page: i, file: sitemapName(i)}
		}
	}
}

func sitemapName(part int) string { return "sitemap-" + itoa(part) + ".xml" }

// sitemapParts is how many sitemap files n pages need when the longest
// URL has maxLoc bytes before escaping: 1, or enough that each part of an
// even split stays within sitemapMaxURLs entries and sitemapMaxBytes
// (counting every URL as the longest, each byte of it escaped to at most
// five: "&" is "&amp;").
func sitemapParts(n, maxLoc int) int {
	per := min(sitemapMaxURLs, (sitemapMaxBytes-sitemapHeadBytes)/(5*maxLoc+sitemapEntryBytes))
	if n <= per {
		return 1
	}
	return (n + per - 1) / per
}

// sitemap renders sitemap.xml.
func (s *Set) sitemap() ([]byte, error) { return s.sitemapFile(s.routes["sitemap.xml"]) }

// sitemapFile renders a sitemap route: on sitemap.xml, rt.page is the
// number of parts (one: the list of pages itself; more: the index of the
// parts); on sitemap-N.xml (rt.file), the part's number. Every HTML page is listed at
// its canonical folder URL, absolute; a URL longer than the 2,048
// characters a sitemap allows is left out.
func (s *Set) sitemapFile(rt route) ([]byte, error) {
	var v any
	if p := rt.page; p > 1 && rt.file == "" {
		idx := sitemapIndex{}
		for i := 1; i <= p; i++ {
			idx.Sitemaps = append(idx.Sitemaps, sitemapRef{Loc: s.absURL(sitemapName(i))})
		}
		v = idx
	} else {
		var pages []string
		for _, p := range s.paths {
			if inSitemap(p, s.routes[p]) {
				pages = append(pages, p)
			}
		}
		if parts := s.routes["sitemap.xml"].page; parts > 1 {
			// Part i of an even split, as sitemapParts counted.
			per := (len(pages) + parts - 1) / parts
			lo := min(len(pages), (rt.page-1)*per)
			pages = pages[lo:min(len(pages), lo+per)]
		}
		u := urlset{URLs: make([]sitemapURL, 0, len(pages))}
		for _, p := range pages {
			e := sitemapURL{Loc: s.absURL(strings.TrimSuffix(p, "index.html"))}
			if len(e.Loc) > sitemapMaxLoc {
				continue
			}
			if q := s.routes[p].p; q != nil {
				e.LastMod = s.updated(q).UTC().Format("2006-01-02")
			}
			u.URLs = append(u.URLs, e)
		}
		v = u
	}
	out, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

// APIPostmortem is one entry of api/postmortems.json.
type APIPostmortem struct {
	ID               string      `json:"id"`
	Title            string      `json:"title"`
	URL              string      `json:"url"`
	Severity         string      `json:"severity"`
	Status           string      `json:"status"`
	Category         string      `json:"category"`
	Drill            bool        `json:"drill"`
	NearMiss         bool        `json:"near_miss"`
	Started          *time.Time  `json:"started,omitempty"`
	Detected         *time.Time  `json:"detected,omitempty"`
	Contained        *time.Time  `json:"contained,omitempty"`
	Resolved         *time.Time  `json:"resolved,omitempty"`
	RootCauses       []string    `json:"root_causes"`
	Systems          []string    `json:"systems"`
	DataInvolved     []string    `json:"data_involved,omitempty"`
	Detection        string      `json:"detection,omitempty"`
	AttackTechniques []string    `json:"attack_techniques,omitempty"`
	Impact           *APIImpact  `json:"impact,omitempty"`
	Actions          []APIAction `json:"actions"`
	Authors          []string    `json:"authors,omitempty"`
	Related          []string    `json:"related,omitempty"`
	Visibility       string      `json:"visibility,omitempty"`
	Tags             []string    `json:"tags,omitempty"`
	RecurrenceOf     string      `json:"recurrence_of,omitempty"`
}

// APIImpact is the impact map in api/postmortems.json.
type APIImpact struct {
	UsersAffected   *int64   `json:"users_affected,omitempty"`
	RecordsExposed  *int64   `json:"records_exposed,omitempty"`
	DowntimeMinutes *int64   `json:"downtime_minutes,omitempty"`
	CostUSD         *float64 `json:"cost_usd,omitempty"`
	Reputation      string   `json:"reputation,omitempty"`
}

// APIAction is a corrective action in api/postmortems.json.
type APIAction struct {
	Title    string `json:"title"`
	Owner    string `json:"owner,omitempty"`
	Priority string `json:"priority,omitempty"`
	Due      string `json:"due,omitempty"`
	Status   string `json:"status"`
	Ticket   string `json:"ticket,omitempty"`
	DoneOn   string `json:"done_on,omitempty"`
	Overdue  bool   `json:"overdue"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func dateStr(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// apiJSON renders api/postmortems.json: {"postmortems":[…]} newest first,
// each entry written by encoding/json (its error names the file).
func (s *Set) apiJSON() ([]byte, error) {
	b := make([]byte, 0, 1400*len(s.Postmortems)+64)
	b = append(b, `{"postmortems":[`...)
	for i, p := range s.Postmortems {
		if i > 0 {
			b = append(b, ',')
		}
		q, err := json.Marshal(s.apiPostmortem(p))
		if err != nil {
			return nil, fmt.Errorf("api/postmortems.json: %s: %w", p.Path, err)
		}
		b = append(b, q...)
	}
	return append(b, "]}\n"...), nil
}

// apiPostmortem is p's entry in api/postmortems.json.
func (s *Set) apiPostmortem(p *postmortem.Postmortem) APIPostmortem {
	a := APIPostmortem{ID: p.ID, Title: p.Title, URL: escapePath(p.URL()), Severity: p.Severity, Status: p.Status,
		Category: p.Category, Drill: p.Drill, NearMiss: p.NearMiss,
		Started: timePtr(p.Started), Detected: timePtr(p.Detected), Contained: timePtr(p.Contained), Resolved: timePtr(p.Resolved),
		RootCauses: nonNil(p.RootCauses), Systems: nonNil(p.Systems), DataInvolved: p.DataInvolved, Detection: p.Detection,
		AttackTechniques: p.AttackTechniques, Authors: p.Authors, Related: p.Related, Visibility: p.Visibility, Tags: p.Tags,
		Actions: make([]APIAction, 0, len(p.Actions))}
	im := p.Impact
	if im.UsersAffected != nil || im.RecordsExposed != nil || im.DowntimeMinutes != nil || im.CostUSD != nil || im.Reputation != "" {
		a.Impact = &APIImpact{UsersAffected: im.UsersAffected, RecordsExposed: im.RecordsExposed,
			DowntimeMinutes: im.DowntimeMinutes, CostUSD: im.CostUSD, Reputation: im.Reputation}
	}
	for _, x := range p.Actions {
		a.Actions = append(a.Actions, APIAction{Title: x.Title, Owner: x.Owner, Priority: x.Priority, Due: dateStr(x.Due),
			Status: x.Status, Ticket: x.Ticket, DoneOn: dateStr(x.DoneOn), Overdue: x.Overdue(s.now, s.loc)})
	}
	if r := s.Graph.RecurrenceOf(p); r != nil {
		a.RecurrenceOf = r.Earlier.ID
	}
	return a
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
