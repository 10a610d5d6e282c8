package postmortem

import (
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/diag"
)

const sample = `---
title: Edge certificate expired
severity: SEV2
status: published
category: outage
started: 2025-03-14T09:00:00Z
detected: 2025-03-14 09:12
resolved: 2025-03-14T11:00:00Z
root_causes: [expired-certificate]
systems:
  - edge-proxy
impact:
  users_affected: 1200
  cost_usd: 3500.5
actions:
  - title: Monitor expiry
    owner: team-edge
    priority: P1
    due: 2025-04-01
    status: done
    done_on: 2025-03-30
root_cause: oops
---

## Summary

The certificate on the edge proxy <script>alert(1)</script> expired.

## Timeline

- 2025-03-14 09:12 UTC — Alert fired
- 09:40 — Rotated the certificate
- sometime — nothing

## Root Cause Analysis

See [the earlier one](../2023/old.md) and [x](javascript:alert(1)).

<!-- hindsight-ignore blame-language -->
It was human error.

` + "```text\nlog line\n```\n"

func TestParseSample(t *testing.T) {
	ps := NewParser(Options{})
	p := ps.ParseFrontMatter("content/postmortems/2025/edge.md", []byte(sample))
	ps.ParseBody(p, BodyOptions{RenderHTML: true, ResolveLink: func(d string) (string, bool) {
		if strings.HasSuffix(d, ".md") {
			return "../old/", true
		}
		return "", false
	}})
	if p.ID != "edge" || p.Title != "Edge certificate expired" || p.Severity != "SEV2" {
		t.Fatalf("fields: %+v", p)
	}
	if want := time.Date(2025, 3, 14, 9, 12, 0, 0, time.UTC); !p.Detected.Equal(want) {
		t.Errorf("detected = %v", p.Detected)
	}
	if got := p.Fields["systems[0]"]; got != (diag.Pos{Line: 11, Col: 5}) {
		t.Errorf("systems[0] at %v", got)
	}
	if got := p.Fields["actions[0].owner"]; got != (diag.Pos{Line: 17, Col: 12}) {
		t.Errorf("actions[0].owner at %v", got)
	}
	if len(p.Problems) != 1 || p.Problems[0].Rule != "unknown-field" || p.Problems[0].Pos.Line != 22 || !strings.Contains(p.Problems[0].Message, `"root_causes"`) {
		t.Errorf("problems: %v", p.Problems)
	}
	if *p.Impact.UsersAffected != 1200 || *p.Impact.CostUSD != 3500.5 {
		t.Errorf("impact %+v", p.Impact)
	}
	if len(p.Actions) != 1 || p.Actions[0].Status != "done" || p.Actions[0].Due.Format("2006-01-02") != "2025-04-01" {
		t.Errorf("actions %+v", p.Actions)
	}
	var titles []string
	for _, s := range p.Body.Sections {
		titles = append(titles, s.Title)
	}
	if strings.Join(titles, "|") != "Summary|Timeline|Root Cause Analysis" {
		t.Errorf("sections %v", titles)
	}
	if p.Body.Sections[0].Pos.Line != 25 {
		t.Errorf("summary at %v", p.Body.Sections[0].Pos)
	}
	tl := p.Body.Timeline
	if len(tl) != 3 || !tl[0].OK || !tl[1].OK || tl[2].OK || !tl[1].Inherited || tl[1].Time.Format("15:04") != "09:40" || tl[1].Pos.Line != 32 || tl[0].Text != "Alert fired" {
		t.Errorf("timeline %+v", tl)
	}
	if len(p.Body.Links) != 2 || p.Body.Links[0].Pos != (diag.Pos{Line: 37, Col: 5}) {
		t.Errorf("links %+v", p.Body.Links)
	}
	if len(p.Body.Ignores) != 1 || p.Body.Ignores[0].To != 40 || !p.Body.Suppressed("blame-language", 40) || p.Body.Suppressed("secret", 40) {
		t.Errorf("ignores %+v", p.Body.Ignores)
	}
	h := p.Body.HTML
	for _, want := range []string{`&lt;script&gt;alert(1)&lt;/script&gt;`, `href="../old/"`, `id="root-cause-analysis"`, `class="chroma"`} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %s:\n%s", want, h)
		}
	}
	if strings.Contains(h, "<script>") || strings.Contains(h, "javascript:") {
		t.Errorf("unsafe HTML:\n%s", h)
	}
}
