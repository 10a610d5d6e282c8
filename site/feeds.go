package site

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// FeedSize is how many postmortems the Atom feed holds.
const FeedSize = 50

// absURL makes a site-relative folder URL absolute with base_url, or
// leaves it relative when base_url is unset. The path's segments are
// percent-encoded (see escapePath).
func (s *Site) absURL(u string) string { return s.Config.BaseURL + escapePath(u) }

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

// atom renders index.xml: the newest postmortems. Ids are tag URIs so they
// stay stable when base_url changes.
func (s *Site) atom() ([]byte, error) {
	f := atomFeed{Title: s.Config.Title, ID: s.absURL("") + "index.xml"}
	if s.Config.BaseURL == "" {
		f.ID = "urn:hindsight:" + strings.ToLower(strings.ReplaceAll(s.Config.Title, " ", "-"))
	}
	f.Links = []atomLink{{Href: s.absURL("index.xml"), Rel: "self", Type: "application/atom+xml"}, {Href: s.absURL("")}}
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
			ID:      s.absURL(p.URL()),
			Updated: upd.UTC().Format(time.RFC3339),
			Link:    atomLink{Href: s.absURL(p.URL())},
			Summary: summary(p, 600),
		}
		if s.Config.BaseURL == "" {
			e.ID = "urn:hindsight:postmortem:" + url.PathEscape(p.URLID())
		}
		if !p.Started.IsZero() {
			e.Published = p.Started.UTC().Format(time.RFC3339)
		}
		e.Categories = append(e.Categories, atomCateg{Term: p.Category})
		for _, c := range p.RootCauses {
			e.Categories = append(e.Categories, atomCateg{Term: c})
		}
		if len(p.Authors) > 0 {
			e.Author = &atomAuthor{Name: strings.Join(p.Authors, ", ")}
		} else {
			e.Author = &atomAuthor{Name: s.Config.Title}
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

// updated is a postmortem's last change: git's date, else resolved, else
// started.
func (s *Site) updated(p *postmortem.Postmortem) time.Time {
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

// summary returns the first section's text (the Summary), cut at n bytes
// on a word boundary.
func summary(p *postmortem.Postmortem, n int) string {
	t := ""
	if len(p.Body.Sections) > 0 {
		t = p.Body.Sections[0].Text
	}
	t = strings.Join(strings.Fields(t), " ")
	if len(t) > n {
		cut := strings.LastIndexByte(t[:n], ' ')
		if cut < n/2 {
			cut = n
		}
		t = strings.TrimRight(t[:cut], " ,.;:") + "…"
	}
	return t
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

// sitemap renders sitemap.xml: every HTML page at its canonical folder
// URL (absolute with base_url; relative without, which crawlers ignore —
// set base_url for a useful sitemap).
func (s *Site) sitemap() ([]byte, error) {
	var u urlset
	for _, p := range s.paths {
		rt := s.routes[p]
		if !strings.HasSuffix(p, "index.html") || rt.kind == "404" {
			continue
		}
		e := sitemapURL{Loc: s.absURL(strings.TrimSuffix(p, "index.html"))}
		if rt.p != nil {
			e.LastMod = s.updated(rt.p).UTC().Format("2006-01-02")
		}
		u.URLs = append(u.URLs, e)
	}
	out, err := xml.MarshalIndent(u, "", "  ")
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
func (s *Site) apiJSON() ([]byte, error) {
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
func (s *Site) apiPostmortem(p *postmortem.Postmortem) APIPostmortem {
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
