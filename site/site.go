package site

import (
	"context"
	"fmt"
	"github.com/hindsight-kb/hindsight/site/page"
	"io/fs"
	"path/filepath"
	"runtime"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/history"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/publish"
	"github.com/hindsight-kb/hindsight/site/trend"
)

// Audiences (see site/publish).
const (
	Internal = publish.Internal
	Public   = publish.Public
)

// Options say what Load and Write build.
type Options struct {
	// Root is the KB folder.
	Root string
	// Out is the output folder; "" means <Root>/public.
	Out string
	// Audience is Internal (default) or Public.
	Audience string
	// Drafts includes status: draft postmortems (never for Public).
	Drafts bool
	// Now is the build clock ("overdue", "recent"); zero means time.Now().
	Now time.Time
	// Force allows writing into an existing non-empty folder that
	// hindsight did not create (its files are kept).
	Force bool
	// LiveReload makes pages load serve's live reload script.
	LiveReload bool
	// Workers is the number of parallel renderers; 0 means GOMAXPROCS.
	Workers int
	// NoGit skips reading "last updated" dates from git.
	NoGit bool
	// Strict makes open overdue actions errors (as check --strict).
	Strict bool
	// NoStaticSearch skips the static search index (search/index/…):
	// serve sets it, since it answers /search/ on the server and the
	// page tells search.js to stand aside. Similar incidents are made
	// either way.
	NoStaticSearch bool
	// Lean checks each postmortem and makes its search document as soon
	// as it is parsed, then frees what only the checks and the search
	// index need (its source text, line table, field positions, prose
	// spans and section texts; the plain text once indexed), so memory
	// stays low however large the KB. Load then returns before the index
	// stage is done (Write's pages wait for its first half), and
	// Write lets go of each postmortem's body HTML and each search file
	// once written (the "release bodies" stage): a lean Site is written
	// once (and in a KB of 20,000 published postmortems or more, Write
	// sets its KB, Postmortems, Graph and Trends to nil once every page
	// but the search files is written: see planRelease). For one-shot
	// builds;
	// serve must not set it, since Update re-checks and re-indexes
	// unchanged files.
	Lean bool
	// Compact is for serve, which keeps a Site for hours and updates it
	// on every save: each postmortem is checked as soon as it is parsed,
	// then what only the checks read (source, line table, field
	// positions, prose spans, section texts) is let go, as Lean does;
	// unlike Lean, the index stage runs to the end and Update works (a
	// change of ids or paths re-checks the KB from its files). See
	// compact.go. Lean is ignored when Compact is set.
	Compact bool
	// templatesOnly renders every page with the theme's templates, never
	// with the Go twins of site/page/compiled.go (for the tests that
	// compare both).
	templatesOnly bool
	// holdSearchFrom, when positive, replaces holdSearchFrom (the KB size
	// from which a lean build writes the search files after the
	// postmortem pages), for the tests of that order on small KBs.
	holdSearchFrom int
}

// Site is one loaded, checked, cross-linked knowledge base ready to
// render: each field is a stage's output (stages.go). It never changes
// after Load (but for what a lean build's Write releases); a change makes
// a new Site.
type Site struct {
	Options Options
	Config  *config.Config
	// KB is everything that was read, drafts and internal postmortems
	// included. Pages render from Postmortems, never from KB.
	KB *kb.KB
	// Diagnostics are the config, file and check diagnostics, sorted.
	Diagnostics []diag.Diagnostic
	// Postmortems are the published ones (audience and drafts applied;
	// stripped copies for Public), newest first.
	Postmortems []*postmortem.Postmortem
	// ContentPages are the content pages (content/*.md).
	ContentPages []*postmortem.Page
	Graph        *graph.Graph
	// Trends is the trends stage's result (see linkStage).
	Trends *trend.Trends
	// Search is the index stage's result (similar incidents and
	// exportSearch's files). In a lean build the index stage runs on
	// while the first pages render, and Search stays nil: use WaitSearch,
	// which works in every build.
	Search *SearchData
	// index is the lean build's index stage while it runs (nil otherwise).
	index *indexStage
	// release is the lean build's "release bodies" stage, run by Write
	// (nil otherwise).
	release *releaser
	// History maps KB-relative paths to their git history.
	History history.History
	// Stages are the wall times of the pipeline's stages (in order, then
	// "total"), for --timings and benchmarks.
	Stages []StageTime
	// Theme is the theme's file system (default theme with overrides).
	Theme fs.FS
	// pages renders the output pages (site/page).
	pages *page.Set
	loc   *time.Location
	now   time.Time
}

// HasErrors reports whether any diagnostic is an error: such a site must
// not be published.
func (s *Site) HasErrors() bool {
	n, _ := diag.Count(s.Diagnostics)
	return n > 0
}

// Now returns the build clock.
func (s *Site) Now() time.Time { return s.now }

// normalize fills defaults and validates opts.
func (o Options) normalize() (Options, error) {
	if o.Root == "" {
		o.Root = "."
	}
	abs, err := filepath.Abs(o.Root)
	if err != nil {
		return o, err
	}
	o.Root = abs
	if o.Out == "" {
		o.Out = filepath.Join(o.Root, "public")
	}
	switch o.Audience {
	case "":
		o.Audience = Internal
	case Internal, Public:
	default:
		return o, fmt.Errorf("audience %q is not known; use internal or public", o.Audience)
	}
	if o.Audience == Public {
		o.Drafts = false
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o, nil
}

// Load runs the build's pipeline (see pipeline: load, with git history in
// the background → publish → check, link+trend and index side by side, a
// lean build's index after link+trend → pages) and returns the Site. The
// error is for what stops a build from running (an unreadable root or
// config file, a broken theme template); content problems are in
// Site.Diagnostics.
func Load(ctx context.Context, opts Options) (*Site, error) {
	opts, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	b := &job{ctx: ctx, s: &Site{Options: opts, now: opts.Now}}
	s, err := b.run(pipeline(opts))
	if err != nil {
		b.s.index.startTail() // a lean build's index stage, if started
	}
	return s, err
}

// StageTime is how long one stage of Load took (wall time).
type StageTime struct {
	Name string
	Took time.Duration
}

// Pages returns every output path of the site, sorted.
func (s *Site) Pages() []string { return s.pages.Pages() }

// Has reports whether p is an output path of the site.
func (s *Site) Has(p string) bool { return s.pages.Has(p) }

// Render renders one output path and returns its content and MIME type.
// It depends on no other page having been rendered and is safe for
// concurrent use.
func (s *Site) Render(p string) ([]byte, string, error) { return s.pages.Render(p) }

// RenderAll renders every page on Options.Workers goroutines and calls fn
// for each (concurrently). It stops at the first error. fn must not keep
// data after it returns: each worker reuses one buffer for its pages.
func (s *Site) RenderAll(ctx context.Context, fn func(path string, data []byte) error) error {
	return s.pages.RenderAll(ctx, fn)
}

// RenderWaited is how long the last RenderAll waited for the index stage
// with no page to render (see page.Set.RenderWaited).
func (s *Site) RenderWaited() time.Duration { return s.pages.RenderWaited() }

// NotFound renders the 404 page for a request of urlPath, with links
// relative to that path (see page.Set.NotFound).
func (s *Site) NotFound(urlPath string) ([]byte, error) { return s.pages.NotFound(urlPath) }

// IsAttachment reports whether the output path p is a content attachment
// (see page.Set.IsAttachment): serve sends those sandboxed.
func (s *Site) IsAttachment(p string) bool { return s.pages.IsAttachment(p) }

// BuildNotes are the one-line remarks a build summary prints once (see
// page.Set.BuildNotes).
func (s *Site) BuildNotes() []string { return s.pages.BuildNotes() }

// ErrNotFound is returned (wrapped) by Render for a path the site does not
// have.
var ErrNotFound = page.ErrNotFound

// SearchView is the search page's view model (serve renders results
// into it).
type SearchView = page.SearchView

// PerPage is how many postmortems a list or term page shows.
const PerPage = page.PerPage
