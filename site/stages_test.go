package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestStages: each build runs its declared stages once, in order, and
// reports each (Site.Stages, printed by build --timings); background
// stages are reported where they are waited for (history before pages;
// the index of a lean build by IndexTime).
func TestStages(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	for _, c := range []struct {
		name string
		opts Options
		want string
	}{
		{"full", Options{}, "load publish check link+trend index history pages total"},
		{"lean", Options{Lean: true}, "load publish check link+trend history pages release-bodies total"},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := c.opts
			opts.Root, opts.Now, opts.NoGit = root, testNow, true
			s, err := Load(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := stageNames(s); got != c.want {
				t.Errorf("stages %q, want %q", got, c.want)
			}
			if s.IndexTime() <= 0 {
				t.Error("no index time")
			}
			if c.opts.Lean {
				return
			}
			ns, err := s.Update(context.Background(), []string{s.KB.Postmortems[0].Path})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := stageNames(ns), "load publish check link+trend index pages total"; got != want {
				t.Errorf("update: stages %q, want %q", got, want)
			}
		})
	}
}

func stageNames(s *Site) string {
	var names []string
	for _, st := range s.Stages {
		names = append(names, strings.ReplaceAll(st.Name, " ", "-"))
	}
	return strings.Join(names, " ")
}

// TestLeanIndexAfterLinkTrend: in a lean build the index stage starts
// once link+trend is done, never beside it (at 100k both need the two
// cores, and the index stage's collections slowed link+trend ×2).
func TestLeanIndexAfterLinkTrend(t *testing.T) {
	step := func(steps []step, name string) int {
		for i, st := range steps {
			for _, sg := range st {
				if sg.name == name {
					return i
				}
			}
		}
		t.Fatalf("no stage %q", name)
		return -1
	}
	steps := pipeline(Options{Lean: true})
	if l, ix := step(steps, "link+trend"), step(steps, "index"); ix <= l {
		t.Errorf("the index stage is in step %d, link+trend in step %d: the index must start after link+trend", ix, l)
	}
}

// TestLeanDropsTimeline: a lean build with the default layouts lets
// each postmortem's timeline entries and ignore comments go as soon as
// its checks ran (no page reads them: the visual timeline is in the
// HTML); with a theme of its own layouts it keeps them, since a layout
// might read them.
func TestLeanDropsTimeline(t *testing.T) {
	for _, own := range []bool{false, true} {
		root := writeTxtar(t, fixtureKB)
		if own {
			dir := filepath.Join(root, "themes", "default", "layouts")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		s, err := Load(context.Background(), Options{Root: root, Now: testNow, NoGit: true, Lean: true})
		if err != nil {
			t.Fatal(err)
		}
		entries := 0
		for _, p := range s.KB.Postmortems {
			entries += len(p.Body.Timeline)
		}
		switch {
		case !own && entries > 0:
			t.Errorf("default layouts: %d timeline entries kept after load", entries)
		case own && entries == 0:
			t.Error("a theme with its own layouts: the timeline entries were dropped")
		}
		if _, err := s.WaitSearch(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLeanIndexTailWaitsForPages: in a lean build of a large KB, the
// export's second half (postings, shards, files) waits until every page
// but the search files is written, and the Site then lets go of its
// postmortems, KB, graph and trends (keepSearchOnly), so that the export
// runs on a heap without them; similar incidents (the first half) do not
// wait. Write starts it; so does a caller that waits for the index
// without writing.
func TestLeanIndexTailWaitsForPages(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	// One renderer: the counts below are not shared.
	// holdSearchFrom 1: the order a large KB gets, on the small fixture.
	opts := Options{Root: root, Now: testNow, NoGit: true, Lean: true, Workers: 1, holdSearchFrom: 1}
	s, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	<-s.index.similarDone
	select {
	case <-s.index.done:
		t.Fatal("the export finished before any page was written")
	case <-time.After(300 * time.Millisecond):
	}
	others, wrote, pms, searchFiles := s.pages.RoutedPages(), 0, 0, 0
	renderAll := func(ctx context.Context, fn func(string, []byte) error) error {
		return s.RenderAll(ctx, func(p string, b []byte) error {
			switch s.pages.Kind(p) {
			case "search-file":
				searchFiles++
				if wrote != others {
					t.Errorf("search file %s written after %d of %d other pages", p, wrote, others)
				}
				if s.KB != nil || s.Postmortems != nil || s.Graph != nil || s.Trends != nil {
					t.Errorf("search file %s written while the Site still holds its postmortems", p)
				}
			case "postmortem":
				pms++
				wrote++
			default:
				wrote++
			}
			return fn(p, b)
		})
	}
	if _, err := write(context.Background(), s, renderAll, filepath.Join(t.TempDir(), "out"), opts); err != nil {
		t.Fatal(err)
	}
	if pms == 0 || searchFiles == 0 {
		t.Fatalf("%d postmortem pages and %d search files written: the fixture should have both", pms, searchFiles)
	}
	// It waited at least the 300 ms before Write, and that is in its time.
	if w, took := s.IndexWaited(), s.IndexTime(); w < 300*time.Millisecond || w > took {
		t.Errorf("the index stage waited %v of %v for the pages, want at least 300ms", w, took)
	}

	// Load alone, then WaitSearch: the tail starts without a Write.
	s, err = Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitSearch(); err != nil {
		t.Fatal(err)
	}
}

// TestLeanSmallKBDoesNotHoldSearch: below holdSearchFrom the export runs
// to its end beside the pages; nothing waits for postmortem pages.
func TestLeanSmallKBDoesNotHoldSearch(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	s, err := Load(context.Background(), Options{Root: root, Now: testNow, NoGit: true, Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.index.done:
	case <-time.After(20 * time.Second):
		t.Fatal("the export of a small KB waited for postmortem pages")
	}
	if w := s.IndexWaited(); w != 0 {
		t.Errorf("the index stage of a small KB waited %v for the pages", w)
	}
}

// TestLeanRenderSearchFileWithoutWrite: Render of a search file of a lean
// Site that is not being written does not wait for postmortem pages that
// no one writes.
func TestLeanRenderSearchFileWithoutWrite(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	s, err := Load(context.Background(), Options{Root: root, Now: testNow, NoGit: true, Lean: true, holdSearchFrom: 1})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := s.Render("search/index/meta.json")
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Render of a search file waited for postmortem pages no one writes")
	}
}

// gatedSearch is a lean build's index stage whose similar incidents are
// held back until gate is closed.
type gatedSearch struct {
	leanSearch
	gate chan struct{}
}

func (g gatedSearch) SimilarDone() <-chan struct{} { return g.gate }

// Done is closed once the index stage is done and the gate open (as in a
// build, where the export ends after similar incidents).
func (g gatedSearch) Done() <-chan struct{} {
	c := make(chan struct{})
	go func() {
		<-g.gate
		<-g.leanSearch.Done()
		close(c)
	}()
	return c
}

// TestLeanPagesWaitForSimilar: in a lean build no page renders before
// the similar incidents are there (the analysis of every document has
// the cores to itself), then every postmortem page renders before any
// other page (writing them lets their bodies go).
func TestLeanPagesWaitForSimilar(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	opts := Options{Root: root, Now: testNow, NoGit: true, Lean: true, Workers: 1}
	s, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	gate := make(chan struct{})
	s.pages.Search = gatedSearch{leanSearch{s.index}, gate}
	var mu sync.Mutex
	var kinds []string
	done := make(chan error, 1)
	go func() {
		done <- s.RenderAll(context.Background(), func(p string, _ []byte) error {
			mu.Lock()
			kinds = append(kinds, s.pages.Kind(p))
			mu.Unlock()
			return nil
		})
	}()
	time.Sleep(300 * time.Millisecond)
	mu.Lock()
	early := len(kinds)
	mu.Unlock()
	if early != 0 {
		t.Errorf("%d pages rendered before the similar incidents were there", early)
	}
	close(gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	pms, other := 0, false
	for _, k := range kinds {
		switch {
		case k == "postmortem" && other:
			t.Fatalf("a postmortem page rendered after another page: %v", kinds)
		case k == "postmortem":
			pms++
		case k != "search-file":
			other = true
		}
	}
	if pms == 0 || !other {
		t.Fatalf("%d postmortem pages, other pages %v: the fixture should have both", pms, other)
	}
	if w := s.RenderWaited(); w < 300*time.Millisecond {
		t.Errorf("RenderWaited is %v, want at least the 300ms before similar incidents were there", w)
	}
}

// filesGated is a lean build's index stage whose search files (not its
// similar incidents) are held back until gate is closed.
type filesGated struct{ gatedSearch }

func (g filesGated) SimilarDone() <-chan struct{} { return g.leanSearch.SimilarDone() }

// TestRenderWaited: RenderWaited counts the time from the last page
// written until the search files exist, and not the pages' own time
// (--timings prints it as render+write's wait for the index).
func TestRenderWaited(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	// holdSearchFrom 1: the search files come after every other page,
	// as in a large KB; one renderer, so the pages' time adds up.
	opts := Options{Root: root, Now: testNow, NoGit: true, Lean: true, Workers: 1, holdSearchFrom: 1}
	s, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	gate := make(chan struct{})
	s.pages.Search = filesGated{gatedSearch{leanSearch{s.index}, gate}}
	const perPage, tail = 5 * time.Millisecond, 300 * time.Millisecond
	pages, wrote, files := s.pages.RoutedPages(), 0, 0
	renderAll := func(ctx context.Context, fn func(string, []byte) error) error {
		return s.RenderAll(ctx, func(p string, b []byte) error {
			if s.pages.Kind(p) == "search-file" {
				files++
			} else {
				time.Sleep(perPage)
				if wrote++; wrote == pages {
					time.AfterFunc(tail, func() { close(gate) })
				}
			}
			return fn(p, b)
		})
	}
	start := time.Now()
	if _, err := write(context.Background(), s, renderAll, filepath.Join(t.TempDir(), "out"), opts); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	if files == 0 || wrote != pages {
		t.Fatalf("%d of %d pages and %d search files written", wrote, pages, files)
	}
	// (The timer starts a moment before the last page is written.)
	w := s.RenderWaited()
	if w < tail-50*time.Millisecond {
		t.Errorf("RenderWaited is %v, want about the %v the search files came after the last page", w, tail)
	}
	if own := time.Duration(pages) * perPage; w > elapsed-own {
		t.Errorf("RenderWaited is %v of %v, more than the time the %d pages (%v) left", w, elapsed, pages, own)
	}
}
