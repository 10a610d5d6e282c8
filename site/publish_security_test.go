package site

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"github.com/hindsight-kb/hindsight/site/page"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/search"
)

// securityKB is a knowledge base whose public postmortem points at an
// internal one and at a draft (related, body links, shared cause and
// system, similar text) and holds internal sections at several heading
// levels. Nothing matching securityCanary may reach a public build.
const securityKB = `
-- hindsight.yaml --
title: Leak Tests
base_url: https://kb.example.com/
internal_sections: [Internal Notes, Vendor Contacts]
-- content/about.md --
---
title: About
---

How we write postmortems; the [bucket case](postmortems/inside.md#timeline) is a good model.

### Internal Notes

zzsecret-page-note the reviewers' rota.

## Contact

The security team.
-- content/postmortems/open-door.md --
---
id: open-door
title: Door left open on the storage bucket
severity: SEV2
status: published
category: misconfiguration
visibility: public
started: 2025-06-01T10:00:00Z
detected: 2025-06-01T11:00:00Z
resolved: 2025-06-01T12:00:00Z
root_causes: [bucket-policy]
systems: [object-store]
authors: [erin]
related: [zzhidden-inside, zzhidden-unfinished]
actions:
  - {title: Lock the bucket policy, owner: erin, priority: P1, due: 2025-07-01, status: open}
---

## Summary

The storage bucket policy allowed anonymous listing of the reports folder.
See the [earlier case](inside.md) for background.

### Internal Notes

zzsecret-summary-note the first sections feed the Atom summary.

## Timeline

- 2025-06-01 10:00 UTC — Policy changed.
- 11:00 — Scanner flagged the bucket.

### Internal Notes

zzsecret-timeline-note the on-call phone is in the vault.

## Root Cause Analysis

The bucket policy was edited by hand during a migration.

### Internal Notes

zzsecret-h3-note the migration script lives on a private host, see the [vendor log](zzsecret-vendor.txt).

#### Deeper detail

zzsecret-h4-under-h3 still internal, it sits under the internal H3.

### What we changed

The policy now comes from code review only.

## Impact Assessment

Reports were listable for two hours.

##### Vendor Contacts

zzsecret-h5-note call the storage vendor hotline.

## Corrective Actions

Lock the policy.

> ### Internal Notes
>
> zzsecret-quoted-note the approver's name.

- Review the other buckets.
  #### Internal Notes
  zzsecret-listed-note the bucket list.

## Communication

Status page entry.

## Follow-up of [the next case](unfinished.md)

Reviewed.
-- content/postmortems/zzsecret-vendor.txt --
zzsecret-attachment the vendor's answer.
-- content/postmortems/inside.md --
---
id: zzhidden-inside
title: zzhidden-title bucket policy opened by hand
severity: SEV3
status: published
category: misconfiguration
visibility: internal
started: 2025-02-01T10:00:00Z
detected: 2025-02-01T11:00:00Z
resolved: 2025-02-01T12:00:00Z
root_causes: [bucket-policy]
systems: [object-store]
authors: [frank]
related: [open-door]
actions:
  - {title: Review bucket policies, owner: frank, priority: P2, due: 2025-03-01, status: done, done_on: 2025-02-20}
---

## Summary

The storage bucket policy allowed anonymous listing of the reports folder.

## Timeline

- 2025-02-01 10:00 UTC — Policy changed.

## Root Cause Analysis

The bucket policy was edited by hand during a migration.

## Impact Assessment

Reports were listable.

## Corrective Actions

Review policies.

## Communication

None.
-- content/postmortems/unfinished.md --
---
id: zzhidden-unfinished
title: zzhidden-draft bucket policy again
severity: SEV3
status: draft
category: misconfiguration
visibility: public
started: 2025-03-01T10:00:00Z
detected: 2025-03-01T11:00:00Z
root_causes: [bucket-policy]
systems: [object-store]
authors: [gina]
related: [open-door]
---

## Summary

The storage bucket policy allowed anonymous listing of the reports folder.
`

// securityCanary matches what securityKB keeps internal (search terms are
// lower-cased).
var securityCanary = regexp.MustCompile(`(?i)zzhidden|zzsecret`)

// assertNoCanary greps every byte of every file under out.
func assertNoCanary(t *testing.T, out string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if securityCanary.MatchString(rel) {
			t.Errorf("%s: the file name leaks", rel)
		}
		for _, m := range securityCanary.FindAllIndex(b, -1) {
			lo, hi := max(m[0]-60, 0), min(m[1]+60, len(b))
			t.Errorf("%s leaks %q", rel, b[lo:hi])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSecurityPublicBuildLeaksNothingInternal builds securityKB for the
// public audience (one-shot, lean one-shot, and as serve loads it) and
// greps every output for the internal postmortems' ids and titles and for
// the internal sections' text, at every heading level.
func TestSecurityPublicBuildLeaksNothingInternal(t *testing.T) {
	root := extract(t, []byte(securityKB))
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"build", Options{Audience: Public}},
		{"lean", Options{Audience: Public, Lean: true}},
		{"serve", Options{Audience: Public, NoStaticSearch: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, out := build(t, root, tc.opts)
			if len(s.Postmortems) != 1 {
				t.Fatalf("public postmortems = %d, want 1", len(s.Postmortems))
			}
			if n := assertNoCanary(t, out); n < 15 {
				t.Errorf("only %d files written", n)
			}
			page := readOut(t, out, "postmortems/open-door/index.html")
			for _, want := range []string{"What we changed", "The policy now comes from code review only.",
				"Reports were listable for two hours.", "Scanner flagged the bucket."} {
				if !strings.Contains(page, want) {
					t.Errorf("public page lost %q", want)
				}
			}
			if strings.Contains(page, "Deeper detail") {
				t.Error("public page keeps a heading below an internal section")
			}
			if !tc.opts.NoStaticSearch {
				// The public text is still searchable.
				var all strings.Builder
				filepath.WalkDir(filepath.Join(out, "search"), func(p string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() {
						b, _ := os.ReadFile(p)
						all.Write(b)
					}
					return nil
				})
				if !strings.Contains(all.String(), `"scanner"`) {
					t.Error("search index lacks the public text")
				}
			}
		})
	}
}

// TestSecurityPublicUpdateLeaksNothingInternal is the serve side: a
// public site updated after an edit renders no internal text on any page.
func TestSecurityPublicUpdateLeaksNothingInternal(t *testing.T) {
	root := extract(t, []byte(securityKB))
	s, _ := build(t, root, Options{Audience: Public, NoStaticSearch: true})
	p := filepath.Join(root, "content/postmortems/open-door.md")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), "Lock the policy.", "Lock the policy now.", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	ns, err := s.Update(context.Background(), []string{p})
	if err != nil {
		t.Fatal(err)
	}
	for _, pg := range ns.Pages() {
		body, _, err := ns.Render(pg)
		if err != nil {
			t.Fatalf("%s: %v", pg, err)
		}
		for _, m := range securityCanary.FindAllIndex(body, -1) {
			lo, hi := max(m[0]-60, 0), min(m[1]+60, len(body))
			t.Errorf("%s leaks %q", pg, body[lo:hi])
		}
	}
}

// TestSecurityPublicSearchDocsLeakNothingInternal makes the search
// documents as serve's server-side search makes them for the public
// audience (from every postmortem read, with the public options): none
// holds the text of an internal section, whatever its heading level.
func TestSecurityPublicSearchDocsLeakNothingInternal(t *testing.T) {
	root := extract(t, []byte(securityKB))
	s, _ := build(t, root, Options{Audience: Public, NoStaticSearch: true})
	o := search.DocOptionsFor(s.Config, true, false)
	n := 0
	for _, p := range s.KB.Postmortems {
		d, ok := search.NewDoc(p, o)
		if !ok {
			continue
		}
		n++
		for _, f := range []string{d.ID, d.Title, d.Body, d.Summary, d.Keywords} {
			if m := securityCanary.FindString(f); m != "" {
				t.Errorf("%s: document leaks %q", p.Path, m)
			}
		}
		if !strings.Contains(d.Body, "code review only") {
			t.Errorf("%s: document lost the public text", p.Path)
		}
	}
	if n != 1 {
		t.Errorf("%d public documents, want 1", n)
	}
}

// TestSecurityFeedURLsEscaped gives a postmortem an id with a space, a
// "#" and a "?" (the parser refuses such ids; the feeds must not rely on
// it): the sitemap, the Atom feed and the API JSON must name its page
// with its path percent-encoded, so the URL neither breaks nor points
// elsewhere (a fragment or a query).
func TestSecurityFeedURLsEscaped(t *testing.T) {
	const id = "disk full #2?x=1"
	root := extract(t, []byte(securityKB))
	for _, aud := range []string{Internal, Public} {
		s, _ := build(t, root, Options{Audience: aud})
		p := s.Graph.Get("open-door")
		if p == nil {
			t.Fatal("no open-door postmortem")
		}
		p.ID = id
		ps, err := page.New(s.pages.Input) // the routes again, with the new id
		if err != nil {
			t.Fatal(err)
		}
		s.pages = ps
		want := "/postmortems/" + id + "/"
		check := func(file, raw string) {
			t.Helper()
			u, err := url.Parse(raw)
			if err != nil {
				t.Errorf("%s: %s: %q does not parse: %v", aud, file, raw, err)
				return
			}
			if u.Host != "kb.example.com" || u.Path != want || u.Fragment != "" || u.RawQuery != "" {
				t.Errorf("%s: %s: %q is path %q query %q fragment %q, want path %q", aud, file, raw, u.Path, u.RawQuery, u.Fragment, want)
			}
		}
		found := 0
		b, _, err := s.Render("sitemap.xml")
		if err != nil {
			t.Fatal(err)
		}
		var sm struct {
			URLs []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal(b, &sm); err != nil {
			t.Fatal(err)
		}
		for _, u := range sm.URLs {
			if strings.Contains(u.Loc, "postmortems/disk") {
				check("sitemap.xml", u.Loc)
				found++
			}
		}
		if b, _, err = s.Render("index.xml"); err != nil {
			t.Fatal(err)
		}
		var feed struct {
			Entries []struct {
				ID   string `xml:"id"`
				Link struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(b, &feed); err != nil {
			t.Fatal(err)
		}
		for _, e := range feed.Entries {
			if strings.Contains(e.Link.Href, "postmortems/disk") {
				check("index.xml id", e.ID)
				check("index.xml link", e.Link.Href)
				found++
			}
		}
		if b, _, err = s.Render("api/postmortems.json"); err != nil {
			t.Fatal(err)
		}
		var api struct {
			Postmortems []struct {
				URL string `json:"url"`
			} `json:"postmortems"`
		}
		if err := json.Unmarshal(b, &api); err != nil {
			t.Fatal(err)
		}
		for _, p := range api.Postmortems {
			if strings.Contains(p.URL, "postmortems/disk") {
				check("api/postmortems.json", "https://kb.example.com/"+p.URL)
				found++
			}
		}
		if found != 3 {
			t.Errorf("%s: found the postmortem %d times, want 3", aud, found)
		}
	}
}
