package site

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

func TestSimilar(t *testing.T) {
	mk := func(id, title, body string) *postmortem.Postmortem {
		return &postmortem.Postmortem{ID: id, Title: title, Body: postmortem.Body{Text: body}}
	}
	ps := []*postmortem.Postmortem{
		mk("a", "Certificate expired on the edge proxy", "The TLS certificate expired; renewal was manual and nobody was paged."),
		mk("b", "Phishing email hit finance", "A phishing email with a macro attachment reached finance staff."),
		mk("c", "Certificate expiry again", "Another certificate expired because renewal was manual."),
		mk("d", "Database failover stalled", "Replication lag made the failover stall for minutes."),
		mk("e", "Finance phishing wave", "Staff in finance got phishing email with attachment links."),
		mk("f", "Failover game day", "Game day: database failover with replication lag checks."),
	}
	got, _ := similar(ps, 1, 2, false)
	want := map[string]string{"a": "c", "c": "a", "b": "e", "e": "b", "d": "f", "f": "d"}
	for id, w := range want {
		if g := got[id]; len(g) == 0 || g[0] != w {
			t.Errorf("similar(%s) = %v, want %s first", id, g, w)
		}
	}
	if got, _ := similar(ps[:1], 3, 1, false); fmt.Sprint(got) != "map[]" {
		t.Error("one postmortem has no similar ones")
	}
}

// TestSimilarCausesSystems: shared root causes and systems count, so
// two incidents told in different words but with the same rare cause on
// the same system are similar.
func TestSimilarCausesSystems(t *testing.T) {
	mk := func(id, title, body string, causes, systems []string) *postmortem.Postmortem {
		return &postmortem.Postmortem{ID: id, Title: title, Body: postmortem.Body{Text: body}, RootCauses: causes, Systems: systems}
	}
	var ps []*postmortem.Postmortem
	// Filler with a common cause and system, so those drop out as
	// non-distinctive while the rare ones count.
	for i := range 40 {
		ps = append(ps, mk(fmt.Sprintf("filler-%02d", i), fmt.Sprintf("Routine outage %d", i),
			fmt.Sprintf("Something unrelated number %d happened with words%d.", i, i), []string{"config-change"}, []string{"web"}))
	}
	ps = append(ps,
		mk("x", "Nightly job wedged", "The nightly batch stopped and nobody noticed until morning.", []string{"clock-skew"}, []string{"ledger"}),
		mk("y", "Settlement numbers off", "Totals disagreed after the overnight run; the team reconciled them by hand.", []string{"clock-skew"}, []string{"ledger"}),
	)
	got, _ := similar(ps, 1, 2, false)
	if g := got["x"]; len(g) == 0 || g[0] != "y" {
		t.Errorf("similar(x) = %v, want y first (same rare cause and system)", g)
	}
	if g := got["y"]; len(g) == 0 || g[0] != "x" {
		t.Errorf("similar(y) = %v, want x first", g)
	}
}

// BenchmarkSimilar10k finds the similar incidents of every postmortem of
// a generated 10,000-postmortem KB, with as many workers as the build.
func BenchmarkSimilar10k(b *testing.B) {
	_, k := kbtest.Load(b, kbtest.Cached(b, 10000, 1), kb.Options{})
	for b.Loop() {
		similar(k.Postmortems, 5, runtime.GOMAXPROCS(0), false)
	}
}

func TestWords(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"The TLS certificate EXPIRED, again!", "tls certificate expired"},
		{"a an to of and the with x509 ok", "x509"},
		{"Naïve CAFÉ résumé İstanbul ßig", "naïve café résumé istanbul ßig"},
		{"éé ab abc ab\xffcd c\u0301de", "abc"},
		{"snake_case kebab-case dot.ted", "snake case kebab case dot ted"},
	} {
		var got []string
		words(c.in, nil, func(w []byte, same string) {
			if same != "" && same != string(w) {
				t.Errorf("words(%q): %q given as the same as %q", c.in, same, w)
			}
			got = append(got, string(w))
		})
		if strings.Join(got, " ") != c.want {
			t.Errorf("words(%q) = %q, want %q", c.in, strings.Join(got, " "), c.want)
		}
	}
}

// TestSimilarListFor: the model's list of a postmortem it knows, unchanged,
// is exactly its list; an edited or new postmortem gets a list of its
// own content.
func TestSimilarListFor(t *testing.T) {
	_, k := kbtest.Load(t, kbtest.Generate(t, 300, 11), kb.Options{})
	ps := k.Postmortems
	lists, m := similar(ps, 5, 2, true)
	plain, none := similar(ps, 5, 2, false)
	if none != nil || fmt.Sprint(plain) != fmt.Sprint(lists) {
		t.Fatal("keeping the model changed the lists")
	}
	for _, p := range ps {
		if got, want := m.listFor(p), lists[p.URLID()]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("listFor(%s) = %v, want its list %v", p.ID, got, want)
		}
	}
	// A new postmortem told like an existing one finds it first.
	src := ps[17]
	twin := *src
	twin.ID, twin.Path = "brand-new", "content/postmortems/brand-new.md"
	if got := m.listFor(&twin); len(got) == 0 || got[0] != src.URLID() {
		t.Errorf("a new twin of %s: listFor = %v, want %s first", src.ID, got, src.URLID())
	}
	// An edited postmortem that now tells another's story finds that one.
	a, b := ps[3], ps[200]
	edited := *a
	edited.Title, edited.Body, edited.RootCauses, edited.Systems = b.Title, b.Body, b.RootCauses, b.Systems
	if got := m.listFor(&edited); len(got) == 0 || got[0] != b.URLID() {
		t.Errorf("%s rewritten as %s: listFor = %v, want %s first", a.ID, b.ID, got, b.URLID())
	}
}

// TestDocCounterSame: the numbered counts of docCounter are wordCounter's
// counts, for every postmortem of a generated KB and the sample KB, with
// the numbers shared by two workers.
func TestDocCounterSame(t *testing.T) {
	var ps []*postmortem.Postmortem
	for _, root := range []string{kbtest.Cached(t, 300, 3), ".."} {
		_, k := kbtest.Load(t, root, kb.Options{})
		ps = append(ps, k.Postmortems...)
	}
	ps = append(ps, &postmortem.Postmortem{Title: "Ünïcode TITLE title", Body: postmortem.Body{Text: "Straße STRASSE straße ok no the and 42 4242 x1y2"},
		RootCauses: []string{"title"}, Systems: []string{"title"}})
	table := &termTable{ids: map[string]int32{}}
	counters := []*docCounter{{table: table, local: map[string]int32{}}, {table: table, local: map[string]int32{}}}
	for i, p := range ps {
		ids, counts := counters[i%2].count(p)
		want := &wordCounter{idx: map[string]int32{}}
		want.count(p)
		got := make([]string, len(ids))
		for k, id := range ids {
			got[k] = fmt.Sprintf("%s=%d", table.terms[id], counts[k])
		}
		wantS := make([]string, len(want.words))
		for k, w := range want.words {
			wantS[k] = fmt.Sprintf("%s=%d", w, want.counts[k])
		}
		if strings.Join(got, " ") != strings.Join(wantS, " ") {
			t.Fatalf("%s: docCounter counts\n%v\nwordCounter counts\n%v", p.Path, got, wantS)
		}
	}
}
