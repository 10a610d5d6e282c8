package page

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/history"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/render"
	"github.com/hindsight-kb/hindsight/site/trend"
	"github.com/hindsight-kb/hindsight/themes"
)

// publicAudience is site/publish.Public.
const publicAudience = "public"

// Options say how the pages render.
type Options struct {
	// Root is the KB folder (for its themes/).
	Root string
	// Audience is "internal" or "public".
	Audience string
	// LiveReload makes pages load serve's live reload script.
	LiveReload bool
	// Workers is the number of parallel renderers of RenderAll (> 0).
	Workers int
	// TemplatesOnly renders every page with the theme's templates, never
	// with the Go twins of compiled.go (for the tests that compare both).
	TemplatesOnly bool
}

// Input is what the pages are made from: the results of the stages
// before rendering. Nothing in it is modified.
type Input struct {
	Options Options
	Config  *config.Config
	// KB is everything read: content assets are copied through it.
	KB *kb.KB
	// Postmortems are the published ones, newest first; ContentPages the
	// published content pages.
	Postmortems  []*postmortem.Postmortem
	ContentPages []*postmortem.Page
	Graph        *graph.Graph
	Trends       *trend.Trends
	History      history.History
	// Search is the index stage's result (nil: no similar incidents and
	// no search files).
	Search Search
	// Now is the build clock.
	Now time.Time
}

// Search is what the pages read of the index stage, which may still be
// running (a lean build renders the pages once SimilarDone is closed,
// and the search files once Done is).
type Search interface {
	// Similar returns the URL ids of the postmortems similar to the one
	// of URL id id, most similar first, waiting for the lists if need be.
	Similar(id string) []string
	// Files returns the output paths of the search files, sorted,
	// waiting for the export if need be.
	Files() ([]string, error)
	// File returns the search file at output path p.
	File(p string) ([]byte, bool, error)
	// SimilarDone is closed once Similar no longer waits, Done once
	// nothing does.
	SimilarDone() <-chan struct{}
	Done() <-chan struct{}
}

// Set is every output page of one site, rendered on demand: Render makes
// any one page from the Input alone, RenderAll every page. It never
// changes once made and is safe for concurrent use.
type Set struct {
	Input
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
	// lateSearch: the index stage was still running when the routes
	// were made, so the search files are not routes (a lean build).
	lateSearch bool
	// waited is how long the last RenderAll had nothing to send its
	// workers while the index stage ran (RenderWaited).
	waited time.Duration
	loc    *time.Location
	now    time.Time
}

// New opens the theme (the KB's overrides on the embedded default),
// parses its layouts, and maps every output path to what renders it.
// Its error is a broken theme.
func New(in Input) (*Set, error) {
	s := &Set{Input: in, loc: in.Config.Location, now: in.Now}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if err := s.setupTheme(); err != nil {
		return nil, err
	}
	s.buildRoutes()
	return s, nil
}

// RoutedPages is the number of pages the set knows without the index
// stage: every page but, while that stage runs (a lean build), the
// search files. (Pages waits for the index stage.)
func (s *Set) RoutedPages() int { return len(s.paths) }

// KeepSearchOnly lets go of everything the set's pages read but the
// search files (a lean build, once every other page is written): the
// routes, the postmortems, KB, graph, trends and the rendered fragments.
// Only the search files render afterwards (Render of another page
// returns ErrNotFound). It must not run beside a Render.
func (s *Set) KeepSearchOnly() {
	s.Input = Input{Options: s.Options, Config: s.Config, Search: s.Search, Now: s.Now}
	s.frags, s.routes, s.bySev, s.paths = nil, nil, nil, nil
}

// Kind returns the kind of the page at output path p (a layout's name,
// or feed, sitemap, api, static, asset, chroma, search-file,
// trends-data), "" when p is not a page of the set.
func (s *Set) Kind(p string) string {
	if rt, ok := s.routes[p]; ok {
		return rt.kind
	}
	if s.Has(p) {
		return "search-file"
	}
	return ""
}

// PostmortemAt returns the postmortem whose page is at output path p, or
// nil.
func (s *Set) PostmortemAt(p string) *postmortem.Postmortem {
	if rt, ok := s.routes[p]; ok && rt.kind == "postmortem" {
		return rt.p
	}
	return nil
}

// CompiledLayouts lists the layouts that render from their Go twins
// (compiled.go), of postmortem, pmrow, pmitem, refitem and actionrow.
func (s *Set) CompiledLayouts() []string {
	var out []string
	c := s.compiled
	for _, l := range []struct {
		name string
		on   bool
	}{{"postmortem", c.postmortem}, {"pmrow", c.pmrow}, {"pmitem", c.pmitem}, {"refitem", c.refitem}, {"actionrow", c.actionrow}} {
		if l.on {
			out = append(out, l.name)
		}
	}
	return out
}

// similarTo returns the URL ids of the postmortems similar to p.
func (s *Set) similarTo(p *postmortem.Postmortem) []string {
	if s.Search == nil {
		return nil
	}
	return s.Search.Similar(p.URLID())
}

// setupTheme opens and parses the theme with the template functions.
func (s *Set) setupTheme() error {
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
			w.S(string(h))
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
			w.S(string(h))
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
	if s.Options.TemplatesOnly {
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
