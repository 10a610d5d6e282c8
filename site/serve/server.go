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
	"net/url"
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
	// Hosts are the host names, besides localhost, 127.0.0.1, [::1] and
	// the address a connection arrived at, that requests may be
	// addressed to (their Host header, without the port): the names
	// under which the preview is shared on purpose. Requests for any
	// other host are refused, so a web page cannot read the preview
	// through DNS rebinding.
	Hosts []string
	// Limits bound what clients can hold of the server; zero fields
	// take the defaults.
	Limits Limits
}

// Limits bound the connections of a Server: any web page a developer
// opens can send requests to it.
type Limits struct {
	// ReadHeaderTimeout bounds reading a request's headers; 0 means 10 s.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request; 0 means 30 s.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing a response; 0 means 60 s. An event
	// stream has it for each event it writes.
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection that sent no request
	// for that long; 0 means 60 s.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds a request's headers; 0 means 64 KiB.
	MaxHeaderBytes int
	// MaxEventStreams bounds the open live-reload event streams; past
	// it a new one gets 503. 0 means 64.
	MaxEventStreams int
	// ShutdownGrace is how long requests in flight may finish when the
	// server stops; past it their connections are closed. 0 means 1 s.
	ShutdownGrace time.Duration
	// StuckRebuild is how long a rebuild may run before Watch gives up
	// waiting for it (a file that blocks reads, a hung network drive)
	// and rebuilds everything on the next change; 0 means 30 s.
	StuckRebuild time.Duration
}

// withDefaults returns l with its zero fields set to the defaults.
func (l Limits) withDefaults() Limits {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&l.ReadHeaderTimeout, 10*time.Second)
	def(&l.ReadTimeout, 30*time.Second)
	def(&l.WriteTimeout, 60*time.Second)
	def(&l.IdleTimeout, 60*time.Second)
	def(&l.ShutdownGrace, time.Second)
	def(&l.StuckRebuild, 30*time.Second)
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = 64 << 10
	}
	if l.MaxEventStreams <= 0 {
		l.MaxEventStreams = 64
	}
	return l
}

// Server is the live preview: an http.Handler serving the current
// snapshot, plus the machinery that replaces it when files change.
type Server struct {
	opts     Options
	cur      atomic.Pointer[state]
	rebuilds atomic.Int64
	// started counts the rebuilds started; a rebuild whose result comes
	// after a later one started (it was stuck, and given up) is dropped.
	started atomic.Int64
	hub     *hub
	id      string
	// touched holds the KB-relative paths changed since the server
	// started; the overlay shows their errors. Guarded by mu, which
	// also serialises storing rebuilt states.
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
	cache     *pageCache // shared by states of one snapshot
}

type entry struct {
	once sync.Once
	data []byte
	mime string
	err  error
}

// pageCacheBytes bounds what a snapshot's page cache holds: a link
// checker run against the preview of a 100k KB would otherwise keep all
// its ~2 GB of pages. A page larger than a quarter of it (the whole-KB
// api/postmortems.json and trend data of a large KB) is rendered for each
// request and not kept.
const pageCacheBytes = 128 << 20

// pageCache holds the pages rendered from one snapshot, each rendered
// once while requests for it overlap. When what it holds passes max
// bytes it starts again empty: pages are cheap to render again, and
// the pages being read keep their entries.
type pageCache struct {
	max   int
	mu    sync.Mutex
	m     map[string]*entry
	bytes int
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, m: map[string]*entry{}}
}

// get returns the entry of name, rendered by render once.
func (c *pageCache) get(name string, render func() ([]byte, string, error)) *entry {
	c.mu.Lock()
	e := c.m[name]
	if e == nil {
		e = &entry{}
		c.m[name] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		e.data, e.mime, e.err = render()
		c.mu.Lock()
		defer c.mu.Unlock()
		switch n := len(e.data); {
		case c.m[name] != e:
			// Dropped while it rendered.
		case n > c.max/4:
			delete(c.m, name)
		case c.bytes+n > c.max:
			c.m, c.bytes = map[string]*entry{name: e}, n
		default:
			c.bytes += n
		}
	})
	return e
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
	opts.Limits = opts.Limits.withDefaults()
	if opts.Root != "" {
		abs, err := filepath.Abs(opts.Root)
		if err != nil {
			return nil, err
		}
		opts.Root = abs
	}
	s := &Server{opts: opts, hub: newHub(opts.Limits.MaxEventStreams), touched: map[string]bool{}, script: opts.Script, snaps: make(chan Snapshot, 1)}
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

func (s *Server) newState(snap Snapshot, seq int64, cache *pageCache, failure string) *state {
	if cache == nil {
		cache = newPageCache(pageCacheBytes)
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
// given Limits.ShutdownGrace to finish before their connections are
// closed.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	l := s.opts.Limits
	srv := &http.Server{Handler: s, ReadHeaderTimeout: l.ReadHeaderTimeout, ReadTimeout: l.ReadTimeout,
		WriteTimeout: l.WriteTimeout, IdleTimeout: l.IdleTimeout, MaxHeaderBytes: l.MaxHeaderBytes}
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
	sctx, cancel := context.WithTimeout(context.Background(), l.ShutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// A request still running (a page whose rendering is stuck)
		// does not keep the process alive.
		err = srv.Close()
	}
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
	if !s.addressedHere(w, r) {
		return
	}
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
	if a, ok := st.snap.(Attachments); ok && a.Attachment(name) && !strings.HasPrefix(e.mime, "application/pdf") {
		// An HTML or SVG attachment opened directly runs no script on
		// the preview's origin. (Not PDFs: Chrome's viewer refuses to
		// open in a sandbox, and a PDF's scripts never reach the
		// origin.)
		h.Set("Content-Security-Policy", "sandbox")
	}
	if r.Method == http.MethodHead {
		return
	}
	w.Write(e.data)
}

// Attachments is implemented by snapshots that tell content attachments
// (files copied from content/ as they are) from the pages and files the
// site makes. The server sends attachments with
// "Content-Security-Policy: sandbox", so an HTML or SVG file from a pull
// request cannot run script on the preview's origin; pages keep the
// theme's own policy.
type Attachments interface {
	// Attachment reports whether the output path is an attachment.
	Attachment(path string) bool
}

// addressedHere refuses, and reports false for, a request not addressed
// to this server (DNS rebinding: a page on attacker.example whose name
// now resolves to 127.0.0.1) or sent by another site's page (its Origin
// is not this server, or its Fetch Metadata says so). The same-origin
// requests of the preview's own pages carry no Origin, or this one.
func (s *Server) addressedHere(w http.ResponseWriter, r *http.Request) bool {
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !s.ownHost(r.Host, local) {
		http.Error(w, fmt.Sprintf("hindsight serve answers only requests addressed to its own names (localhost, 127.0.0.1 or [::1] on its port), not to %q: "+
			"a web page may be trying to read the preview through another name (DNS rebinding). "+
			"If you opened the preview under this name on purpose, start serve with --allow-host %s.",
			r.Host, hostName(r.Host)), http.StatusMisdirectedRequest)
		return false
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Scheme != "http" || u.Host == "" || !s.ownHost(u.Host, local) {
			http.Error(w, fmt.Sprintf("hindsight serve does not answer requests that pages of other sites send (Origin %q)", o), http.StatusForbidden)
			return false
		}
	}
	// A page of another site can still have the browser load the
	// preview's files as images, scripts, styles or frames, or fetch them
	// in no-cors mode, and none of those carries an Origin: whether an
	// image loads tells that page which attachments (so which incidents)
	// the preview has, and fetching the whole-KB files over and over
	// costs the preview its memory and cores. Browsers say who asked
	// (Fetch Metadata): from another site, or another port of this one,
	// only the user's own opening of a page is answered. A request
	// without these headers (curl, an old browser) comes from no page.
	if from := r.Header.Get("Sec-Fetch-Site"); from == "cross-site" || from == "same-site" {
		if r.Header.Get("Sec-Fetch-Mode") != "navigate" || r.Header.Get("Sec-Fetch-Dest") != "document" {
			http.Error(w, fmt.Sprintf("hindsight serve does not answer what a page of another site has the browser load from it "+
				"(Sec-Fetch-Site %q, Sec-Fetch-Dest %q); open the preview itself instead", from, r.Header.Get("Sec-Fetch-Dest")), http.StatusForbidden)
			return false
		}
	}
	return true
}

// ownHost reports whether host (a Host header or an Origin's host) names
// this server: a loopback name, the address the connection arrived at,
// or one of Options.Hosts, with the port the connection arrived at (no
// port means 80).
func (s *Server) ownHost(host string, local net.Addr) bool {
	name, port := hostName(host), ""
	if _, p, err := net.SplitHostPort(host); err == nil {
		port = p
	}
	if la, ok := local.(*net.TCPAddr); ok {
		if want := strconv.Itoa(la.Port); port != want && !(port == "" && want == "80") {
			return false
		}
		if ip := net.ParseIP(name); ip != nil && ip.Equal(la.IP) {
			return true
		}
	}
	switch name {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	for _, h := range s.opts.Hosts {
		if strings.EqualFold(strings.TrimSuffix(h, "."), name) {
			return true
		}
	}
	return false
}

// hostName returns the lower-case name of a Host header, without port,
// brackets or a final dot.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.ToLower(strings.TrimSuffix(host, "."))
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

// render renders a page once per snapshot (while its cache keeps it,
// see pageCache); concurrent requests for it wait for the one rendering.
func (st *state) render(name string) *entry {
	return st.cache.get(name, func() ([]byte, string, error) { return st.snap.Render(name) })
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
	s.rebuild(ctx, batch{paths: changed, full: full}, s.started.Add(1))
}

// rebuild builds the snapshot for b and serves it, unless a later
// rebuild (number > gen) started meanwhile: then this one was given up
// as stuck, and its result is dropped.
func (s *Server) rebuild(ctx context.Context, b batch, gen int64) {
	start := s.opts.Now()
	cur := s.cur.Load()
	rels := make([]string, 0, len(b.paths))
	s.mu.Lock()
	for _, p := range b.paths {
		if rel, ok := s.rel(p); ok {
			rels = append(rels, rel)
			s.touched[rel] = true
		}
	}
	s.mu.Unlock()
	var snap Snapshot
	var err error
	if b.full {
		snap, err = s.opts.Builder.Load(ctx)
	} else {
		snap, err = s.opts.Builder.Update(ctx, cur.snap, b.paths)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ctx.Err() != nil || s.started.Load() != gen {
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
