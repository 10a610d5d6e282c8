package site

import (
	"fmt"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// A compact build (Options.Compact, serve's) keeps a Site for hours and
// updates it on every save, so it holds only what pages, Update and the
// search index read: each postmortem is checked as soon as it is parsed
// (check.Stream, as a lean build does), then its source, line table,
// field positions, prose spans and section texts (but the first, which
// the feed's summary reads) are let go. The index stage runs to the end
// as in a full build (Update starts from its result); then, for the
// internal audience, the bodies' plain text goes too ("free texts"):
// similar incidents have their model, and serve's search index reads the
// KB's files itself. (A public preview's search documents are made from
// the publication policy's copies, which need the text.) Bodies' HTML
// stays, for the pages.
//
// Update re-reads the changed files whole, so the checks of a change of
// content run on values that have their text; a change that can alter
// other files' diagnostics (ids, paths, files that came or went; see
// updateDiagnostics) checks the whole KB again from its files, streaming,
// as `hindsight check` does.

// compactKBOptions returns base with the streaming checks' hooks, and
// what follows them: the check-only data of each postmortem is let go.
// Sets b.stream.
func (b *job) compactKBOptions(base kb.Options) kb.Options {
	b.stream = check.NewStream(checkOptions(b.s.Options))
	o := b.stream.KBOptions(base)
	o.DropBody = false // pages need the body's HTML, headings and timeline
	visit := o.Visit
	o.Visit = func(p *postmortem.Postmortem) {
		visit(p)
		p.Source, p.Lines, p.Fields, p.Body.Prose = nil, nil, nil, nil
		freeSectionTexts(p)
	}
	return o
}

// finishCompactChecks is the check stage of a compact build: the
// per-file rules ran while loading, the cross-file ones run now. Sets
// Site.Diagnostics.
func finishCompactChecks(b *job) error {
	b.setDiagnostics(b.stream.Finish(b.s.KB))
	return nil
}

// freeTexts is the last stage of a compact build: it lets go of the
// plain text of every postmortem's body, for the internal audience (see
// above). Nothing else holds the postmortems yet.
func freeTexts(b *job) error {
	s := b.s
	if s.Options.Audience == Public {
		return nil
	}
	for _, ps := range [][]*postmortem.Postmortem{s.KB.Postmortems, s.Postmortems} {
		for _, p := range ps {
			p.Body.Text = ""
		}
	}
	return nil
}

func checkOptions(opts Options) check.Options {
	return check.Options{Now: opts.Now, Strict: opts.Strict, Workers: opts.Workers}
}

// checkAll runs every rule over the whole KB k, for Update: on k itself,
// or, in a compact build (whose unchanged postmortems have no text left),
// on the KB's files read again, streaming.
func checkAll(k *kb.KB, opts Options) ([]diag.Diagnostic, error) {
	if !opts.Compact {
		return runChecks(k, opts), nil
	}
	stream := check.NewStream(checkOptions(opts))
	dk, err := kb.Load(opts.Root, k.Config, stream.KBOptions(kb.Options{Workers: opts.Workers}))
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	return stream.Finish(dk), nil
}
