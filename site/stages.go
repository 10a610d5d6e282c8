package site

import (
	"context"

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

// SearchData is the index stage's result: the prebuilt static index files
// and what "similar incidents" needs.
//
// HOOK(search): filled by the search package's static export when it
// lands.
type SearchData struct {
	// Files maps output paths (e.g. "search/index/meta.json") to their
	// content.
	Files map[string][]byte
	// Similar maps a postmortem's URL id to similar postmortems' URL ids,
	// most similar first.
	Similar map[string][]string
}

// buildSearch is the index stage.
//
// HOOK(search): call the search package's static export and Similar here.
func buildSearch(ctx context.Context, s *Site) (*SearchData, error) {
	return &SearchData{Files: map[string][]byte{}, Similar: map[string][]string{}}, nil
}
