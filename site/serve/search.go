package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"path"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/search/web"
	"github.com/hindsight-kb/hindsight/site"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// SiteSearch keeps a search index of the served site up to date and
// answers /api/search and the server-rendered /search/?q= page.
//
// The index is the KB's on-disk one (.hindsight/search, shared with
// `hindsight search`) when the preview shows what it holds (internal
// audience, drafts included) and no other process holds it; otherwise it
// is in memory. It is updated after each rebuild, in the background
// (only changed postmortems are re-indexed): the reload event never waits
// for it, so a search right after an edit may answer from the previous
// version for a moment.
type SiteSearch struct {
	opts site.Options
	log  io.Writer
	// lim bounds the searches of /api/search and /search/ together.
	lim *web.Limiter
	ix  atomic.Pointer[search.Index]
	mu  sync.Mutex // serialises Index calls
	// docs caches the document of each postmortem value, for the public
	// audience (guarded by mu).
	docs map[*postmortem.Postmortem]docEntry
}

type docEntry struct {
	doc search.Doc
	ok  bool
}

// NewSiteSearch returns a SiteSearch for a site built with opts; log
// receives problems with the index. Its searches are bounded by a
// web.Limiter with the default limits.
func NewSiteSearch(opts site.Options, log io.Writer) *SiteSearch {
	if log == nil {
		log = io.Discard
	}
	return &SiteSearch{opts: opts, log: log, lim: web.NewLimiter(web.Limits{})}
}

// Index brings the index up to date with snap. Server calls it after each
// rebuild (Options.OnSnapshot), once edits pause.
func (ss *SiteSearch) Index(ctx context.Context, snap Snapshot) {
	s, ok := snap.(SiteSnapshot)
	if !ok {
		return
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ix := ss.ix.Load()
	if ix == nil {
		var err error
		ix, err = ss.open(s.Site)
		if err != nil {
			fmt.Fprintf(ss.log, "serve: search is off: %v\n", err)
			return
		}
		ss.ix.Store(ix)
	}
	// hindsight.yaml may have changed its search.synonyms.
	ix.SetSynonyms(s.Config.Search.Synonyms)
	public := s.Options.Audience == site.Public
	o := search.DocOptionsFor(s.Config, public, s.Options.Drafts && !public)
	var err error
	if public {
		_, err = ss.indexPublic(ctx, ix, s.Site, o)
	} else {
		// The internal audience's documents are those of the KB's
		// files, as `hindsight search` makes them: the index reads the
		// files whose size or modification time changed since it last
		// looked (all of them the first time) and re-reads a hit's file
		// for its snippet, so serve holds no document, and an edit costs
		// one listing and one file, not a hash of every body.
		_, err = ix.SyncKB(ctx, s.Options.Root, s.Config, o)
	}
	if err != nil && ctx.Err() == nil {
		fmt.Fprintf(ss.log, "serve: updating the search index: %v\n", err)
	}
}

// indexPublic brings the public audience's index up to date with the
// site's postmortems: those the publication policy kept, stripped of
// internal fields and sections (which the files alone do not tell).
// Documents are made again only for postmortems that changed (new
// values); unchanged ones are the same pointers from snapshot to
// snapshot.
func (ss *SiteSearch) indexPublic(ctx context.Context, ix *search.Index, s *site.Site, o search.DocOptions) (search.UpdateStats, error) {
	docs := make([]search.Doc, 0, len(s.Postmortems))
	cache := make(map[*postmortem.Postmortem]docEntry, len(s.Postmortems))
	for _, p := range s.Postmortems {
		e, ok := ss.docs[p]
		if !ok {
			e.doc, e.ok = search.NewDoc(p, o)
		}
		cache[p] = e
		if e.ok {
			docs = append(docs, e.doc)
		}
	}
	ss.docs = cache
	return ix.Update(ctx, docs)
}

func (ss *SiteSearch) open(s *site.Site) (*search.Index, error) {
	// One bulk batch at a time, of at most 2,000 documents, the files
	// parsed 5,000 at a time: the first index is built in the background
	// beside the whole loaded site (memory, not speed: at 100k, batches
	// of an eighth of the KB held 1.5 GB of analysis).
	o := search.Options{Location: s.Config.Location, LockTimeout: 200 * time.Millisecond, BulkWorkers: 1, MaxBatchDocs: 2000,
		Synonyms: s.Config.Search.Synonyms}
	if s.Options.Audience == site.Public || !s.Options.Drafts {
		// The on-disk index holds the internal audience with drafts;
		// another selection would rewrite it.
		return search.Open("", o)
	}
	ix, err := search.Open(search.DefaultDir(s.Options.Root), o)
	if errors.Is(err, search.ErrLocked) {
		return search.Open("", o)
	}
	return ix, err
}

// Close closes the index.
func (ss *SiteSearch) Close() error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ix := ss.ix.Swap(nil); ix != nil {
		return ix.Close()
	}
	return nil
}

// API answers /api/search (503 until the index is open).
func (ss *SiteSearch) API() http.Handler { return web.HandlerFor(ss.ix.Load, ss.lim) }

// Page answers /search/ and /search/?q=QUERY without JavaScript: the
// site's search page with the results written into it. The page is
// marked data-server-rendered even without a query, so search.js stands
// aside and the static index (as of the last full build) is never used in
// the preview.
//
// HOOK(site): the search template has no field for server results yet
// (site.SearchView holds only Query), so the results are rendered here
// and put inside <div id="search-results">, marked data-server-rendered
// so search.js leaves them alone. When SearchView carries a
// *web.PageData, render through the theme instead.
func (ss *SiteSearch) Page(snap Snapshot, w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	base, mime, err := snap.Render("search/index.html")
	if err != nil {
		http.Error(w, "the search page could not be rendered: "+err.Error(), http.StatusInternalServerError)
		return
	}
	pd := web.Page(r.Context(), ss.ix.Load(), q, 50, ss.lim)
	var buf bytes.Buffer
	if err := resultsTmpl.Execute(&buf, pageView{PageData: pd, Root: "../"}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	const open = `<div id="search-results"`
	i := bytes.Index(base, []byte(open))
	j := -1
	if i >= 0 {
		j = bytes.IndexByte(base[i:], '>')
	}
	var out []byte
	if i < 0 || j < 0 {
		out = append(append([]byte(nil), base...), buf.Bytes()...)
	} else {
		end := i + j + 1
		out = make([]byte, 0, len(base)+buf.Len()+40)
		out = append(out, base[:i]...)
		out = append(out, `<div id="search-results" data-server-rendered="true"`...)
		out = append(out, base[i+len(open):end]...)
		out = append(out, buf.Bytes()...)
		out = append(out, base[end:]...)
	}
	// The query box shows the query.
	out = bytes.Replace(out, []byte(`name="q" value=""`), []byte(`name="q" value="`+template.HTMLEscapeString(q)+`"`), 1)
	w.Header().Set("Content-Type", mime)
	if pd.Error != "" {
		w.WriteHeader(pd.Code)
	}
	w.Write(out)
}

type pageView struct {
	web.PageData
	Root string
}

// link turns a site-relative folder URL into a link from /search/.
func (v pageView) Link(u string) string { return v.Root + path.Clean(u) + "/index.html" }

var resultsTmpl = template.Must(template.New("results").Parse(`
{{- if .Error}}<p class="search-error" role="alert">{{.Error}}</p>
{{- else if .Result}}
<p class="search-count">{{.Result.Total}} result{{if ne .Result.Total 1}}s{{end}} for <q>{{.Query}}</q></p>
{{- range .Result.Hints}}<p class="search-hint">{{.}}</p>{{end}}
{{- with .Result.DidYouMean}}<p class="search-hint search-did-you-mean">did you mean: <a href="?q={{.}}">{{.}}</a></p>{{end}}
<ol class="search-hits">
{{- range .Result.Hits}}
<li class="search-hit"><a href="{{$.Link .URL}}">{{.Title}}</a> <span class="sev">{{.Severity}}</span> <time datetime="{{.Started.Format "2006-01-02T15:04:05Z07:00"}}">{{.Started.Format "2006-01-02"}}</time>
<p class="snippet">{{.SnippetHTML}}</p></li>
{{- end}}
</ol>
{{- end}}`))
