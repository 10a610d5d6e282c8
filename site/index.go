package site

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/search/static"
	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/publish"
	"github.com/hindsight-kb/hindsight/site/similar"
)

// SearchData is the index stage's result: the prebuilt static index
// files and what "similar incidents" needs.
type SearchData struct {
	// Files maps output paths (e.g. "search/index/meta.json") to their
	// content.
	Files map[string][]byte
	// Similar maps a postmortem's URL id to similar postmortems' URL ids,
	// most similar first.
	Similar map[string][]string
	// model is what Similar came from, for Update (nil in a lean build).
	model *similar.Model
}

// indexStage is the index stage's work and result: in a lean build it
// runs in the background. similar is set before similarDone is closed,
// the rest before done is closed.
type indexStage struct {
	similarDone chan struct{}
	similar     map[string][]string
	model       *similar.Model // not lean only
	done        chan struct{}
	err         error
	took        time.Duration
	// files are the search files (non-lean); a lean build keeps them as
	// names (sorted) and blobs, released once written.
	files map[string][]byte
	names []string
	mu    sync.Mutex
	blobs [][]byte
	// tail, when not nil (a lean build), holds the export back once
	// every document is analysed, until it is closed (startTail): see
	// planRelease.
	tail     chan struct{}
	tailOnce sync.Once
	// waited is how long the export waited for tail (set before done
	// is closed).
	waited time.Duration
}

func newIndexStage() *indexStage {
	return &indexStage{done: make(chan struct{}), similarDone: make(chan struct{})}
}

// held reports whether the export's tail waits for startTail (a lean
// build of a large KB; see startIndex).
func (ix *indexStage) held() bool { return ix != nil && ix.tail != nil }

// startTail lets the export go on past the analysis (see planRelease);
// it may be called more than once, and on a nil stage.
func (ix *indexStage) startTail() {
	if ix != nil && ix.tail != nil {
		ix.tailOnce.Do(func() { close(ix.tail) })
	}
}

// WaitSearch returns the index stage's result, waiting for it in a lean
// build (where it runs on after Load returns). A lean build's result has
// no Files: Write writes them and lets them go; use Pages and Render.
func (s *Site) WaitSearch() (*SearchData, error) {
	if s.index == nil {
		return s.Search, nil
	}
	s.index.startTail() // a caller that waits without writing
	<-s.index.done
	if s.index.err != nil {
		return nil, fmt.Errorf("index: %w", s.index.err)
	}
	return &SearchData{Similar: s.index.similar}, nil
}

// file returns a lean build's search file p, or false.
func (ix *indexStage) file(p string) ([]byte, bool, error) {
	ix.startTail() // (Write asks only once it is done; Render may ask any time)
	<-ix.done
	if ix.err != nil {
		return nil, false, fmt.Errorf("index: %w", ix.err)
	}
	i := sort.SearchStrings(ix.names, p)
	if i == len(ix.names) || ix.names[i] != p {
		return nil, false, nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	b := ix.blobs[i]
	if b == nil {
		return nil, false, fmt.Errorf("%s was released after it was written; a lean build renders each search file once", p)
	}
	return b, true, nil
}

// releaseSearchFile lets a lean build's search file p go once written.
func (s *Site) releaseSearchFile(p string) {
	ix := s.index
	if i := sort.SearchStrings(ix.names, p); i < len(ix.names) && ix.names[i] == p {
		ix.mu.Lock()
		ix.blobs[i] = nil
		ix.mu.Unlock()
	}
}

// fullSearch is a finished index stage's result as the pages read it.
type fullSearch struct{ sd *SearchData }

func (f fullSearch) Similar(id string) []string { return f.sd.Similar[id] }
func (f fullSearch) Files() ([]string, error)   { return slices.Sorted(maps.Keys(f.sd.Files)), nil }
func (f fullSearch) File(p string) ([]byte, bool, error) {
	b, ok := f.sd.Files[p]
	return b, ok, nil
}
func (fullSearch) SimilarDone() <-chan struct{} { return closed() }
func (fullSearch) Done() <-chan struct{}        { return closed() }

func closed() <-chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

// leanSearch is a lean build's index stage as the pages read it, while
// it runs.
type leanSearch struct{ ix *indexStage }

func (l leanSearch) Similar(id string) []string {
	<-l.ix.similarDone
	return l.ix.similar[id]
}

func (l leanSearch) Files() ([]string, error) {
	l.ix.startTail()
	<-l.ix.done
	if l.ix.err != nil {
		return nil, fmt.Errorf("index: %w", l.ix.err)
	}
	return l.ix.names, nil
}

func (l leanSearch) File(p string) ([]byte, bool, error) { return l.ix.file(p) }
func (l leanSearch) SimilarDone() <-chan struct{}        { return l.ix.similarDone }
func (l leanSearch) Done() <-chan struct{}               { return l.ix.done }

// IndexTime is how long the index stage took; in a lean build it waits
// for the stage to end.
func (s *Site) IndexTime() time.Duration {
	if s.index == nil {
		for _, st := range s.Stages {
			if st.Name == "index" {
				return st.Took
			}
		}
		return 0
	}
	s.index.startTail()
	<-s.index.done
	return s.index.took
}

// IndexWaited is how much of IndexTime the index stage spent waiting for
// the other pages to be written (a lean build of a large KB holds the
// export's second half until then, see planRelease); 0 for any other
// build.
func (s *Site) IndexWaited() time.Duration {
	if s.index == nil {
		return 0
	}
	s.index.startTail()
	<-s.index.done
	return s.index.waited
}

// run is the index stage: similar incidents (ix.similar, ix.model, then
// similarDone closed) and the static search index of the published
// postmortems (ix.files, or ix.names and blobs in a lean build), then done
// closed. all are every postmortem read. lean, when not nil, has the
// search documents made while loading.
//
// Both need the terms of every postmortem's text, analysed once: the
// export analyses the search documents (title, body and keywords) and
// hands each one's term counts to similar incidents as it goes
// (similar.Counts.FromFields), which rank as soon as every document is
// analysed, while the export goes on with its files (the postmortem
// pages wait for similar incidents only). A postmortem without a search
// document, or every one when there is no export (NoStaticSearch), is
// analysed for similar incidents alone.
func (ix *indexStage) run(ctx context.Context, cfg *config.Config, opts Options, all, published []*postmortem.Postmortem, lean *leanLoad) {
	defer close(ix.done)
	t := time.Now()
	defer func() { ix.took = time.Since(t) }()
	a, err := analysis.NewNumberingEnglish()
	if err != nil {
		ix.err = err
		ix.similar = map[string][]string{}
		close(ix.similarDone)
		return
	}
	counts := similar.NewCounts(a, published)
	var docs []search.Doc
	var from []int // docs[k] is the document of published[from[k]]
	if lean != nil {
		docs, from = lean.searchDocs(published)
	} else if !opts.NoStaticSearch {
		docs, from = searchDocs(cfg, opts, published)
	}
	if opts.NoStaticSearch {
		docs, from = nil, nil
	}
	if opts.Lean {
		// The plain text is no longer needed but by the search documents
		// (the same strings, let go as they are analysed) and by similar
		// incidents, for a postmortem without a document. (The rest of
		// what only the checks and the index read went as each file was
		// parsed, see leanLoad.) The export leaves out a document whose
		// ID an earlier one has.
		has := make([]bool, len(published))
		ids := make(map[string]bool, len(from))
		for k, i := range from {
			if !ids[docs[k].ID] {
				ids[docs[k].ID] = true
				has[i] = true
			}
		}
		keep := map[*postmortem.Postmortem]bool{}
		for i, p := range published {
			if !has[i] {
				keep[p] = true
			}
		}
		for _, ps := range [][]*postmortem.Postmortem{all, published} {
			for _, p := range ps {
				if !keep[p] {
					p.Body.Text = ""
				}
			}
		}
	}
	analysed := make(chan struct{})
	var once sync.Once
	markAnalysed := func() { once.Do(func() { close(analysed) }) }
	go func() {
		<-analysed
		// serve (not lean) keeps the model to redo an edited
		// postmortem's list alone (Update).
		ix.similar, ix.model = counts.Lists(5, opts.Workers, !opts.Lean)
		// The export's Terms hook, called no more, holds this variable:
		// the counts (and the postmortems they list) can go now, not
		// when the export ends (~80 MB at 100,000 postmortems).
		counts = nil
		close(ix.similarDone)
	}()
	var files map[string][]byte
	if !opts.NoStaticSearch {
		files, err = exportSearch(ctx, docs, static.Options{
			Synonyms: cfg.Search.Synonyms, // for search.js, in meta.json
			Analyzer: a,
			Terms: func(doc int, terms []int32, tf [][3]int32) {
				counts.FromFields(from[doc], terms, tf)
			},
			Analysed: func() {
				markAnalysed()
				if ix.tail != nil {
					w := time.Now()
					select {
					case <-ix.tail:
					case <-ctx.Done():
					}
					ix.waited = time.Since(w)
				}
			},
		})
	}
	markAnalysed()
	<-ix.similarDone
	ix.err = err
	if opts.Lean {
		// Written by RenderAll, then released: kept as a sorted list,
		// not a map, so releasing one is not a map write. (The prefix
		// keeps the order.)
		ix.names = slices.Sorted(maps.Keys(files))
		ix.blobs = make([][]byte, len(ix.names))
		for i, n := range ix.names {
			ix.blobs[i] = files[n]
			ix.names[i] = "search/" + n
		}
	} else if files != nil {
		ix.files = make(map[string][]byte, len(files))
		for p, b := range files {
			ix.files["search/"+p] = b
		}
	}
}

// searchDocs returns the search documents of published, in order, and
// the index in published of each.
func searchDocs(cfg *config.Config, opts Options, published []*postmortem.Postmortem) ([]search.Doc, []int) {
	o := search.DocOptionsFor(cfg, opts.Audience == Public, opts.Drafts)
	docs := make([]search.Doc, 0, len(published))
	from := make([]int, 0, len(published))
	for i, p := range published {
		if d, ok := search.NewDoc(p, o); ok {
			docs = append(docs, d)
			from = append(from, i)
		}
	}
	return docs, from
}

// exportSearch is the index stage's static search index of docs
// (search/static.Export with so), by path under the output's search/
// folder. The documents are not read after the export: it lets their
// bodies go as it analyses them.
func exportSearch(ctx context.Context, docs []search.Doc, so static.Options) (map[string][]byte, error) {
	so.ReleaseBodies = true
	files, err := static.Export(docs, so)
	if err != nil {
		return nil, err
	}
	return files, ctx.Err()
}

// leanLoad is the streaming side of a one-shot build (Options.Lean): as
// each postmortem is parsed it runs the checks on it (check.Stream) and
// makes its search document, then frees what nothing after the load reads.
type leanLoad struct {
	stream *check.Stream
	cfg    *config.Config
	opts   Options
	docOpt search.DocOptions
	mu     sync.Mutex
	docs   map[string]search.Doc // by KB path
	// stripped are the public copies (Audience Public), by KB path:
	// made while the sections' texts are there, for publish.Postmortems.
	stripped map[string]*postmortem.Postmortem
	// dropTimeline: the theme has the default layouts, so nothing after
	// the checks reads a postmortem's timeline entries or ignore
	// comments (see defaultLayouts).
	dropTimeline bool
}

func newLeanLoad(cfg *config.Config, opts Options) *leanLoad {
	return &leanLoad{
		stream:   check.NewStream(check.Options{Now: opts.Now, Strict: opts.Strict, Workers: opts.Workers}),
		cfg:      cfg,
		opts:     opts,
		docOpt:   search.DocOptionsFor(cfg, opts.Audience == Public, opts.Drafts),
		docs:     map[string]search.Doc{},
		stripped: map[string]*postmortem.Postmortem{},
		// (A config that names a theme folder the build cannot read
		// fails later, in the pages stage.)
		dropTimeline: defaultLayouts(opts.Root, cfg),
	}
}

// kbOptions returns base with the streaming hooks.
func (l *leanLoad) kbOptions(base kb.Options) kb.Options {
	o := l.stream.KBOptions(base)
	o.DropBody = false // the page needs the body's HTML, sections and timeline
	checkVisit := o.Visit
	o.Visit = func(p *postmortem.Postmortem) {
		checkVisit(p)
		// The search document, from what the page will publish: for the
		// public audience, the copy without internal fields and sections.
		src := p
		var c *postmortem.Postmortem
		if l.opts.Audience == Public && p.IsPublic() {
			c = publish.Strip(p, l.cfg)
			src = c
		}
		d, ok := search.NewDoc(src, l.docOpt)
		l.mu.Lock()
		if ok {
			l.docs[p.Path] = d
		}
		if c != nil {
			l.stripped[p.Path] = c
		}
		l.mu.Unlock()
		// Checked and turned into a document: free what only those read.
		// Body.Text stays until the index stage starts (the document
		// holds the same string; similar incidents read it of a
		// postmortem without a document); the feed's summary reads the
		// first section's text.
		for _, q := range []*postmortem.Postmortem{p, c} {
			if q != nil {
				q.Source, q.Lines, q.Fields, q.Body.Prose = nil, nil, nil, nil
				freeSectionTexts(q)
				if l.dropTimeline {
					q.Body.Timeline, q.Body.Ignores = nil, nil
				}
			}
		}
	}
	return o
}

// searchDocs returns the documents of published, in order, and the
// index in published of each.
func (l *leanLoad) searchDocs(published []*postmortem.Postmortem) ([]search.Doc, []int) {
	docs := make([]search.Doc, 0, len(published))
	from := make([]int, 0, len(published))
	for i, p := range published {
		if d, ok := l.docs[p.Path]; ok {
			docs = append(docs, d)
			from = append(from, i)
		}
	}
	l.docs, l.stripped = nil, nil
	return docs, from
}

// freeSectionTexts frees the text of every section but the first (which
// the feed's summary reads).
func freeSectionTexts(p *postmortem.Postmortem) {
	for i := 1; i < len(p.Body.Sections); i++ {
		p.Body.Sections[i].Text = ""
	}
}
