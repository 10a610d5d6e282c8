package page

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/render"
	"github.com/hindsight-kb/hindsight/site/trend"
	"github.com/hindsight-kb/hindsight/site/trend/datajson"
	"github.com/hindsight-kb/hindsight/themes"
)

// route says how one output path is rendered.
type route struct {
	kind string // a template kind, or feed, sitemap, api, static, asset, chroma, search-file, trends-data
	p    *postmortem.Postmortem
	pg   *postmortem.Page
	tax  *graph.Taxonomy
	term *graph.Term
	page int
	sort string
	file string
}

// reserved are the top-level folders the site uses; a content page with
// one of these slugs is not rendered (it would hide a generated page).
var reserved = map[string]bool{"postmortems": true, "causes": true, "systems": true, "data": true,
	"techniques": true, "trends": true, "actions": true, "search": true, "assets": true, "api": true,
	"404": true, "index": true}

// Reserved reports whether slug is a top-level folder of the site's own
// pages: a content page with that slug is not published.
func Reserved(slug string) bool { return reserved[slug] }

func (s *Set) buildRoutes() {
	r := map[string]route{}
	add := func(p string, rt route) { r[p] = rt }
	add("index.html", route{kind: "home"})
	// Postmortem lists, by date (newest first) and by severity.
	bySev := s.bySeverity()
	s.bySev = bySev
	for _, o := range []struct {
		sort, base string
		n          int
	}{{"date", "postmortems/", len(s.Postmortems)}, {"severity", "postmortems/by-severity/", len(bySev)}} {
		for pg := 1; pg <= pageCount(o.n); pg++ {
			add(pageURL(o.base, pg)+"index.html", route{kind: "list", sort: o.sort, page: pg})
		}
	}
	for _, p := range s.Postmortems {
		add(p.URL()+"index.html", route{kind: "postmortem", p: p})
	}
	for _, tx := range s.Graph.Taxonomies {
		add(tx.Kind+"/index.html", route{kind: "taxonomy", tax: tx})
		for _, t := range tx.Terms {
			for pg := 1; pg <= pageCount(len(t.Postmortems)); pg++ {
				add(pageURL(t.URL(), pg)+"index.html", route{kind: "term", tax: tx, term: t, page: pg})
			}
		}
	}
	for _, pg := range s.ContentPages {
		if reserved[pg.Slug] || !postmortem.IsID(pg.Slug) {
			continue
		}
		add(pg.URL()+"index.html", route{kind: "page", pg: pg})
	}
	add("404.html", route{kind: "404"})
	add("search/index.html", route{kind: "search"})
	for _, per := range s.Trends.Periods {
		add(per.URL+"index.html", route{kind: "trends", file: per.Key})
		add(per.URL+"data.json", route{kind: "trends-data", file: per.Key})
	}
	add("actions/index.html", route{kind: "actions"})
	add("index.xml", route{kind: "feed"})
	s.addSitemaps(r) // after every HTML page; none without base_url
	add("api/postmortems.json", route{kind: "api"})
	// The search files, when the index stage is over; otherwise (a lean
	// build) Pages adds them as it ends (lateSearch).
	if s.Search != nil {
		select {
		case <-s.Search.Done():
			files, _ := s.Search.Files() // an error is Render's
			for _, p := range files {
				add(p, route{kind: "search-file", file: p})
			}
		default:
			s.lateSearch = true
		}
	}
	// Theme static files → assets/.
	statics, _ := themes.Files(s.Theme, "static")
	for _, f := range statics {
		if f == "static/livereload.js" && !s.Options.LiveReload {
			// The live-reload client belongs to serve only.
			continue
		}
		add("assets/"+strings.TrimPrefix(f, "static/"), route{kind: "static", file: f})
	}
	add("assets/chroma.css", route{kind: "chroma"})
	// Content assets (images, attachments) at their path under content/.
	for _, a := range s.publishedAssets() {
		out := strings.TrimPrefix(a, kb.ContentDir+"/")
		if _, taken := r[out]; !taken {
			add(out, route{kind: "asset", file: a})
		}
	}
	s.routes = r
	s.paths = sortedKeys(r)
}

func pageURL(base string, page int) string {
	if page == 1 {
		return base
	}
	return base + "page/" + itoa(page) + "/"
}

// bySeverity returns the postmortems worst severity first, newest first
// within a severity.
func (s *Set) bySeverity() []*postmortem.Postmortem {
	rank := map[string]int{}
	for i, sev := range s.Config.Severities {
		rank[sev] = i
	}
	// A stable sort by rank, as buckets: one map lookup a postmortem.
	buckets := make([][]*postmortem.Postmortem, len(s.Config.Severities)+1)
	for _, p := range s.Postmortems {
		r, ok := rank[p.Severity]
		if !ok {
			r = len(rank) // unknown severities last
		}
		buckets[r] = append(buckets[r], p)
	}
	out := make([]*postmortem.Postmortem, 0, len(s.Postmortems))
	for _, b := range buckets {
		out = append(out, b...)
	}
	return out
}

// publishedAssets lists the content assets to copy: all of them for the
// internal audience; for the public one only those a published postmortem
// or page links to (an internal postmortem's screenshots stay out).
func (s *Set) publishedAssets() []string {
	if s.Options.Audience != publicAudience {
		return s.KB.Assets
	}
	linked := map[string]bool{}
	note := func(from string, links []postmortem.Link) {
		for _, l := range links {
			if t, _, ok := kb.Target(from, l.Dest); ok {
				linked[t] = true
			}
		}
	}
	for _, p := range s.Postmortems {
		note(p.Path, p.Body.Links)
	}
	for _, pg := range s.ContentPages {
		note(pg.Path, pg.Body.Links)
	}
	var out []string
	for _, a := range s.KB.Assets {
		if linked[a] {
			out = append(out, a)
		}
	}
	return out
}

// Pages returns every output path of the site, sorted.
func (s *Set) Pages() []string {
	out := append([]string(nil), s.paths...)
	if s.lateSearch {
		if files, err := s.Search.Files(); err == nil {
			out = append(out, files...)
			sort.Strings(out)
		}
	}
	return out
}

// Has reports whether path is an output path of the site.
func (s *Set) Has(p string) bool {
	if _, ok := s.routes[p]; ok {
		return true
	}
	if s.lateSearch && strings.HasPrefix(p, "search/") {
		_, ok, _ := s.Search.File(p)
		return ok
	}
	return false
}

// IsAttachment reports whether the output path p is a content attachment:
// a file copied from content/ as it is, not a page or file the site
// makes. `hindsight serve` sends attachments sandboxed (an HTML or SVG
// file from a pull request must not run script on the preview's origin).
func (s *Set) IsAttachment(p string) bool {
	rt, ok := s.routes[p]
	return ok && rt.kind == "asset"
}

// Render renders one output path and returns its content and MIME type.
// It depends on no other page having been rendered and is safe for
// concurrent use.
func (s *Set) Render(p string) ([]byte, string, error) {
	return s.render(p, nil)
}

// render is Render; pages made from templates are rendered into buf when
// it is not nil (the result is then only valid until buf is reused).
func (s *Set) render(p string, buf *bytes.Buffer) ([]byte, string, error) {
	rt, ok := s.routes[p]
	if !ok && s.lateSearch && strings.HasPrefix(p, "search/") {
		rt, ok = route{kind: "search-file", file: p}, true
	}
	if !ok {
		return nil, "", fmt.Errorf("%s: %w", p, ErrNotFound)
	}
	const htmlType = "text/html; charset=utf-8"
	switch rt.kind {
	case "static":
		b, err := fs.ReadFile(s.Theme, rt.file)
		return b, mimeOf(p), err
	case "asset":
		b, err := s.KB.ReadAsset(rt.file, kb.MaxAssetSize)
		return b, mimeOf(p), err
	case "chroma":
		b, err := render.ChromaCSS()
		return b, "text/css; charset=utf-8", err
	case "search-file":
		b, ok, err := s.Search.File(rt.file)
		if err != nil {
			return nil, "", err
		}
		if !ok {
			return nil, "", fmt.Errorf("%s: %w", p, ErrNotFound)
		}
		return b, mimeOf(p), nil
	case "feed":
		b, err := s.atom()
		return b, "application/atom+xml; charset=utf-8", err
	case "sitemap":
		b, err := s.sitemapFile(rt)
		return b, "application/xml; charset=utf-8", err
	case "api":
		b, err := s.apiJSON()
		return b, "application/json", err
	case "trends-data":
		return datajson.JSON(s.Trends, rt.file), "application/json", nil
	}
	d := s.data(p, rt.kind)
	switch rt.kind {
	case "home":
		d.Page = s.homeView()
	case "list":
		items := s.Postmortems
		if rt.sort == "severity" {
			items = s.bySev
		}
		base := "postmortems/"
		if rt.sort == "severity" {
			base = "postmortems/by-severity/"
		}
		d.Page = &ListView{Items: pageSlice(items, rt.page), Sort: rt.sort, DateURL: "postmortems/",
			SeverityURL: "postmortems/by-severity/", Total: len(items), Pager: pager(base, rt.page, pageCount(len(items)))}
		d.Title = "Postmortems"
	case "postmortem":
		d.Page = s.postmortemView(rt.p, !s.compiled.postmortem)
		d.Title = rt.p.Title
	case "taxonomy":
		v := &TaxonomyView{Taxonomy: rt.tax}
		for _, o := range s.Graph.Taxonomies {
			if o != rt.tax {
				v.Others = append(v.Others, o)
			}
		}
		d.Page = v
		d.Title = rt.tax.Title
	case "term":
		d.Page = s.termView(rt.tax, rt.term, rt.page)
		d.Title = rt.tax.Singular + ": " + rt.term.Title
	case "page":
		d.Page = rt.pg
		d.Title = rt.pg.Title
	case "404":
		d.Title = "Page not found"
		// 404.html is served at any depth: with base_url known, link from
		// its path; otherwise relative to the root (right for top-level
		// misses).
		if u := s.Config.BaseURL; u != "" {
			if i := strings.Index(strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://"), "/"); i >= 0 {
				d.Root = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")[i:]
			}
		}
	case "search":
		d.Page = &SearchView{}
		d.Title = "Search"
	case "trends":
		d.Page = s.Trends.View(rt.file)
		d.Title = "Trends"
		if per, ok := s.Trends.Period(rt.file); ok && rt.file != trend.AllTime {
			d.Title = "Trends · " + per.Title
		}
	case "actions":
		d.Page = s.Trends.Actions()
		d.Title = "Corrective actions"
	}
	if rt.kind == "postmortem" && s.compiled.postmortem {
		if buf == nil {
			buf = bytes.NewBuffer(make([]byte, 0, 24<<10))
		}
		buf.Reset()
		w := &htmlw{render.HTMLWriter{B: buf.AvailableBuffer()}}
		if err := s.postmortemPage(w, d); err != nil {
			return nil, "", err
		}
		buf.Write(w.B)
		return buf.Bytes(), htmlType, nil
	}
	if buf == nil {
		b, err := s.theme.Bytes(rt.kind, d)
		return b, htmlType, err
	}
	buf.Reset()
	err := s.theme.Execute(buf, rt.kind, d)
	return buf.Bytes(), htmlType, err
}

// NotFound renders the 404 page for a request of urlPath (a site-relative
// path such as "causes/nope/" or "x/y.html"), with links relative to
// that path, for servers that answer misses themselves (serve). Static
// hosts serve 404.html, whose links come from base_url.
func (s *Set) NotFound(urlPath string) ([]byte, error) {
	urlPath = strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if strings.HasSuffix(urlPath, "/") || urlPath == "" || path.Ext(urlPath) == "" {
		urlPath = strings.TrimSuffix(urlPath, "/") + "/index.html"
	}
	urlPath = strings.TrimPrefix(urlPath, "/")
	d := s.data(urlPath, "404")
	d.Title = "Page not found"
	return s.theme.Bytes("404", d)
}

// data returns the common template data of an output path.
func (s *Set) data(p, kind string) *render.Data {
	depth := strings.Count(p, "/")
	url := path.Dir(p) + "/"
	if url == "./" {
		url = ""
	}
	section := ""
	if i := strings.IndexByte(url, '/'); i >= 0 {
		section = url[:i+1]
	}
	return &render.Data{Site: s.info, Root: strings.Repeat("../", depth), Path: p, URL: url, Section: section, Kind: kind, Now: s.now}
}

func mimeOf(p string) string {
	switch strings.ToLower(path.Ext(p)) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".json":
		return "application/json"
	case ".html":
		return "text/html; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".txt", ".log":
		return "text/plain; charset=utf-8"
	case ".pdf":
		return "application/pdf"
	case ".xml":
		return "application/xml"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	}
	return "application/octet-stream"
}

// RenderWaited is how long the last RenderAll had nothing to render
// while the index stage ran: before similar incidents existed, and, in a
// lean build, from its last page written until the search files existed
// (in a large KB the export's second half runs then, see
// site.planRelease).
func (s *Set) RenderWaited() time.Duration { return s.waited }

// RenderAll renders every page on Options.Workers goroutines and calls fn
// for each (concurrently). It stops at the first error. fn must not keep
// data after it returns: each worker reuses one buffer for its pages.
func (s *Set) RenderAll(ctx context.Context, fn func(path string, data []byte) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		p    string
		file bool // a search file, sent once the index stage is done
	}
	jobs := make(chan job)
	var once sync.Once
	var first error
	fail := func(err error) {
		once.Do(func() { first = err; cancel() })
	}
	var wg sync.WaitGroup
	// lastPage[w] is when worker w last wrote a page but a search file.
	lastPage := make([]time.Time, s.Options.Workers)
	for w := range lastPage {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			buf.Grow(64 << 10)
			for j := range jobs {
				b, _, err := s.render(j.p, &buf)
				if err == nil {
					err = fn(j.p, b)
				}
				if err != nil {
					fail(fmt.Errorf("%s: %w", j.p, err))
					continue
				}
				if !j.file {
					lastPage[w] = time.Now()
				}
			}
		}()
	}
	// In a lean build the index stage is still running: every page waits
	// for the similar incidents (its first part, the analysis of every
	// document, on every core), then the postmortem pages go first, since
	// writing them lets their bodies go, then the others; the search
	// files go as soon as they are ready, for the same reason. (The other
	// pages used to fill the wait: at 100,000 postmortems they slowed the
	// analysis, so the bodies and plain texts were held longer, beside
	// those pages' own garbage, under the build's memory limit: the
	// pages took ~3 s and ~5 CPU-s more. At 10,000 either order takes
	// the same time.)
	var pms, others []string
	for _, p := range s.paths {
		if s.routes[p].kind == "postmortem" {
			pms = append(pms, p)
		} else {
			others = append(others, p)
		}
	}
	send := func(p string, file bool) bool {
		select {
		case jobs <- job{p, file}:
			return true
		case <-ctx.Done():
			return false
		}
	}
	done := make(chan struct{}) // stands for stages that were over before New
	close(done)
	similarDone, indexDone := (<-chan struct{})(done), (<-chan struct{})(done)
	filesSent := true
	if s.Search != nil {
		similarDone = s.Search.SimilarDone()
	}
	if s.lateSearch {
		indexDone, filesSent = s.Search.Done(), false
	}
	ready := func(c <-chan struct{}) bool {
		select {
		case <-c:
			return true
		default:
			return false
		}
	}
	ok := true
	// What RenderWaited reports: the wait for similar incidents (no page
	// is out then), and when the search files came after every page was
	// sent, when they came (measured from the last page written).
	var waitedSimilar time.Duration
	var filesAt time.Time
	wait := func(c <-chan struct{}) {
		select {
		case <-c:
		case <-ctx.Done():
			ok = false
		}
	}
	for ok && (len(pms) > 0 || len(others) > 0 || !filesSent) {
		switch {
		case !filesSent && ready(indexDone):
			filesSent = true
			files, err := s.Search.Files()
			if err != nil {
				fail(err)
				ok = false
				break
			}
			for _, f := range files {
				if ok = send(f, true); !ok {
					break
				}
			}
		case len(pms) > 0 && ready(similarDone):
			ok, pms = send(pms[0], false), pms[1:]
		case len(others) > 0 && ready(similarDone):
			ok, others = send(others[0], false), others[1:]
		case len(pms) > 0 || len(others) > 0:
			t := time.Now()
			wait(similarDone)
			waitedSimilar += time.Since(t)
		default:
			wait(indexDone)
			filesAt = time.Now()
		}
	}
	close(jobs)
	wg.Wait()
	s.waited = waitedSimilar
	if !filesAt.IsZero() {
		last := slices.MaxFunc(lastPage, time.Time.Compare)
		if d := filesAt.Sub(last); !last.IsZero() && d > 0 {
			s.waited += d
		}
	}
	if first != nil {
		return first
	}
	return ctx.Err()
}
