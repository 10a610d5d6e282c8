package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/history"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/page"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/publish"
	"github.com/hindsight-kb/hindsight/site/trend"
)

// The pipelines. A build is a list of steps; a step is one or more named
// stages run side by side, each reading what earlier steps made (the
// fields of job and Site its comment names) and setting its own
// outputs, never those of another stage of its step. The three builds
// differ only in which stages run:
//
//   - full (serve's first Load, tests): everything is kept, so Update can
//     start from it;
//   - lean (a one-shot `hindsight build`): load checks each file and makes
//     its search document as it is parsed, then frees its source; the
//     index stage starts once link+trend is done and runs on in the
//     background while the pages render; and
//     "release bodies" lets each page's data go once Write has written it;
//   - update (serve, on a change): re-reads the changed files only, checks
//     only what they can affect, and keeps the search data of the last
//     full build.
func pipeline(o Options) []step {
	if o.Compact {
		return []step{
			{{name: "load", run: loadStage}, {name: "history", run: startHistory, background: true}},
			{{name: "publish", run: publishStage}},
			{{name: "check", run: finishCompactChecks}, {name: "link+trend", run: linkStage}, {name: "index", run: indexStageRun}},
			{{name: "pages", run: pagesStage}},
			{{name: "free texts", run: freeTexts}},
		}
	}
	if o.Lean {
		return []step{
			{{name: "load", run: loadLean}, {name: "history", run: startHistory, background: true}},
			{{name: "publish", run: publishStage}},
			// link+trend runs before the index stage starts, not beside
			// it: both need the cores, and at 100k the index stage's
			// collections of a multi-GB heap slowed link+trend ×2.
			{{name: "check", run: finishStreamChecks}, {name: "link+trend", run: linkStage}},
			{{name: "index", run: startIndex, background: true}},
			{{name: "pages", run: pagesStage}},
			{{name: "release bodies", run: planRelease}},
		}
	}
	return []step{
		{{name: "load", run: loadStage}, {name: "history", run: startHistory, background: true}},
		{{name: "publish", run: publishStage}},
		{{name: "check", run: checkStage}, {name: "link+trend", run: linkStage}, {name: "index", run: indexStageRun}},
		{{name: "pages", run: pagesStage}},
	}
}

// updatePipeline is Site.Update's list (see Update).
func updatePipeline() []step {
	return []step{
		{{name: "load", run: reloadChanged}},
		{{name: "publish", run: publishStage}},
		{{name: "check", run: recheckStage}, {name: "link+trend", run: linkStage}},
		{{name: "index", run: keepSearch}},
		{{name: "pages", run: pagesStage}},
	}
}

// stage is one named stage of a pipeline.
type stage struct {
	name string
	run  func(*job) error
	// background: the stage starts the work and returns; a later stage
	// waits for it, and its time is reported there (history: by
	// pagesStage; index: Site.IndexTime).
	background bool
}

// step is a list of stages run side by side.
type step []stage

// job is one run of a pipeline: the Site being made, and what passes
// between stages without being part of it.
type job struct {
	ctx context.Context
	s   *Site // the Site being made: no one else holds it yet
	// load → check: the config's own diagnostics.
	cfgDiags []diag.Diagnostic
	// load (lean) → check, index: the per-file checks and search
	// documents made while loading.
	lean *leanLoad
	// load (compact) → check: the streaming checks (see compact.go).
	stream *check.Stream
	// publish → index: the published postmortems in the KB's order
	// (link reorders Site.Postmortems newest first beside it).
	published []*postmortem.Postmortem
	// history (started with load) → pages: git's dates, and how long
	// reading them took (set before the value is sent).
	history     <-chan history.History
	historyTook time.Duration
	// Update only: the Site updated, the changed paths (relative), the
	// true KB (before last good versions replace unreadable files), the
	// paths kept in their last good version before and now.
	prev    *Site
	rels    []string
	trueKB  *kb.KB
	kept    []string
	nowKept map[string]bool
}

// run runs the steps in order and returns the Site; each stage's wall
// time goes to Site.Stages.
func (b *job) run(steps []step) (*Site, error) {
	start := time.Now()
	for _, st := range steps {
		if err := b.ctx.Err(); err != nil {
			return nil, err
		}
		errs := make([]error, len(st))
		took := make([]time.Duration, len(st))
		var wg sync.WaitGroup
		for i, sg := range st {
			wg.Go(func() {
				t := time.Now()
				errs[i] = sg.run(b)
				took[i] = time.Since(t)
			})
		}
		wg.Wait()
		for i, sg := range st {
			if !sg.background {
				b.s.Stages = append(b.s.Stages, StageTime{sg.name, took[i]})
			}
		}
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
	}
	b.s.Stages = append(b.s.Stages, StageTime{"total", time.Since(start)})
	return b.s, nil
}

// loadStage reads the config and every file of the KB, parsing each
// (kb.Load, on all cores); in a compact build, each postmortem is checked
// as it is parsed (compact.go). Sets Site.Config, Site.KB, b.cfgDiags
// (and b.stream, compact).
func loadStage(b *job) error { return b.load(false) }

// loadLean is loadStage with the lean build's hooks: each postmortem is
// checked (check.Stream) and made a search document as soon as it is
// parsed, then what only those read (source, line table, field
// positions, prose spans, section texts) is let go. Sets b.lean too.
func loadLean(b *job) error { return b.load(true) }

func (b *job) load(lean bool) error {
	s := b.s
	cfg, cfgDiags, err := config.Load(s.Options.Root)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	kbo := kbOptions(s.Options)
	switch {
	case lean:
		b.lean = newLeanLoad(cfg, s.Options)
		kbo = b.lean.kbOptions(kbo)
	case s.Options.Compact:
		kbo = b.compactKBOptions(kbo)
	}
	k, err := kb.Load(s.Options.Root, cfg, kbo)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	s.Config, s.KB, s.loc, b.cfgDiags = cfg, k, cfg.Location, cfgDiags
	return nil
}

// publishStage applies the audience and drafts once (site/publish).
// Sets Site.Postmortems (KB order), Site.ContentPages, b.published.
func publishStage(b *job) error {
	s := b.s
	var stripped map[string]*postmortem.Postmortem
	if b.lean != nil {
		stripped = b.lean.stripped
	}
	s.Postmortems = publish.Postmortems(s.KB.Postmortems, s.Config, s.Options.Audience, s.Options.Drafts, stripped)
	s.ContentPages = publish.Pages(s.KB.Pages, s.KB.Postmortems, s.Postmortems, s.Config, s.Options.Audience)
	b.published = s.Postmortems
	return nil
}

// checkStage runs every rule of `hindsight check` over the whole KB
// (drafts and internal postmortems included: a broken draft still fails a
// build, as check would). Sets Site.Diagnostics.
func checkStage(b *job) error {
	b.setDiagnostics(runChecks(b.s.KB, b.s.Options))
	return nil
}

// finishStreamChecks is the lean build's check stage: the per-file rules
// ran while loading, the cross-file ones run now (check.Stream.Finish).
// Sets Site.Diagnostics.
func finishStreamChecks(b *job) error {
	b.setDiagnostics(b.lean.stream.Finish(b.s.KB))
	return nil
}

// setDiagnostics sets the Site's diagnostics: the config's, checks, and
// the content pages whose URL the site's own pages take, sorted.
func (b *job) setDiagnostics(checks []diag.Diagnostic) {
	ds := append(append([]diag.Diagnostic(nil), b.cfgDiags...), checks...)
	b.s.Diagnostics = pageURLDiagnostics(ds, b.s.ContentPages)
}

func runChecks(k *kb.KB, opts Options) []diag.Diagnostic {
	return check.Run(k, check.Options{Now: opts.Now, Strict: opts.Strict, Workers: opts.Workers})
}

// linkStage cross-links the published postmortems (taxonomies, related
// and back links, same cause and system, recurrences), then computes
// every aggregate behind /trends/, /actions/, the term charts and the
// home page's numbers. Sets Site.Graph, Site.Trends, and Site.Postmortems
// newest first (the graph's order).
func linkStage(b *job) error {
	s := b.s
	s.Graph = graph.Build(b.published, s.Config)
	s.Trends = trend.Compute(b.published, s.Graph, s.Config, s.now)
	s.Postmortems = s.Graph.Postmortems
	return nil
}

// startHistory reads the last change of every file from git, one call
// per build (none with NoGit), in the background from the first step (it
// needs only the root) until pagesStage, the first to read it, waits for
// it (b.history). Its time is the "history" of Site.Stages.
func startHistory(b *job) error {
	c := make(chan history.History, 1)
	b.history = c
	root, noGit := b.s.Options.Root, b.s.Options.NoGit
	go func() {
		t := time.Now()
		var h history.History
		if !noGit {
			h = history.Read(b.ctx, root)
		}
		b.historyTook = time.Since(t)
		c <- h
	}()
	return nil
}

// indexStageRun is the index stage of a full build: similar incidents and
// the static search export (see indexStage.run). Sets Site.Search.
func indexStageRun(b *job) error {
	s := b.s
	ix := newIndexStage()
	ix.run(b.ctx, s.Config, s.Options, s.KB.Postmortems, b.published, b.lean)
	if ix.err != nil {
		return fmt.Errorf("index: %w", ix.err)
	}
	s.Search = &SearchData{Files: ix.files, Similar: ix.similar, model: ix.model}
	return nil
}

// holdSearchFrom is the number of published postmortems from which a
// lean build writes the search files after the postmortem pages (see
// startIndex).
const holdSearchFrom = 20000

// startIndex is the index stage of a lean build: it runs on after Load
// returns, and the pages render once its first half is done (see
// WaitSearch and RenderAll). Sets Site.index.
func startIndex(b *job) error {
	s := b.s
	ix := newIndexStage()
	// In a large KB the export's second half waits until every other
	// page is written and the Site has let go of its postmortems (see
	// indexStage.tail and planRelease; Write opens it), so that the
	// search files are never held beside the bodies' HTML, nor the
	// export's postings beside the KB: at 100,000 postmortems a 2.68 GB
	// peak instead of 2.89 (waiting for the postmortem pages only) or
	// 3.15 (not waiting). At 10,000 it is ~50 MB, and waiting would cost
	// ~0.15 s of a 4 s build.
	from := holdSearchFrom
	if s.Options.holdSearchFrom > 0 {
		from = s.Options.holdSearchFrom
	}
	if len(b.published) >= from {
		ix.tail = make(chan struct{})
	}
	s.index = ix
	go ix.run(b.ctx, s.Config, s.Options, s.KB.Postmortems, b.published, b.lean)
	return nil
}

// pagesStage opens the theme (the KB's overrides on the embedded
// default), parses its layouts and maps every output path to what
// renders it (site/page). Sets Site.Theme and Site.pages.
func pagesStage(b *job) error {
	s := b.s
	if b.history != nil {
		s.History = <-b.history
		s.Stages = append(s.Stages, StageTime{"history", b.historyTook})
	}
	in := page.Input{
		Options: page.Options{Root: s.Options.Root, Audience: s.Options.Audience, LiveReload: s.Options.LiveReload,
			Workers: s.Options.Workers, TemplatesOnly: s.Options.templatesOnly},
		Config: s.Config, KB: s.KB, Postmortems: s.Postmortems, ContentPages: s.ContentPages,
		Graph: s.Graph, Trends: s.Trends, History: s.History, Now: s.now,
	}
	switch {
	case s.index != nil:
		in.Search = leanSearch{s.index}
	case s.Search != nil:
		in.Search = fullSearch{s.Search}
	}
	ps, err := page.New(in)
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	s.pages, s.Theme = ps, ps.Theme
	return nil
}

// planRelease is the lean build's last stage: it decides what Write may
// let go once a page is written (Site.release): a search file's bytes,
// and, with the default layouts, a postmortem's body HTML and timeline
// (no other page of the default theme reads them; a theme with its own
// layouts might). Write then releases each as it goes, so memory does
// not hold every page's body at once.
//
// In a large KB (holdSearchFrom) the index stage's second half (the
// export's postings, shards and files, after the analysis that similar
// incidents need) waits until every other page is written, and the Site
// then lets go of all that only those pages read: the postmortems and
// the KB, the graph, the trends and the pages' caches (keepSearchOnly).
// The export then runs beside nothing else, on the smaller heap it needs
// itself: at 100k the live heap in that phase is ~0.7 GB smaller, so the
// collector, which the build's memory limit makes run often, marks less
// and less often. The order is then: the analysis (no page renders
// before similar incidents exist, see page.Set.RenderAll), every other
// page on both cores while the export waits, the export's second half,
// the search files.
func planRelease(b *job) error {
	s := b.s
	r := &releaser{s: s, bodies: defaultLayouts(s.Options.Root, s.Config)}
	if s.index.held() {
		r.pages = s.pages.RoutedPages() // every page but the search files
	}
	s.release = r
	if r.pages == 0 {
		s.index.startTail() // no page to wait for
	}
	return nil
}

// defaultLayouts reports whether the site's theme renders every page
// with the default layouts: then only the postmortem's own page reads
// its body's HTML, headings and links, and no page reads its timeline
// entries or ignore comments (the visual timeline is in the HTML). A
// theme with its own layouts might read any of them.
func defaultLayouts(root string, cfg *config.Config) bool {
	name := cfg.Theme
	if name == "" {
		name = "default"
	}
	_, err := os.Stat(filepath.Join(root, "themes", name, "layouts"))
	return err != nil
}

// releaser lets a lean build's data go page by page as Write writes it
// (planRelease).
type releaser struct {
	s      *Site
	bodies bool
	// pages is the number of pages but the search files to write before
	// the index stage's tail starts (0: it does not wait); written counts
	// them.
	pages   int
	mu      sync.Mutex
	written int
}

// written lets go of what only the page at p reads.
func (r *releaser) pageWritten(p string) {
	s := r.s
	kind := s.pages.Kind(p)
	if kind == "search-file" {
		s.releaseSearchFile(p)
		return
	}
	if kind == "postmortem" && r.bodies {
		if pm := s.pages.PostmortemAt(p); pm != nil {
			pm.Body.HTML, pm.Body.Timeline, pm.Body.Headings = "", nil, nil
		}
	}
	if r.pages == 0 {
		return
	}
	r.mu.Lock()
	r.written++
	last := r.written == r.pages
	r.mu.Unlock()
	if last {
		// Every page but the search files is written: nothing reads
		// the postmortems any more (Write's workers get the search
		// files only once the tail, started here, is done).
		s.keepSearchOnly()
		s.index.startTail()
	}
}

// keepSearchOnly lets go of what a lean build's pages read but the search
// files: once every other page is written, only the index stage's files
// are left to write (see planRelease). Site.Config, Options, Stages and
// Diagnostics stay.
func (s *Site) keepSearchOnly() {
	s.pages.KeepSearchOnly()
	s.KB, s.Postmortems, s.ContentPages, s.Graph, s.Trends, s.History = nil, nil, nil, nil, nil, nil
}
