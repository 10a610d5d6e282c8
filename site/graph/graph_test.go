package graph

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// pm builds a postmortem from a compact spec:
// id, started, causes, systems, flags ("drill", "draft"), done action date.
func pm(t *testing.T, ps *postmortem.Parser, id, started, causes, systems, extra string) *postmortem.Postmortem {
	t.Helper()
	src := fmt.Sprintf(`---
title: %s
severity: SEV2
status: published
category: outage
started: %s
detected: %s
resolved: %s
root_causes: [%s]
systems: [%s]
authors: [a]
%s
---

## Summary

x
`, id, started, started, started, causes, systems, extra)
	p := ps.Parse("content/postmortems/"+id+".md", []byte(src))
	if len(p.Problems) > 0 {
		t.Fatalf("%s: %v", id, p.Problems)
	}
	return p
}

func TestRecurrences(t *testing.T) {
	ps := postmortem.NewParser(postmortem.Options{})
	done := "actions:\n  - {title: fix, owner: o, priority: P1, due: 2024-01-10, status: done, done_on: 2024-01-05}"
	a := pm(t, ps, "a", "2024-01-01T00:00:00Z", "cert", "edge", done)
	b := pm(t, ps, "b", "2024-02-01T00:00:00Z", "cert", "login", "")         // shares cause, not system
	c := pm(t, ps, "c", "2024-03-01T00:00:00Z", "cert, dns", "edge, db", "") // recurs a
	d := pm(t, ps, "d", "2024-04-01T00:00:00Z", "dns", "db", "drill: true")  // drill: not an incident
	e := pm(t, ps, "e", "2024-05-01T00:00:00Z", "dns", "db", "")             // recurs c (not d)
	f := pm(t, ps, "f", "2024-06-01T00:00:00Z", "other", "edge", "")         // no shared cause
	g := Build([]*postmortem.Postmortem{f, e, d, c, b, a}, config.Default())
	got := map[string]string{}
	for _, r := range g.Recurrences {
		got[r.Later.ID] = fmt.Sprintf("%s causes=%s systems=%s prevent=%v", r.Earlier.ID, strings.Join(r.Causes, ","), strings.Join(r.Systems, ","), r.ActionDidNotPrevent)
	}
	want := map[string]string{
		"c": "a causes=cert systems=edge prevent=true",
		"e": "c causes=dns systems=db prevent=false",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("recurrences\n got %v\nwant %v", got, want)
	}
	if g.RecurrenceOf(c).Earlier != a || len(g.RecurredBy(a)) != 1 || g.RecurrenceOf(b) != nil {
		t.Error("lookups wrong")
	}
	if g.Postmortems[0] != f {
		t.Error("not newest first")
	}
}

func TestTaxonomiesAndSame(t *testing.T) {
	ps := postmortem.NewParser(postmortem.Options{})
	a := pm(t, ps, "a", "2024-01-01T00:00:00Z", "cert, dns", "edge", "related: [c]")
	b := pm(t, ps, "b", "2024-02-01T00:00:00Z", "cert", "edge", "")
	c := pm(t, ps, "c", "2024-03-01T00:00:00Z", "cert, dns", "db", "drill: true")
	d := pm(t, ps, "d", "2024-04-01T00:00:00Z", "cert", "db", "")
	cfg := config.Default()
	cfg.Causes = []config.Term{{Slug: "cert", Title: "Expired certificate", Description: "d"}}
	g := Build([]*postmortem.Postmortem{a, b, c, d}, cfg)
	cert := g.Taxonomy(Causes).Term("cert")
	if cert.Title != "Expired certificate" || len(cert.Postmortems) != 4 || cert.Incidents != 3 || cert.Drills != 1 {
		t.Errorf("cert term %+v", cert)
	}
	if cert.FirstSeen != a.Started || cert.LastSeen != d.Started {
		t.Errorf("first/last seen %v %v", cert.FirstSeen, cert.LastSeen)
	}
	if g.Taxonomy(Causes).Term("dns").Title != "Dns" {
		t.Errorf("fallback title %q", g.Taxonomy(Causes).Term("dns").Title)
	}
	if co := cert.CoOccurs[Systems]; len(co) != 2 || co[0].Count != 2 {
		t.Errorf("co-occurs %+v", co)
	}
	same := g.Same(a, Causes, 10)
	var ids []string
	for _, r := range same {
		ids = append(ids, r.P.ID)
	}
	// c shares two causes; then d and b by recency.
	if strings.Join(ids, ",") != "c,d,b" {
		t.Errorf("same causes = %v", ids)
	}
	if got := g.Same(b, Causes, 2); len(got) != 2 || got[0].P != d || got[1].P != c {
		t.Errorf("same for single cause = %v", got)
	}
	if len(g.Related(a)) != 1 || g.Related(a)[0] != c || len(g.Backlinks(c)) != 1 || g.Backlinks(c)[0] != a {
		t.Error("related/backlinks wrong")
	}
}

func TestDedupe(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""}, {"a", "a"}, {"a,b,c", "a,b,c"}, {"a,b,a", "a,b"}, {"a,a,a,b,b", "a,b"},
	} {
		var in []string
		if tt.in != "" {
			in = strings.Split(tt.in, ",")
		}
		if got := strings.Join(dedupe(in), ","); got != tt.want {
			t.Errorf("dedupe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestCoOccursMatchesCounting: the co-occurrence lists equal a plain
// count over each term's postmortems (the way they were first computed),
// on a generated KB with every taxonomy in use.
func TestCoOccursMatchesCounting(t *testing.T) {
	cfg, k := kbtest.Load(t, kbtest.Generate(t, 400, 7), kb.Options{})
	g := Build(k.Postmortems, cfg)
	checked := 0
	for _, tx := range g.Taxonomies {
		for _, term := range tx.Terms {
			for _, other := range g.Taxonomies {
				if other == tx {
					continue
				}
				counts := map[string]int{}
				for _, p := range term.Postmortems {
					for _, s := range dedupe(Slugs(p, other.Kind)) {
						counts[s]++
					}
				}
				var want []TermCount
				for s, n := range counts {
					want = append(want, TermCount{Term: other.bySlug[s], Count: n})
				}
				sort.Slice(want, func(i, j int) bool {
					if want[i].Count != want[j].Count {
						return want[i].Count > want[j].Count
					}
					return want[i].Term.Slug < want[j].Term.Slug
				})
				got := term.CoOccurs[other.Kind]
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s %s, %s: got %v, want %v", tx.Kind, term.Slug, other.Kind, got, want)
				}
				checked += len(want)
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d co-occurrence counts checked", checked)
	}
}

// TestLinksAndDuplicateIDs: body links find their postmortem whether its
// file is named after its id or not (and not one with the same id in
// another file), and postmortems that share an id keep their own
// recurrences; Get returns the first of them in the graph's order.
func TestLinksAndDuplicateIDs(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	mk := func(id, path, started string, links ...string) *postmortem.Postmortem {
		p := &postmortem.Postmortem{ID: id, Path: path, Status: "published", Started: at(started),
			RootCauses: []string{"cert"}, Systems: []string{"edge"}}
		for _, l := range links {
			p.Body.Links = append(p.Body.Links, postmortem.Link{Dest: l})
		}
		return p
	}
	named := mk("named", "content/postmortems/2024/named.md", "2024-01-01T00:00:00Z")
	renamed := mk("renamed", "content/postmortems/2024/old-name.md", "2024-01-02T00:00:00Z")
	// Same id as named, another file: newer, so first in the graph's
	// order, and what Get returns.
	twin := mk("Named", "content/postmortems/2024/twin.md", "2024-01-03T00:00:00Z")
	decoy := mk("old-name", "content/postmortems/2023/old-name.md", "2023-06-01T00:00:00Z")
	from := mk("from", "content/postmortems/2024/from.md", "2024-02-01T00:00:00Z",
		"named.md", "old-name.md#impact", "../2023/old-name.md", "https://example.com/x.md", "missing.md")
	g := Build([]*postmortem.Postmortem{named, renamed, twin, decoy, from}, config.Default())

	for _, tt := range []struct {
		p    *postmortem.Postmortem
		want []*postmortem.Postmortem
	}{{named, []*postmortem.Postmortem{from}}, {renamed, []*postmortem.Postmortem{from}}, {decoy, []*postmortem.Postmortem{from}}, {twin, nil}} {
		if got := g.Backlinks(tt.p); fmt.Sprint(paths(got)) != fmt.Sprint(paths(tt.want)) {
			t.Errorf("Backlinks(%s) = %v, want %v", tt.p.Path, paths(got), paths(tt.want))
		}
	}
	if g.Get("named") != twin {
		t.Errorf("Get(named) = %v, want the newer of the two", g.Get("named").Path)
	}
	// Each incident recurs the one before it (same cause and system).
	for _, tt := range []struct{ earlier, later *postmortem.Postmortem }{{decoy, named}, {named, renamed}, {renamed, twin}, {twin, from}} {
		if r := g.RecurrenceOf(tt.later); r == nil || r.Earlier != tt.earlier {
			t.Errorf("RecurrenceOf(%s) = %v, want %s", tt.later.Path, r, tt.earlier.Path)
		}
		if rs := g.RecurredBy(tt.earlier); len(rs) != 1 || rs[0].Later != tt.later {
			t.Errorf("RecurredBy(%s) = %v, want %s", tt.earlier.Path, rs, tt.later.Path)
		}
	}
}

func paths(ps []*postmortem.Postmortem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Path)
	}
	return out
}
