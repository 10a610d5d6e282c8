package site

import (
	"context"

	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/search/static"
	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
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
}

// buildSearch is the index stage: the static search index of the
// published postmortems (search/static.Export, written under search/),
// and the content-similar postmortems of each one.
func buildSearch(ctx context.Context, s *Site) (*SearchData, error) {
	o := search.DocOptionsFor(s.Config, s.Options.Audience == Public, s.Options.Drafts)
	docs := search.Docs(s.Postmortems, o)
	files, err := static.Export(docs, static.Options{})
	if err != nil {
		return nil, err
	}
	d := &SearchData{Files: make(map[string][]byte, len(files)), Similar: similar(s.Postmortems, 5, s.Options.Workers)}
	for p, b := range files {
		d.Files["search/"+p] = b
	}
	return d, ctx.Err()
}
