package serve

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// testNow is the fixed clock of the site tests.
var testNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// pm returns a valid postmortem with the given title and summary.
func pm(title, summary string) string {
	return `---
title: ` + title + `
severity: SEV2
status: published
category: outage
started: 2025-03-14T09:00:00Z
detected: 2025-03-14T09:10:00Z
resolved: 2025-03-14T10:00:00Z
root_causes: [expired-certificate]
systems: [edge-proxy]
authors: [ann]
actions:
  - {title: Automate renewal, owner: team-edge, priority: P1, due: 2025-04-01, status: done, done_on: 2025-03-30}
---

## Summary

` + summary + `

## Timeline

- 2025-03-14 09:00 UTC — Certificate expired.
- 09:10 — Alert fired.

## Root Cause Analysis

Renewal was manual.

## Impact Assessment

Partners could not connect.

## Corrective Actions

Automate renewal.

## Communication

Status page updated.
`
}

// fixtureKB is a tiny knowledge base for the tests that build the real
// site.
func fixtureKB() map[string]string {
	return map[string]string{
		"hindsight.yaml":                "title: Test KB\n",
		"content/about.md":              "---\ntitle: About\n---\n\nAbout this KB.\n",
		"content/postmortems/2025/a.md": pm("Alpha outage", "The alpha certificate expired."),
		"content/postmortems/2025/b.md": pm("Beta outage", "Beta broke too. See [alpha](a.md)."),
	}
}

// siteHarness runs the real site behind a Server with Watch.
type siteHarness struct {
	*harness
}

func startSite(t *testing.T, files map[string]string) *siteHarness {
	t.Helper()
	root := writeKB(t, files)
	log := &syncBuffer{}
	opts := site.Options{Root: root, Now: testNow, NoGit: true, Drafts: true, LiveReload: true, Workers: 2}
	ss := NewSiteSearch(opts, log)
	t.Cleanup(func() { ss.Close() })
	return &siteHarness{runHarness(t, Options{Root: root, Builder: SiteBuilder(opts), Log: log, API: ss.API(), Search: ss.Page, OnSnapshot: ss.Index})}
}

func TestSiteLiveUpdates(t *testing.T) {
	h := startSite(t, fixtureKB())
	ev := h.events()
	if e := next(t, ev, 3*time.Second); e.Kind != "hello" {
		t.Fatalf("first event %+v", e)
	}
	code, body := h.get("/postmortems/a/index.html")
	if code != 200 || !strings.Contains(body, "Alpha outage") {
		t.Fatalf("a: %d %.200q", code, body)
	}
	if !strings.Contains(body, `livereload.js`) {
		t.Errorf("the page does not load the live reload script")
	}
	type want struct {
		path     string
		code     int
		contains string
	}
	steps := []struct {
		name     string
		do       func()
		problems []string // rules expected in the overlay
		checks   []want
	}{
		{"edit title", func() {
			kbtest.WriteFile(t, h.root, "content/postmortems/2025/a.md", pm("Alpha outage, revised", "The alpha certificate expired."))
		}, nil, []want{
			{"/postmortems/a/index.html", 200, "Alpha outage, revised"},
			{"/postmortems/index.html", 200, "Alpha outage, revised"},
			{"/postmortems/b/index.html", 200, "Beta outage"},
		}},
		{"add", func() {
			kbtest.WriteFile(t, h.root, "content/postmortems/2025/c.md", pm("Gamma outage", "Gamma."))
		}, nil, []want{{"/postmortems/c/index.html", 200, "Gamma outage"}, {"/postmortems/index.html", 200, "Gamma outage"}}},
		{"rename", func() {
			os.Rename(filepath.Join(h.root, "content/postmortems/2025/c.md"), filepath.Join(h.root, "content/postmortems/2025/c2.md"))
		}, nil, []want{{"/postmortems/c/index.html", 404, ""}, {"/postmortems/c2/index.html", 200, "Gamma outage"}}},
		{"delete", func() { os.Remove(filepath.Join(h.root, "content/postmortems/2025/c2.md")) },
			nil, []want{{"/postmortems/c2/index.html", 404, ""}}},
		{"break", func() {
			kbtest.WriteFile(t, h.root, "content/postmortems/2025/a.md", "---\ntitle: [Alpha\n---\n\n## Summary\n")
		}, []string{"frontmatter-syntax"}, []want{
			{"/postmortems/a/index.html", 200, "Alpha outage, revised"}, // the last good version
			{"/postmortems/b/index.html", 200, "Beta outage"},
		}},
		{"error in a readable file", func() {
			kbtest.WriteFile(t, h.root, "content/postmortems/2025/b.md", strings.Replace(pm("Beta outage", "Beta."), "severity: SEV2", "severity: SEV9", 1))
		}, []string{"frontmatter-syntax", "invalid-value"}, []want{{"/postmortems/b/index.html", 200, "Beta outage"}}},
		{"fix both", func() {
			kbtest.WriteFile(t, h.root, "content/postmortems/2025/a.md", pm("Alpha fixed", "Fixed."))
			kbtest.WriteFile(t, h.root, "content/postmortems/2025/b.md", pm("Beta outage", "Beta."))
		}, nil, []want{{"/postmortems/a/index.html", 200, "Alpha fixed"}}},
		{"config", func() { kbtest.WriteFile(t, h.root, "hindsight.yaml", "title: Renamed KB\n") },
			nil, []want{{"/index.html", 200, "Renamed KB"}}},
		{"theme override", func() {
			kbtest.WriteFile(t, h.root, "themes/default/static/style.css", "body { color: rebeccapurple }\n")
		}, nil, []want{{"/assets/style.css", 200, "rebeccapurple"}}},
	}
	for _, st := range steps {
		t.Logf("step %s", st.name)
		st.do()
		var e Event
		for deadline := time.Now().Add(10 * time.Second); ; {
			e = next(t, ev, time.Until(deadline))
			// A multi-file step may give two rebuilds; wait for the
			// state the step leads to.
			if sameRules(e.Problems, st.problems) {
				break
			}
			t.Logf("%s: event %+v", st.name, e)
		}
		if e.Kind != "reload" && e.Kind != "css" {
			t.Errorf("%s: event %+v", st.name, e)
		}
		if len(st.problems) > 0 && !h.log.waitFor("frontmatter-syntax") {
			t.Errorf("%s: the terminal does not show the diagnostic:\n%s", st.name, h.log.String())
		}
		for _, w := range st.checks {
			code, body := h.get(w.path)
			if code != w.code || !strings.Contains(body, w.contains) {
				t.Errorf("%s: GET %s = %d (want %d), body has %q: %v", st.name, w.path, code, w.code, w.contains, strings.Contains(body, w.contains))
			}
		}
	}
	if e := next(t, h.events(), 3*time.Second); len(e.Problems) != 0 {
		t.Errorf("problems after the fix: %+v", e.Problems)
	}
}

func TestSiteSearch(t *testing.T) {
	h := startSite(t, fixtureKB())
	deadline := time.Now().Add(10 * time.Second)
	var body string
	for time.Now().Before(deadline) {
		var code int
		code, body = h.get("/api/search?q=alpha")
		if code == 200 && strings.Contains(body, `"total":`) && !strings.Contains(body, `"total":0`) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(body, `"id":"a"`) {
		t.Fatalf("/api/search?q=alpha: %s", body)
	}
	code, page := h.get("/search/?q=alpha")
	if code != 200 || !strings.Contains(page, `data-server-rendered`) || !strings.Contains(page, `href="../postmortems/a/index.html"`) {
		t.Errorf("/search/?q=alpha: %d\n%s", code, page)
	}
	code, page = h.get("/search/?q=" + "cause:%22")
	if code != http.StatusBadRequest || !strings.Contains(page, "search-error") {
		t.Errorf("bad query: %d", code)
	}
	if code, page := h.get("/search/?q=%3Cscript%3E"); code != 200 || strings.Contains(page, "<script>alert") || strings.Contains(page, `value="<script>"`) {
		t.Errorf("query is not escaped: %d", code)
	}
	// An edit is indexed after the rebuild (from the file: serve holds
	// no documents), its snippet read from the new file; a removed file
	// leaves the index.
	kbtest.WriteFile(t, h.root, "content/postmortems/2025/a.md", pm("Alpha outage", "The zanzibar certificate expired."))
	if body := waitSearch(t, h, "zanzibar", `"total":1`); !strings.Contains(body, `\u003cmark\u003ezanzibar\u003c/mark\u003e`) {
		t.Errorf("/api/search?q=zanzibar: no snippet of the new text: %s", body)
	}
	if err := os.Remove(filepath.Join(h.root, "content/postmortems/2025/a.md")); err != nil {
		t.Fatal(err)
	}
	waitSearch(t, h, "zanzibar", `"total":0`)
}

// waitSearch asks /api/search?q=q until its answer holds want (for 10
// s) and returns the last answer.
func waitSearch(t *testing.T, h *siteHarness, q, want string) string {
	t.Helper()
	var body string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, body = h.get("/api/search?q=" + q); strings.Contains(body, want) {
			return body
		}
	}
	t.Fatalf("/api/search?q=%s: no %s in %s", q, want, body)
	return body
}

// sameRules reports whether the problems have exactly the rules listed
// (each at least once).
func sameRules(ps []Problem, rules []string) bool {
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.Rule] = true
	}
	for _, r := range rules {
		if !seen[r] {
			return false
		}
	}
	return len(ps) == 0 == (len(rules) == 0)
}

func TestSiteNotFoundPage(t *testing.T) {
	h := startSite(t, fixtureKB())
	code, body := h.get("/causes/nope/deeper/")
	if code != http.StatusNotFound {
		t.Fatalf("miss: %d", code)
	}
	// The 404 page's links are relative to where it was asked for.
	if !strings.Contains(body, `href="../../../`) {
		t.Errorf("404 page links are not relative to the request path:\n%.600s", body)
	}
}
