package search

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/search/internal/snippet"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Doc is what the search indexes of one postmortem. Build it with NewDoc
// or Docs, which apply the audience rules; callers may also fill it
// themselves.
type Doc struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Status   string `json:"status"`
	Category string `json:"category"`
	// Causes, Systems, Data and Techniques are the taxonomy values
	// (root_causes, systems, data_involved, attack_techniques).
	Causes     []string `json:"causes,omitempty"`
	Systems    []string `json:"systems,omitempty"`
	Data       []string `json:"data,omitempty"`
	Techniques []string `json:"techniques,omitempty"`
	// Keywords is extra searchable text: the id, tags, taxonomy slugs,
	// detection, category and corrective action titles.
	Keywords string `json:"keywords,omitempty"`
	// Started is the incident start, in the config timezone (its date
	// there is what after:/before: compare).
	Started time.Time `json:"started"`
	// Body is the searchable plain text of the Markdown body (internal
	// sections left out for a public audience).
	Body string `json:"body"`
	// Summary is a short excerpt (the first section's text) used by the
	// static search for result snippets.
	Summary string `json:"summary,omitempty"`
	// URL is the site-relative page URL, e.g. "postmortems/x/".
	URL string `json:"url"`
	// Path is the source file, relative to the KB root. It is not part of
	// the content hash (renaming a file does not re-index it).
	Path string `json:"-"`
}

// Day returns the local date of Started as YYYY-MM-DD (the value
// after:/before: compare).
func (d *Doc) Day() string {
	if d.Started.IsZero() {
		return ""
	}
	return d.Started.Format("2006-01-02")
}

// Hash returns a content hash of everything indexed from d (Path
// excluded).
func (d *Doc) Hash() string {
	h := sha256.New()
	buf := make([]byte, 4096)
	w := func(ss ...string) {
		for _, s := range ss {
			for len(s) > 0 { // no []byte(s): bodies are large
				n := copy(buf, s)
				h.Write(buf[:n])
				s = s[n:]
			}
			h.Write([]byte{0})
		}
		h.Write([]byte{1})
	}
	w(d.ID, d.Title, d.Severity, d.Status, d.Category, d.Keywords, d.Body, d.Summary, d.URL)
	w(d.Causes...)
	w(d.Systems...)
	w(d.Data...)
	w(d.Techniques...)
	if !d.Started.IsZero() {
		w(d.Started.Format(time.RFC3339Nano), d.Started.Location().String())
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// DocOptions say which postmortems and which parts of them are indexed.
type DocOptions struct {
	// Public is the public audience: only postmortems that are
	// visibility: public and status: published, without the sections
	// listed in InternalSections. (Internal fields such as authors,
	// action owners and cost are never indexed for any audience.)
	Public bool
	// Drafts includes drafts (ignored when Public).
	Drafts bool
	// InternalSections are heading titles (case-insensitive, any level)
	// whose sections are left out of a public index.
	InternalSections []string
	// Location is the timezone dates are read in; nil means UTC.
	Location *time.Location
}

// DocOptionsFor returns the options for cfg and an audience.
func DocOptionsFor(cfg *config.Config, public, drafts bool) DocOptions {
	o := DocOptions{Public: public, Drafts: drafts}
	if cfg != nil {
		o.InternalSections = cfg.InternalSections
		o.Location = cfg.Location
	}
	return o
}

// Docs builds the documents of ps allowed by o, in order.
func Docs(ps []*postmortem.Postmortem, o DocOptions) []Doc {
	out := make([]Doc, 0, len(ps))
	for _, p := range ps {
		if d, ok := NewDoc(p, o); ok {
			out = append(out, d)
		}
	}
	return out
}

// NewDoc builds the document of p, or reports false when o leaves p out
// (a draft, or internal for a public audience).
func NewDoc(p *postmortem.Postmortem, o DocOptions) (Doc, bool) {
	if p == nil || p.ID == "" {
		return Doc{}, false
	}
	if o.Public {
		if !p.IsPublic() {
			return Doc{}, false
		}
	} else if p.IsDraft() && !o.Drafts {
		return Doc{}, false
	}
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	d := Doc{
		ID:         p.ID,
		Title:      p.Title,
		Severity:   p.Severity,
		Status:     p.Status,
		Category:   p.Category,
		Causes:     p.RootCauses,
		Systems:    p.Systems,
		Data:       p.DataInvolved,
		Techniques: p.AttackTechniques,
		URL:        p.URL(),
		Path:       p.Path,
	}
	if !p.Started.IsZero() {
		d.Started = p.Started.In(loc)
	}
	kw := []string{p.ID} // found by a word query, whole and by parts
	kw = append(kw, p.Tags...)
	kw = append(kw, p.RootCauses...)
	kw = append(kw, p.Systems...)
	kw = append(kw, p.DataInvolved...)
	kw = append(kw, p.AttackTechniques...)
	if p.Detection != "" {
		kw = append(kw, p.Detection)
	}
	if p.Category != "" {
		kw = append(kw, p.Category)
	}
	for _, a := range p.Actions {
		kw = append(kw, a.Title)
	}
	d.Keywords = strings.Join(kw, "\n")
	var internal []string
	if o.Public {
		internal = o.InternalSections
	}
	d.Body, d.Summary = bodyText(&p.Body, internal)
	return d, true
}

// bodyText returns the body's text without the internal sections (at
// any heading level, see postmortem.Body.Without), and a summary: the
// first kept section's text, cut to about 300 characters.
func bodyText(b *postmortem.Body, internal []string) (text, summary string) {
	if len(internal) > 0 {
		kept := b.Without(func(title string) bool {
			for _, s := range internal {
				if config.NormalizeHeading(s) == config.NormalizeHeading(title) {
					return true
				}
			}
			return false
		})
		b = &kept
	}
	if len(b.Sections) == 0 {
		return b.Text, excerpt(b.Text, 300)
	}
	return b.Text, excerpt(b.Sections[0].Text, 300)
}

// excerpt returns s with its white space collapsed, shortened to at most
// about n bytes (see Shorten).
func excerpt(s string, n int) string { return snippet.Excerpt(s, n) }

// Shorten returns s cut to at most n bytes, at the last space of its
// second half when there is one (never inside a UTF-8 sequence), with
// " …" after it; s itself when it is short enough. A cut text that ends
// in " …" already gets no second one.
func Shorten(s string, n int) string { return snippet.Shorten(s, n) }
