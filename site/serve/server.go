package serve

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/themes"
)

// Snapshot is one complete, immutable state of the site. Its methods are
// called concurrently by many requests.
type Snapshot interface {
	// Pages lists every output path the site has, e.g. "index.html",
	// "postmortems/x/index.html", "assets/style.css".
	Pages() []string
	// Render renders one output path and says its content type.
	Render(path string) (data []byte, mime string, err error)
	// Problems returns the snapshot's diagnostics (config, files, checks).
	Problems() []diag.Diagnostic
}

// Builder makes snapshots: Load from scratch, Update from a previous
// snapshot and the files that changed since (absolute paths of files or
// folders, modified, added or removed). Neither modifies a snapshot it
// was given.
type Builder interface {
	Load(ctx context.Context) (Snapshot, error)
	Update(ctx context.Context, prev Snapshot, changed []string) (Snapshot, error)
}

// Options configure a Server.
type Options struct {
	// Root is the KB folder; it is watched.
	Root string
	// Builder makes the snapshots.
	Builder Builder
	// Poll, when positive, makes Watch scan the files every Poll (size
	// and modification time) instead of relying on file system events.
	Poll time.Duration
	// Debounce is how long Watch waits after the last event before it
	// rebuilds; 0 means 40 ms.
	Debounce time.Duration
	// MaxWait bounds how long a stream of events can delay a rebuild; 0
	// means 400 ms.
	MaxWait time.Duration
	// Log receives the terminal messages (rebuilds, diagnostics of the
	// changed files); nil discards them.
	Log io.Writer
	// Script is the live reload script; nil means the default theme's
	// static/livereload.js.
	Script []byte
	// API, when set, answers /api/search (and anything under /api/search/).
	API http.Handler
	// Search, when set, answers /search/ (with or without ?q=) with a
	// server-rendered page, so search works without JavaScript and always
	// searches the current content. It gets the snapshot the request
	// loaded.
	Search func(snap Snapshot, w http.ResponseWriter, r *http.Request)
	// OnSnapshot, when set, is called with each new snapshot (the first
	// one and every rebuilt one) on a goroutine of its own, after browsers
	// were told: a slow consumer (the search index) never delays a
	// reload. Snapshots that arrive while it runs are coalesced: it gets
	// the newest, once no new one came for SnapshotDelay. It runs while
	// Serve does.
	OnSnapshot func(ctx context.Context, snap Snapshot)
	// SnapshotDelay is the pause OnSnapshot waits for; 0 means 300 ms.
	SnapshotDelay time.Duration
	// Now is the clock for the terminal's timings; nil means time.Now.
	Now func() time.Time
}

// Server is the live preview: an http.Handler serving the current
// snapshot, plus the machinery that replaces it when files change.
type Server struct {
	opts     Options
	cur      atomic.Pointer[state]
	rebuilds atomic.Int64
	hub      *hub
	id       string
	// touched holds the KB-relative paths changed since the server
	// started; the overlay shows their errors. Only the rebuild
	// goroutine uses it (rebuilds are serialised by mu).
	touched map[string]bool
	mu      sync.Mutex
	script  []byte
	// snaps holds the newest snapshot not yet given to OnSnapshot.
	snaps chan Snapshot
}

// state is what a request reads: one snapshot and what goes with it.
type state struct {
	snap Snapshot
	seq  int64
	// version names the state for clients: the server's id and seq.
	version string
	// problems are the errors of the files changed in this session, for
	// the overlay; failure is set when the last rebuild could not run.
	problems []Problem
	failure  string

	pagesOnce sync.Once
	pages     map[string]bool
	cache     *sync.Map // output path → *entry; shared by states of one snapshot
}

type entry struct {
	once sync.Once
	data []byte
	mime string
	err  error
}

// Problem is a diagnostic as the browser overlay receives it.
type Problem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

// New builds the first snapshot and returns a Server serving it. It fails
// when that first build cannot run.
func New(ctx context.Context, opts Options) (*Server, error) {
	if opts.Builder == nil {
		return nil, errors.New("serve: no Builder")
	}
	if opts.Debounce <= 0 {
		opts.Debounce = 40 * time.Millisecond
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = 400 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.SnapshotDelay <= 0 {
		opts.SnapshotDelay = 300 * time.Millisecond
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Root != "" {
		abs, err := filepath.Abs(opts.Root)
		if err != nil {
			return nil, err
		}
		opts.Root = abs
	}
	s := &Server{opts: opts, hub: newHub(), touched: map[string]bool{}, script: opts.Script, snaps: make(chan Snapshot, 1)}
	s.id = strconv.FormatInt(opts.Now().UnixNano(), 36)
	if s.script == nil {
		b, err := fs.ReadFile(themes.Default(), "static/livereload.js")
		if err != nil {
			return nil, fmt.Errorf("serve: the live reload script is missing from the default theme: %w", err)
		}
		s.script = b
	}
	snap, err := opts.Builder.Load(ctx)
	if err != nil {
		return nil, err
	}
	s.cur.Store(s.newState(snap, 1, nil, ""))
	s.offer(snap)
	return s, nil
}

// offer hands snap to the OnSnapshot goroutine, replacing an older one
// still waiting.
func (s *Server) offer(snap Snapshot) {
	if s.opts.OnSnapshot == nil {
		return
	}
	for {
		select {
		case s.snaps <- snap:
			return
		default:
		}
		select {
		case <-s.snaps:
		default:
		}
	}
}

func (s *Server) snapshotLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case snap := <-s.snaps:
			// Wait for a pause in the edits, so the consumer does not
			// compete with the next rebuild for the CPU.
			for quiet := false; !quiet; {
				select {
				case <-ctx.Done():
					return
				case newer := <-s.snaps:
					snap = newer
				case <-time.After(s.opts.SnapshotDelay):
					quiet = true
				}
			}
			s.opts.OnSnapshot(ctx, snap)
		}
	}
}

func (s *Server) newState(snap Snapshot, seq int64, cache *sync.Map, failure string) *state {
	if cache == nil {
		cache = new(sync.Map)
	}
	st := &state{snap: snap, seq: seq, version: s.id + "-" + strconv.FormatInt(seq, 10), cache: cache, failure: failure}
	st.problems = overlay(snap.Problems(), s.touched)
	return st
}

// Rebuilds returns the number of rebuilds done since New (successful or
// not); tests use it to count how many rebuilds a burst of changes gave.
func (s *Server) Rebuilds() int64 { return s.rebuilds.Load() }

// Version returns the current state's version, as sent to browsers.
func (s *Server) Version() string { return s.cur.Load().version }

// Snapshot returns the snapshot currently served.
func (s *Server) Snapshot() Snapshot { return s.cur.Load().snap }

// Serve answers HTTP on ln until ctx is cancelled, then shuts down
// gracefully: open event streams are closed and requests in flight are
// given a few seconds to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(s.hub.close)
	if s.opts.OnSnapshot != nil {
		lctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.snapshotLoop(lctx)
		}()
		defer func() { cancel(); <-done }()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.hub.close()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	return err
}

// Paths of the server's own endpoints.
const (
	EventsPath = "/__hindsight/events"
	ScriptPath = "/__hindsight/livereload.js"
	// themeScript is where pages built with LiveReload load the script
	// from (docs/theme.md); it is served, never written by a build.
	themeScript = "assets/livereload.js"
)

// ServeHTTP answers one request from the snapshot current when it
// arrived.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	p := r.URL.Path
	switch {
	case p == EventsPath:
		s.serveEvents(w, r)
		return
	case p == ScriptPath || p == "/"+themeScript:
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(s.script)
		return
	case s.opts.API != nil && (p == "/api/search" || strings.HasPrefix(p, "/api/search/")):
		s.opts.API.ServeHTTP(w, r)
		return
	}
	st := s.cur.Load()
	if s.opts.Search != nil && (p == "/search/" || p == "/search/index.html") {
		s.opts.Search(st.snap, w, r)
		return
	}
	name, redirect, ok := st.resolve(p)
	if redirect != "" {
		u := redirect
		if r.URL.RawQuery != "" {
			u += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, u, http.StatusMovedPermanently)
		return
	}
	if !ok {
		s.notFound(st, w, p)
		return
	}
	e := st.render(name)
	if e.err != nil {
		s.renderError(w, name, e.err)
		return
	}
	h.Set("Content-Type", e.mime)
	h.Set("Content-Length", strconv.Itoa(len(e.data)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(e.data)
}

// resolve maps a URL path to an output path of the snapshot. Only listed
// paths are served: path.Clean removes "..", and nothing is looked up on
// disk. A folder without its slash is redirected to it.
func (st *state) resolve(p string) (name, redirect string, ok bool) {
	if strings.ContainsRune(p, 0) || strings.Contains(p, "\\") {
		return "", "", false
	}
	clean := path.Clean("/" + p)
	rel := strings.TrimPrefix(clean, "/")
	pages := st.pageSet()
	if rel == "" || strings.HasSuffix(p, "/") {
		idx := path.Join(rel, "index.html")
		return idx, "", pages[idx]
	}
	if pages[rel] {
		return rel, "", true
	}
	if pages[rel+"/index.html"] {
		return "", clean + "/", false
	}
	return "", "", false
}

func (st *state) pageSet() map[string]bool {
	st.pagesOnce.Do(func() {
		ps := st.snap.Pages()
		st.pages = make(map[string]bool, len(ps))
		for _, p := range ps {
			st.pages[p] = true
		}
	})
	return st.pages
}

// render renders a page once per snapshot; concurrent requests for it
// wait for the one rendering.
func (st *state) render(name string) *entry {
	v, _ := st.cache.LoadOrStore(name, &entry{})
	e := v.(*entry)
	e.once.Do(func() { e.data, e.mime, e.err = st.snap.Render(name) })
	return e
}

// NotFounder is implemented by snapshots that render their 404 page for
// the path asked (so its relative links work at any depth).
type NotFounder interface {
	NotFound(urlPath string) ([]byte, error)
}

func (s *Server) notFound(st *state, w http.ResponseWriter, urlPath string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if nf, ok := st.snap.(NotFounder); ok {
		if b, err := nf.NotFound(strings.TrimPrefix(urlPath, "/")); err == nil {
			w.WriteHeader(http.StatusNotFound)
			w.Write(b)
			return
		}
	}
	if st.pageSet()["404.html"] {
		if e := st.render("404.html"); e.err == nil {
			w.Header().Set("Content-Type", e.mime)
			w.WriteHeader(http.StatusNotFound)
			w.Write(e.data)
			return
		}
	}
	http.Error(w, "404 page not found", http.StatusNotFound)
}

// renderError shows why a page could not be rendered: this is a preview
// for the author, who needs the reason, not a polite page.
func (s *Server) renderError(w http.ResponseWriter, name string, err error) {
	fmt.Fprintf(s.opts.Log, "serve: %s: %v\n", name, err)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>Render error</title><h1>%s could not be rendered</h1><pre>%s</pre>",
		html.EscapeString(name), html.EscapeString(err.Error()))
}

// overlay selects the errors of the touched files, as the browser shows
// them.
func overlay(ds []diag.Diagnostic, touched map[string]bool) []Problem {
	var out []Problem
	for _, d := range ds {
		if d.Severity == diag.Error && touched[d.File] {
			out = append(out, toProblem(d))
		}
	}
	return out
}

func toProblem(d diag.Diagnostic) Problem {
	return Problem{File: d.File, Line: d.Pos.Line, Column: d.Pos.Col, Severity: d.Severity.String(), Rule: d.Rule, Message: d.Message}
}

// batch is one rebuild's worth of changes.
type batch struct {
	paths []string // absolute, sorted
	full  bool     // config or theme changed, or events were lost
	// css is true when every change is a theme style sheet.
	css bool
	// reason says why a full rebuild happens (for the terminal), if not
	// obvious.
	reason string
}

// Rebuild applies a batch of changed paths (absolute) at once: full
// rebuilds the site from scratch. Watch calls it; tests may too.
func (s *Server) Rebuild(ctx context.Context, changed []string, full bool) {
	s.rebuild(ctx, batch{paths: changed, full: full})
}

func (s *Server) rebuild(ctx context.Context, b batch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := s.opts.Now()
	cur := s.cur.Load()
	rels := make([]string, 0, len(b.paths))
	for _, p := range b.paths {
		if rel, ok := s.rel(p); ok {
			rels = append(rels, rel)
			s.touched[rel] = true
		}
	}
	var snap Snapshot
	var err error
	if b.full {
		snap, err = s.opts.Builder.Load(ctx)
	} else {
		snap, err = s.opts.Builder.Update(ctx, cur.snap, b.paths)
	}
	if ctx.Err() != nil {
		return
	}
	kind := "reload"
	var next *state
	if err != nil {
		// Keep serving the last good snapshot; say why in the overlay.
		next = s.newState(cur.snap, cur.seq+1, cur.cache, err.Error())
		var list diag.List
		if errors.As(err, &list) {
			for _, d := range list {
				next.problems = append(next.problems, toProblem(d))
			}
		}
		kind = "status"
	} else {
		next = s.newState(snap, cur.seq+1, nil, "")
		if b.css {
			kind = "css"
		}
	}
	s.cur.Store(next)
	s.rebuilds.Add(1)
	s.hub.publish(next.event(kind))
	s.report(cur, next, b, rels, err, s.opts.Now().Sub(start))
	if err == nil {
		s.offer(snap)
	}
}

// rel returns the KB-relative slash path of an absolute path.
func (s *Server) rel(p string) (string, bool) {
	r, err := filepath.Rel(s.opts.Root, p)
	if err != nil {
		return "", false
	}
	r = filepath.ToSlash(r)
	if r == ".." || strings.HasPrefix(r, "../") {
		return "", false
	}
	return r, true
}

// report prints one rebuild to the terminal: what changed, how long it
// took, and the diagnostics of the changed files (once per change).
func (s *Server) report(prev, next *state, b batch, rels []string, err error, took time.Duration) {
	w := s.opts.Log
	what := describe(rels)
	if b.full && b.reason != "" {
		what = b.reason
	}
	if err != nil {
		fmt.Fprintf(w, "%s  %s: rebuild failed, still serving the last good version:\n%v\n", s.opts.Now().Format("15:04:05"), what, err)
		return
	}
	mode := "rebuilt"
	if b.full {
		mode = "rebuilt everything"
	}
	fmt.Fprintf(w, "%s  %s: %s in %s\n", s.opts.Now().Format("15:04:05"), what, mode, took.Round(time.Millisecond))
	changed := map[string]bool{}
	for _, r := range rels {
		changed[r] = true
	}
	had := map[string]bool{}
	for _, p := range prev.problems {
		had[p.File] = true
	}
	has := map[string]bool{}
	for _, d := range next.snap.Problems() {
		if changed[d.File] || underAny(d.File, rels) {
			fmt.Fprintf(w, "  %s\n", d)
			if d.Severity == diag.Error {
				has[d.File] = true
			}
		}
	}
	var fixed []string
	for f := range had {
		if changed[f] && !has[f] {
			fixed = append(fixed, f)
		}
	}
	sort.Strings(fixed)
	for _, f := range fixed {
		fmt.Fprintf(w, "  %s: fixed, no more errors\n", f)
	}
}

func underAny(file string, dirs []string) bool {
	for _, d := range dirs {
		if strings.HasPrefix(file, d+"/") {
			return true
		}
	}
	return false
}

func describe(rels []string) string {
	switch len(rels) {
	case 0:
		return "change"
	case 1:
		return rels[0]
	case 2:
		return rels[0] + " and " + rels[1]
	}
	return fmt.Sprintf("%s and %d more files", rels[0], len(rels)-1)
}
