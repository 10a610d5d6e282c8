package site

import (
	"context"
	"sync"

	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/search/static"
	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/trend"
)

// runChecks is the check stage: every rule of `hindsight check` over the
// whole KB (drafts and internal postmortems included: a broken draft still
// fails a build, as check would).
func runChecks(k *kb.KB, opts Options) []diag.Diagnostic {
	return check.Run(k, check.Options{Now: opts.Now, Strict: opts.Strict, Workers: opts.Workers})
}

// computeTrends is the trend stage: every aggregate behind /trends/,
// /actions/, the term charts and the home page's headline numbers.
func computeTrends(s *Site) *trend.Trends {
	return trend.Compute(s.Postmortems, s.Graph, s.Config, s.now)
}

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
	model *similarModel
}

// exportSearch is the index stage's static search index of the published
// postmortems (search/static.Export), by output path under search/.
//
// docs, when not nil, are the search documents of published made while
// loading (see leanLoad); otherwise they are made here.
func exportSearch(ctx context.Context, cfg *config.Config, opts Options, published []*postmortem.Postmortem, docs []search.Doc) (map[string][]byte, error) {
	if docs == nil {
		o := search.DocOptionsFor(cfg, opts.Audience == Public, opts.Drafts)
		docs = search.Docs(published, o)
	}
	// The documents are not read after the export: it may let their
	// bodies go as it analyses them.
	files, err := static.Export(docs, static.Options{ReleaseBodies: true})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(files))
	for p, b := range files {
		out["search/"+p] = b
	}
	return out, ctx.Err()
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
	// made while the sections' texts are there, for publish.
	stripped map[string]*postmortem.Postmortem
}

func newLeanLoad(cfg *config.Config, opts Options) *leanLoad {
	return &leanLoad{
		stream:   check.NewStream(check.Options{Now: opts.Now, Strict: opts.Strict, Workers: opts.Workers}),
		cfg:      cfg,
		opts:     opts,
		docOpt:   search.DocOptionsFor(cfg, opts.Audience == Public, opts.Drafts),
		docs:     map[string]search.Doc{},
		stripped: map[string]*postmortem.Postmortem{},
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
			c = strip(p, l.cfg)
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
		// Body.Text stays until the index stage is done (similar
		// incidents read it); the feed's summary reads the first
		// section's text.
		for _, q := range []*postmortem.Postmortem{p, c} {
			if q != nil {
				q.Source, q.Lines, q.Fields, q.Body.Prose = nil, nil, nil, nil
				freeSectionTexts(q)
			}
		}
	}
	return o
}

// searchDocs returns the documents of published, in order.
func (l *leanLoad) searchDocs(published []*postmortem.Postmortem) []search.Doc {
	docs := make([]search.Doc, 0, len(published))
	for _, p := range published {
		if d, ok := l.docs[p.Path]; ok {
			docs = append(docs, d)
		}
	}
	l.docs, l.stripped = nil, nil
	return docs
}

// freeSectionTexts frees the text of every section but the first (which
// the feed's summary reads).
func freeSectionTexts(p *postmortem.Postmortem) {
	for i := 1; i < len(p.Body.Sections); i++ {
		p.Body.Sections[i].Text = ""
	}
}
