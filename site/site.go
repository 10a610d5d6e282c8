package site

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/history"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/publish"
	"github.com/hindsight-kb/hindsight/site/render"
	"github.com/hindsight-kb/hindsight/site/trend"
	"github.com/hindsight-kb/hindsight/themes"
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
	// stage is done (pages that do not need it render meanwhile), and
	// Write lets go of each postmortem's body HTML and each search file
	// once written: a lean Site is written once. For one-shot builds;
	// serve must not set it, since Update re-checks and re-indexes
	// unchanged files.
	Lean bool
	// templatesOnly renders every page with the theme's templates, never
	// with the Go twins of compiled.go (for the tests that compare both).
	templatesOnly bool
}

// Site is one loaded, checked, cross-linked knowledge base ready to
// render. It never changes after Load; a change makes a new Site.
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
	// Trends is the trends stage's result (see computeTrends).
	Trends *trend.Trends
	// Search is the index stage's result (similar incidents and
	// exportSearch's files). In a lean
	// build the index stage runs on while the first pages render, and
	// Search stays nil: use WaitSearch, which works in every build.
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
	theme *render.Theme
	frags *fragCache // rendered fragments (see setupTheme)
	// compiled says which layouts render from their Go twins
	// (compiled.go); never nil after setupTheme.
	compiled *compiledLayouts
	info     *render.SiteInfo
	routes   map[string]route
	bySev    []*postmortem.Postmortem
	paths    []string
	statics  map[string]string // output path → theme file
	assets   map[string]string // output path → KB file (content assets)
	loc      *time.Location
	now      time.Time
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

// Load runs the build's pipeline (see pipeline: load and history →
// publish → check, link+trend and index side by side → theme → routes) and
// returns the Site. The error is for what stops a build from running (an
// unreadable root or config file, a broken theme template); content
// problems are in Site.Diagnostics.
func Load(ctx context.Context, opts Options) (*Site, error) {
	opts, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	b := &job{ctx: ctx, s: &Site{Options: opts, now: opts.Now}}
	return b.run(pipeline(opts))
}

// StageTime is how long one stage of Load took (wall time).
type StageTime struct {
	Name string
	Took time.Duration
}

func (s *Site) setupTheme() error {
	fsys := themes.Open(s.Options.Root, s.Config.Theme)
	s.Theme = fsys
	funcs := render.Funcs(render.FuncOptions{Location: s.loc, Severities: s.Config.Severities, Now: s.now})
	// Rendered fragments, per Site: the row or item of a postmortem
	// appears on dozens of pages (lists, term pages, reference lists), so
	// each is rendered once per key. pmrow, refitem and pmitem are
	// dedicated functions because a dict and a partialCached key per item
	// cost more than the item itself.
	s.frags = newFragCache(s.Postmortems)
	pmrow := func(root string, p *postmortem.Postmortem, c any) (template.HTML, error) {
		compact, _ := c.(bool) // absent in the dict: false
		return s.frags.pm(p, fragRow, root, "", compact, func() (template.HTML, error) {
			if s.compiled.pmrow {
				return s.compiled.pmrowHTML(root, p, compact), nil
			}
			return s.theme.Partial("partials/pmrow.html", map[string]any{"Root": root, "P": p, "Compact": compact})
		})
	}
	funcs["pmrow"] = pmrow
	// pmrows is pmrow over a list, one template call per table instead
	// of one per row (a reflective call costs about as much as a cached
	// row).
	funcs["pmrows"] = func(root string, ps []*postmortem.Postmortem, c any) (template.HTML, error) {
		return tableRows(len(ps), func(w *htmlw, i int) error {
			h, err := pmrow(root, ps[i], c)
			w.s(string(h))
			return err
		})
	}
	// actionrows writes the rows of partials/trend-actions.html, each
	// partials/actionrow.html, in one template call per table.
	funcs["actionrows"] = func(list any, public bool) (template.HTML, error) {
		rows, ok := trend.RowsOf(list)
		if !ok {
			return "", fmt.Errorf("actionrows: want a list of trend.ActionRow, got %T", list)
		}
		return tableRows(len(rows), func(w *htmlw, i int) error {
			if s.compiled.actionrow {
				s.compiled.actionRowHTML(w, rows[i], public)
				return nil
			}
			h, err := s.theme.Partial("partials/actionrow.html", map[string]any{"R": rows[i], "Public": public})
			w.s(string(h))
			return err
		})
	}
	funcs["refitem"] = func(root string, r graph.Ref) (template.HTML, error) {
		return s.frags.pm(r.P, fragRefItem, root, joinShared(r.Shared), false, func() (template.HTML, error) {
			if s.compiled.refitem {
				return s.compiled.refitemHTML(root, r), nil
			}
			return s.theme.Partial("partials/refitem.html", map[string]any{"Root": root, "R": r})
		})
	}
	funcs["pmitem"] = func(root string, p *postmortem.Postmortem) (template.HTML, error) {
		return s.frags.pm(p, fragPMItem, root, "", false, func() (template.HTML, error) {
			if s.compiled.pmitem {
				return s.compiled.pmitemHTML(root, p), nil
			}
			return s.theme.Partial("partials/pmitem.html", map[string]any{"Root": root, "P": p})
		})
	}
	funcs["partialCached"] = func(name string, data any, variants ...any) (template.HTML, error) {
		key, err := partialKey(name, variants)
		if err != nil {
			return "", err
		}
		return s.frags.key(key, func() (template.HTML, error) { return s.theme.Partial(name, data) })
	}
	funcs["hasAsset"] = func(name string) bool {
		_, err := fs.Stat(fsys, "static/"+name)
		return err == nil
	}
	s.compiled = newCompiled(fsys, funcs)
	if s.Options.templatesOnly {
		s.compiled = &compiledLayouts{}
	}
	t, err := render.Load(fsys, funcs)
	if err != nil {
		return err
	}
	s.theme = t
	s.info = &render.SiteInfo{
		Title:      s.Config.Title,
		BaseURL:    s.Config.BaseURL,
		Config:     s.Config,
		Audience:   s.Options.Audience,
		LiveReload: s.Options.LiveReload,
		Nav: []render.NavItem{
			{Title: "Postmortems", URL: "postmortems/"},
			{Title: "Causes", URL: "causes/"},
			{Title: "Systems", URL: "systems/"},
			{Title: "Trends", URL: "trends/"},
			{Title: "Actions", URL: "actions/"},
			{Title: "Search", URL: "search/"},
		},
	}
	for _, pg := range s.ContentPages {
		s.info.Nav = append(s.info.Nav, render.NavItem{Title: pg.Title, URL: pg.URL()})
	}
	return nil
}

// partialKey is the cache key of partialCached: the partial's name and its
// variant values, which must be strings, numbers, booleans, string lists
// or postmortems (by path: a Site has one postmortem per path).
func partialKey(name string, variants []any) (string, error) {
	var b strings.Builder
	b.WriteString(name)
	for i, v := range variants {
		b.WriteByte(0)
		switch x := v.(type) {
		case string:
			b.WriteString(x)
		case []string:
			for _, s := range x {
				b.WriteString(s)
				b.WriteByte(1)
			}
		case *postmortem.Postmortem:
			b.WriteString(x.Path) // one postmortem per path in a Site
		case bool, int, int64, float64, nil:
			fmt.Fprint(&b, x)
		default:
			return "", fmt.Errorf("partialCached %s: variant %d is a %T; use strings, numbers, booleans, string lists or postmortems", name, i+1, v)
		}
	}
	return b.String(), nil
}

// ErrNotFound is returned (wrapped) by Render for a path the site does not
// have.
var ErrNotFound = errors.New("no such page")

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
