package similar

import (
	"encoding/binary"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/search/static"
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
	got, _ := similar(english(t), ps, 1, 2, false)
	want := map[string]string{"a": "c", "c": "a", "b": "e", "e": "b", "d": "f", "f": "d"}
	for id, w := range want {
		if g := got[id]; len(g) == 0 || g[0] != w {
			t.Errorf("similar(%s) = %v, want %s first", id, g, w)
		}
	}
	if got, _ := similar(english(t), ps[:1], 3, 1, false); fmt.Sprint(got) != "map[]" {
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
	got, _ := similar(english(t), ps, 1, 2, false)
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
		similar(english(b), k.Postmortems, 5, runtime.GOMAXPROCS(0), false)
	}
}

// TestSimilarListFor: the model's list of a postmortem it knows, unchanged,
// is exactly its list; an edited or new postmortem gets a list of its
// own content.
func TestSimilarListFor(t *testing.T) {
	_, k := kbtest.Load(t, kbtest.Generate(t, 300, 11), kb.Options{})
	ps := k.Postmortems
	lists, m := similar(english(t), ps, 5, 2, true)
	plain, none := similar(english(t), ps, 5, 2, false)
	if none != nil || fmt.Sprint(plain) != fmt.Sprint(lists) {
		t.Fatal("keeping the model changed the lists")
	}
	for _, p := range ps {
		if got, want := m.ListFor(p), lists[p.URLID()]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("listFor(%s) = %v, want its list %v", p.ID, got, want)
		}
	}
	// A new postmortem told like an existing one finds it first.
	src := ps[17]
	twin := *src
	twin.ID, twin.Path = "brand-new", "content/postmortems/brand-new.md"
	if got := m.ListFor(&twin); len(got) == 0 || got[0] != src.URLID() {
		t.Errorf("a new twin of %s: listFor = %v, want %s first", src.ID, got, src.URLID())
	}
	// An edited postmortem that now tells another's story finds that one.
	a, b := ps[3], ps[200]
	edited := *a
	edited.Title, edited.Body, edited.RootCauses, edited.Systems = b.Title, b.Body, b.RootCauses, b.Systems
	if got := m.ListFor(&edited); len(got) == 0 || got[0] != b.URLID() {
		t.Errorf("%s rewritten as %s: listFor = %v, want %s first", a.ID, b.ID, got, b.URLID())
	}
}

// TestSimCountsSame: the counts similar incidents take from the static
// search export's analysis (Counts.FromFields) are those of their own
// analysis (termCounter), for every postmortem of a generated KB and the
// sample KB and a few odd texts, with the numbers shared by the export's
// goroutines.
func TestSimCountsSame(t *testing.T) {
	var ps []*postmortem.Postmortem
	for _, root := range []string{kbtest.Cached(t, 300, 3), "../.."} {
		_, k := kbtest.Load(t, root, kb.Options{})
		ps = append(ps, k.Postmortems...)
	}
	for i, text := range []string{"Straße STRASSE straße ok no the and 42 4242 x1y2", "", "bad \xff utf-8 \xfe text", "Failover's failovers FAILED"} {
		ps = append(ps, &postmortem.Postmortem{ID: fmt.Sprint("odd-", i), Title: "Ünïcode TITLE title", Body: postmortem.Body{Text: text},
			RootCauses: []string{"title"}, Systems: []string{"title"}})
	}
	a := english(t)
	got := NewCounts(a, ps)
	docs := search.Docs(ps, search.DocOptions{Drafts: true})
	if len(docs) != len(ps) {
		t.Fatalf("%d documents of %d postmortems", len(docs), len(ps))
	}
	analysed := 0
	_, err := static.Export(docs, static.Options{Analyzer: a, Terms: got.FromFields, Analysed: func() { analysed++ }})
	if err != nil {
		t.Fatal(err)
	}
	if analysed != 1 {
		t.Errorf("Analysed was called %d times", analysed)
	}
	var tc termCounter
	show := func(b termCounts) string {
		terms := a.Terms()
		var out []string
		for j := 0; j < len(b); {
			var id, k int32
			id, k, j = b.next(j)
			out = append(out, fmt.Sprintf("%s=%d", terms[id], k))
		}
		return strings.Join(out, " ")
	}
	for i, p := range ps {
		if got.terms[i] == nil {
			t.Fatalf("%s: the export gave no terms", p.Path)
		}
		have := show(got.terms[i])
		want := show(tc.count(a, p, func(size int) termCounts { return make(termCounts, 0, size) }))
		if have != want {
			t.Fatalf("%s: counts from the export\n%v\ncounts of its own\n%v", p.Path, have, want)
		}
	}
}

// TestTermCounts: termCounts give back the pairs added, and sizes are
// counted right (a termCounts is made with its exact size).
func TestTermCounts(t *testing.T) {
	vals := []int32{0, 1, 127, 128, 16383, 16384, 1<<21 - 1, 1 << 21, 1<<28 - 1, 1 << 28, math.MaxInt32}
	var b termCounts
	for k, v := range vals {
		b = b.add(v, vals[len(vals)-1-k])
		if n := uvarintLen(uint32(v)); n != len(binary.AppendUvarint(nil, uint64(v))) {
			t.Errorf("uvarintLen(%d) = %d", v, n)
		}
	}
	k := 0
	for j := 0; j < len(b); k++ {
		var id, c int32
		id, c, j = b.next(j)
		if id != vals[k] || c != vals[len(vals)-1-k] {
			t.Errorf("pair %d = %d, %d; want %d, %d", k, id, c, vals[k], vals[len(vals)-1-k])
		}
	}
	if k != len(vals) {
		t.Errorf("%d pairs, want %d", k, len(vals))
	}
}

// TestSimilarTwins: in a generated KB, a postmortem and its near twin
// (the same title and body, another id and date) list each other first;
// every list is full, holds no repeats and not the postmortem itself.
func TestSimilarTwins(t *testing.T) {
	_, k := kbtest.Load(t, kbtest.Cached(t, 300, 3), kb.Options{})
	ps := k.Postmortems
	src := ps[40]
	twin := *src
	twin.ID, twin.Path = "near-twin", "content/postmortems/near-twin.md"
	twin.Title = "Again: " + src.Title
	ps = append([]*postmortem.Postmortem{&twin}, ps...)
	got, _ := similar(english(t), ps, 5, 2, false)
	if l := got[twin.URLID()]; len(l) == 0 || l[0] != src.URLID() {
		t.Errorf("similar(%s) = %v, want its twin %s first", twin.ID, l, src.URLID())
	}
	if l := got[src.URLID()]; len(l) == 0 || l[0] != twin.URLID() {
		t.Errorf("similar(%s) = %v, want its twin %s first", src.ID, l, twin.URLID())
	}
	for _, p := range ps {
		l := got[p.URLID()]
		if len(l) != 5 {
			t.Errorf("similar(%s) = %v, want 5", p.ID, l)
		}
		seen := map[string]bool{p.URLID(): true}
		for _, id := range l {
			if seen[id] {
				t.Errorf("similar(%s) = %v: %s twice or itself", p.ID, l, id)
			}
			seen[id] = true
		}
	}
}

// english returns a numbering English analyzer.
func english(t testing.TB) *analysis.English {
	t.Helper()
	a, err := analysis.NewNumberingEnglish()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// similar finds, for each postmortem of ps, up to n others most similar
// by content, counting their terms itself (as serve does; a build has the
// static search export count them).
func similar(a *analysis.English, ps []*postmortem.Postmortem, n, workers int, keep bool) (map[string][]string, *Model) {
	return NewCounts(a, ps).Lists(n, workers, keep)
}

// TestSimilarMatchesFor: MatchesFor is ListFor with, for each, the
// words both postmortems have among the terms that scored.
func TestSimilarMatchesFor(t *testing.T) {
	_, k := kbtest.Load(t, kbtest.Generate(t, 200, 5), kb.Options{})
	ps := k.Postmortems
	_, m := similar(english(t), ps, 5, 2, true)
	a := english(t)
	words := func(p *postmortem.Postmortem) map[string]bool {
		w := map[string]bool{}
		for _, s := range []string{p.Title, p.Body.Text} {
			a.Each(s, func(tok analysis.Token) { w[tok.Term] = true })
		}
		return w
	}
	byID := map[string]*postmortem.Postmortem{}
	for _, p := range ps {
		byID[p.URLID()] = p
	}
	withTerms := 0
	for _, p := range ps[:40] {
		ms := m.MatchesFor(p)
		var ids []string
		for _, x := range ms {
			ids = append(ids, x.ID)
		}
		if want := m.ListFor(p); fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Fatalf("MatchesFor(%s) ids = %v, want ListFor's %v", p.ID, ids, want)
		}
		pw := words(p)
		for _, x := range ms {
			qw := words(byID[x.ID])
			for _, term := range x.Terms {
				if !pw[term] || !qw[term] {
					t.Errorf("MatchesFor(%s): %s shares %q, which is not in both", p.ID, x.ID, term)
				}
			}
			if len(x.Terms) > 0 {
				withTerms++
			}
		}
	}
	if withTerms == 0 {
		t.Error("no match shares a word")
	}
}

// TestSimilarModel: the model Model makes (without every list) answers
// ListFor and MatchesFor as the one Lists keeps, for known postmortems
// and a new one.
func TestSimilarModel(t *testing.T) {
	_, k := kbtest.Load(t, kbtest.Generate(t, 200, 9), kb.Options{})
	ps := k.Postmortems
	_, want := similar(english(t), ps, 5, 2, true)
	got := NewCounts(english(t), ps).Model(5, 2)
	twin := *ps[30]
	twin.ID, twin.Path = "brand-new", "content/postmortems/brand-new.md"
	for _, p := range append(ps[:60:60], &twin) {
		if g, w := fmt.Sprint(got.MatchesFor(p)), fmt.Sprint(want.MatchesFor(p)); g != w {
			t.Fatalf("MatchesFor(%s) = %s, want %s", p.ID, g, w)
		}
	}
	if m := NewCounts(english(t), ps[:1]).Model(5, 2); m != nil {
		t.Error("a model of one postmortem")
	}
}

// TestDistinctiveMax: one postmortem in 20 is the bound of a small KB;
// past 10,000 it stays at maxDFCap, so that scoring stays linear.
func TestDistinctiveMax(t *testing.T) {
	for _, c := range []struct{ n, want int }{
		{3, 2}, {30, 11}, {100, 20}, {1000, 50}, {10000, 500}, {20000, 500}, {100000, 500},
	} {
		if got := distinctiveMax(c.n); got != c.want {
			t.Errorf("distinctiveMax(%d) = %d, want %d", c.n, got, c.want)
		}
	}
}
