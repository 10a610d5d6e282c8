package graph

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// TestRecurrencesMatchOracle: on a generated KB, the recurrences, the
// graph's order and each term's first and last incident equal what the
// plain definitions give (SPEC §4: the most recent earlier incident
// sharing a root cause and an affected system), computed here on the
// postmortems themselves, without the positions, masks and arrays Build
// uses.
func TestRecurrencesMatchOracle(t *testing.T) {
	cfg, k := kbtest.Load(t, kbtest.Generate(t, 600, 3), kb.Options{DropBody: true})
	g := Build(k.Postmortems, cfg)

	order := append([]*postmortem.Postmortem(nil), k.Postmortems...)
	sort.SliceStable(order, func(i, j int) bool { return order[i].Newer(order[j]) })
	for i, p := range order {
		if g.Postmortems[i] != p {
			t.Fatalf("postmortem %d is %s, want %s", i, g.Postmortems[i].ID, p.ID)
		}
	}

	var want []string
	for _, later := range order {
		if !IsIncident(later) || later.Started.IsZero() {
			continue
		}
		var best *postmortem.Postmortem
		for _, e := range order {
			if e == later || !IsIncident(e) || e.Started.IsZero() || !e.Started.Before(later.Started) ||
				len(SharedSlugs(e, later, Causes)) == 0 || len(SharedSlugs(e, later, Systems)) == 0 {
				continue
			}
			if best == nil || e.Started.After(best.Started) {
				best = e
			}
		}
		if best != nil {
			want = append(want, best.ID+" → "+later.ID)
		}
	}
	var got []string
	by := map[*postmortem.Postmortem][]*Recurrence{}
	for _, r := range g.Recurrences {
		got = append(got, r.Earlier.ID+" → "+r.Later.ID)
		by[r.Earlier] = append(by[r.Earlier], r)
		if c, s := SharedSlugs(r.Earlier, r.Later, Causes), SharedSlugs(r.Earlier, r.Later, Systems); fmt.Sprint(r.Causes, r.Systems) != fmt.Sprint(c, s) {
			t.Errorf("%s → %s shares %v %v, want %v %v", r.Earlier.ID, r.Later.ID, r.Causes, r.Systems, c, s)
		}
		if r.ActionDidNotPrevent != (len(r.DoneBefore()) > 0) {
			t.Errorf("%s → %s: ActionDidNotPrevent %v, DoneBefore %v", r.Earlier.ID, r.Later.ID, r.ActionDidNotPrevent, r.DoneBefore())
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("recurrences differ:\ngot  %d %q\nwant %d %q", len(got), got, len(want), want)
	}
	if len(want) < 50 {
		t.Errorf("only %d recurrences checked", len(want))
	}
	// RecurrenceOf and RecurredBy index the same list (RecurredBy later
	// incident newest first, as Recurrences).
	for _, p := range order {
		if r := g.RecurrenceOf(p); r != nil && r.Later != p {
			t.Errorf("RecurrenceOf(%s) is %s → %s", p.ID, r.Earlier.ID, r.Later.ID)
		}
		if fmt.Sprint(g.RecurredBy(p)) != fmt.Sprint(by[p]) {
			t.Errorf("RecurredBy(%s) = %v, want %v", p.ID, g.RecurredBy(p), by[p])
		}
	}
	n := 0
	for _, p := range order {
		if g.RecurrenceOf(p) != nil {
			n++
		}
	}
	if n != len(g.Recurrences) {
		t.Errorf("RecurrenceOf is set for %d postmortems, want %d", n, len(g.Recurrences))
	}
	if g.RecurrenceOf(&postmortem.Postmortem{}) != nil || g.RecurredBy(&postmortem.Postmortem{}) != nil {
		t.Error("a postmortem outside the graph has recurrences")
	}

	for _, tx := range g.Taxonomies {
		for _, term := range tx.Terms {
			var first, last string
			var f, l = term.FirstSeen, term.LastSeen
			for _, p := range term.Postmortems {
				if p.Started.IsZero() || (term.Incidents > 0 && !IsIncident(p)) {
					continue
				}
				if first == "" || p.Started.Before(f) {
					f, first = p.Started, p.ID
				}
				if last == "" || p.Started.After(l) {
					l, last = p.Started, p.ID
				}
			}
			if fmt.Sprint(f, l) != fmt.Sprint(term.FirstSeen, term.LastSeen) {
				t.Errorf("%s %s: first and last seen %v %v, want %v %v", tx.Kind, term.Slug, term.FirstSeen, term.LastSeen, f, l)
			}
		}
	}
}

// TestRecurrenceTies: incidents that started at the same time do not
// recur each other, and a later one recurs the first of them in the
// graph's order (the smallest id).
func TestRecurrenceTies(t *testing.T) {
	ps := postmortem.NewParser(postmortem.Options{})
	b := pm(t, ps, "b", "2024-01-01T00:00:00Z", "cert", "edge", "")
	a := pm(t, ps, "a", "2024-01-01T00:00:00Z", "cert", "edge", "")
	c := pm(t, ps, "c", "2024-01-01T00:00:00Z", "dns", "db", "")
	d := pm(t, ps, "d", "2024-02-01T00:00:00Z", "dns, cert", "db, edge", "")
	g := Build([]*postmortem.Postmortem{b, a, c, d}, config.Default())
	var got []string
	for _, r := range g.Recurrences {
		got = append(got, r.Earlier.ID+" → "+r.Later.ID)
	}
	if want := []string{"a → d"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("recurrences %q, want %q", got, want)
	}
}
