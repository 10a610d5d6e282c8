package site

import (
	"context"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// runChecks is the check stage: every rule of `hindsight check` over the
// whole KB (drafts and internal postmortems included: a broken draft still
// fails a build, as check would).
func runChecks(k *kb.KB, opts Options) []diag.Diagnostic {
	return check.Run(k, check.Options{Now: opts.Now, Strict: opts.Strict, Workers: opts.Workers})
}

// Trends is the trend stage's result.
//
// HOOK(trends): until site/trend exists this holds the placeholder
// numbers computed by computeTrends; it will wrap trend.Compute's result.
type Trends struct {
	// Placeholder is true while the trends package is not wired in.
	Placeholder bool
	Incidents   int
	Drills      int
	NearMisses  int
	Recurrences int
	OpenActions int
	Overdue     int
}

// computeTrends is the trend stage.
//
// HOOK(trends): replace the body with trend.Compute(...) when site/trend
// lands.
func computeTrends(s *Site) *Trends {
	t := &Trends{Placeholder: true, Recurrences: len(s.Graph.Recurrences)}
	for _, p := range s.Postmortems {
		switch {
		case p.Drill:
			t.Drills++
		default:
			t.Incidents++
			if p.NearMiss {
				t.NearMisses++
			}
		}
		for _, a := range p.Actions {
			if a.IsOpen() {
				t.OpenActions++
				if a.Overdue(s.now, s.loc) {
					t.Overdue++
				}
			}
		}
	}
	return t
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
