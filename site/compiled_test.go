package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// restOfBody is the sections after the summary of the tricky KB's
// plain postmortems.
const restOfBody = `## Timeline

- 10:00 — Start.

## Root Cause Analysis

Same.

## Impact Assessment

None.

## Corrective Actions

None.

## Lessons Learned

None.
`

// trickyKB has values that exercise every escaping context of the
// postmortem layout: markup and quotes in titles and terms, unsafe and
// unusual URLs in tickets and repo_url, non-ASCII headings, impact
// figures, a recurrence, drills, near misses, overdue actions, drafts.
const trickyKB = `
-- hindsight.yaml --
title: Tricky <KB> & "friends" + 'more'
timezone: Europe/Berlin
repo_url: https://git.example.com/a b/"kb"?x=1&y=<2>
-- content/postmortems/a.md --
---
id: 2023-a
title: First <b>"bold"</b> & 'quoted' + plus
severity: SEV1
status: published
category: outage
started: 2023-01-10T10:00:00Z
detected: 2023-01-10T10:05:00Z
resolved: 2023-01-12T11:00:00Z
root_causes: [expired-certificate, "dns-<x>"]
systems: [edge-proxy]
data_involved: [pii]
attack_techniques: [T1566.001]
detection: customer-report
tags: [a<b, "c&d"]
authors: [Zoë O'Brien, "<Mallory>"]
impact: {users_affected: 0, records_exposed: 1234567, downtime_minutes: 1500, cost_usd: 0.5, reputation: "bad <press> & worse"}
actions:
  - {title: "Fix <it> & \"now\"", owner: "O'Neil", priority: P1, due: 2023-02-01, status: done, done_on: 2023-01-20, ticket: "httpz:alert(1)"}
  - {title: Later, owner: team, priority: P3, due: 2023-03-01, status: open, ticket: "https://tickets.example.com/a b?q=1&r=\"2\""}
  - {title: Ticket id, owner: team, priority: p2, due: 2099-03-01, status: in-progress, ticket: "JIRA-<12>"}
---

## Summary

Ünïcödé heading text <script>alert(1)</script>.

## Timeline

- 2023-01-10 10:00 — Start.

## Root Cause Analysis

Why.

## Ärger & "Ürsachen" + mehr

Text.

## Impact Assessment

Some.

## Corrective Actions

Tracker.

## Lessons Learned

Learn.
-- content/postmortems/b.md --
---
id: 2023-B
title: Second & recurrence
severity: SEV2
status: published
category: security
started: 2023-06-10T10:00:00Z
detected: 2023-06-10T10:05:00Z
contained: 2023-06-10T11:05:00Z
root_causes: [expired-certificate]
systems: [edge-proxy]
related: [2023-a]
actions:
  - {title: Overdue one, owner: x, priority: P2, due: 2023-07-01, status: open}
---

## Summary

See [the first](a.md).

` + restOfBody + `-- content/postmortems/c.md --
---
id: 2023-c
title: Third, a drill
severity: SEV3
status: draft
category: security
drill: true
near_miss: true
started: 2023-08-10T10:00:00Z
detected: 2023-08-10T10:05:00Z
root_causes: [expired-certificate]
systems: [edge-proxy]
---

## Summary

Drill.

` + restOfBody

// TestCompiledSame renders every page of several KBs, for both
// audiences and with and without drafts, with the Go twins of
// compiled.go and with the templates alone, and requires the same bytes.
func TestCompiledSame(t *testing.T) {
	gen := t.TempDir()
	if err := kbgen.Generate(gen, kbgen.Options{N: 120, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	tricky := extract(t, []byte(trickyKB))
	roots := []string{gen, writeTxtar(t, fixtureKB), tricky}
	if _, err := os.Stat(filepath.Join("..", "content", "postmortems")); err == nil {
		roots = append(roots, "..")
	}
	for _, root := range roots {
		for _, opts := range []Options{{Audience: Internal}, {Audience: Public}, {Audience: Internal, Drafts: true}} {
			fast, fastOut := build(t, root, opts)
			if c := fast.pages.CompiledLayouts(); strings.Join(c, " ") != "postmortem pmrow pmitem refitem actionrow" {
				t.Fatalf("%s: the default theme does not use all its compiled layouts: %q", root, c)
			}
			opts.templatesOnly = true
			_, slowOut := build(t, root, opts)
			want, got := readTree(t, slowOut), readTree(t, fastOut)
			if len(want) != len(got) {
				t.Errorf("%s %+v: %d files with templates, %d with the compiled layouts", root, opts, len(want), len(got))
			}
			pages := 0
			for p, b := range want {
				if strings.HasPrefix(p, "postmortems/") && strings.HasSuffix(p, "/index.html") {
					pages++
				}
				if got[p] != b {
					t.Errorf("%s %+v: %s differs:\n%s", root, opts, p, firstDiff(b, got[p]))
				}
			}
			if pages == 0 {
				t.Fatalf("%s: no postmortem pages", root)
			}
		}
	}
	// The tricky KB really reaches the contexts it is for.
	_, out := build(t, tricky, Options{Drafts: true})
	page := readOut(t, out, "postmortems/2023-a/index.html")
	for _, want := range []string{`#ZgotmplZ`, `First &lt;b&gt;&#34;bold&#34;&lt;/b&gt; &amp; &#39;quoted&#39; &#43; plus`,
		`https://tickets.example.com/a%20b?q=1&amp;r=%222%22`, `<h2>Recurred later</h2>`, `Records exposed`} {
		if !strings.Contains(page, want) {
			t.Errorf("tricky page lacks %q", want)
		}
	}
}

// TestCompiledOverride: a KB that overrides a mirrored layout file gets
// its template, not the twin.
func TestCompiledOverride(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	item := `<li class="mine"><a href="{{link .Root .P.URL}}">{{.P.Title}}</a></li>`
	kbtest.WriteFile(t, root, "themes/default/layouts/partials/pmitem.html", item)
	s, out := build(t, root, Options{})
	if c := strings.Join(s.pages.CompiledLayouts(), " "); c != "pmrow refitem actionrow" {
		t.Errorf("an overridden pmitem.html must turn off the postmortem and pmitem twins only: %q", c)
	}
	if page := readOut(t, out, "postmortems/2024-cert-expiry/index.html"); !strings.Contains(page, `<li class="mine">`) {
		t.Error("the overriding pmitem.html was not used")
	}

	// An overridden action row: the actions page and the term pages use it.
	root = writeTxtar(t, fixtureKB)
	kbtest.WriteFile(t, root, "themes/default/layouts/partials/actionrow.html", `<tr class="my-row"><td>{{.R.Action.Title}}</td></tr>`)
	s, out = build(t, root, Options{})
	if c := strings.Join(s.pages.CompiledLayouts(), " "); c != "postmortem pmrow pmitem refitem" {
		t.Errorf("an overridden actionrow.html must turn off the action row twin only: %q", c)
	}
	if page := readOut(t, out, "actions/index.html"); !strings.Contains(page, `<tr class="my-row">`) {
		t.Error("the overriding actionrow.html was not used")
	}
}

// firstDiff shows where two pages part.
func firstDiff(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	lo := max(0, i-120)
	return "templates: …" + want[lo:min(len(want), i+120)] + "…\ncompiled:  …" + got[lo:min(len(got), i+120)] + "…"
}
