package check

import (
	"sync"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Stream checks postmortems while the KB loads: its hooks run the rules on
// each file as soon as its body is parsed, so the loader can free the
// file's text at once. Memory then stays flat however large the KB is,
// which is what `hindsight check` uses. The result is the same as Run's.
type Stream struct {
	opts       Options
	ctx        *Context
	fileRules  []FileRule
	textRules  []TextRule
	mu         sync.Mutex
	diagnostic []diag.Diagnostic
}

// NewStream returns a Stream for one load.
func NewStream(opts Options) *Stream {
	if opts.Only == nil {
		opts.Only = func(string) bool { return true }
	}
	return &Stream{opts: opts, fileRules: FileRules(), textRules: TextRules()}
}

// KBOptions returns base with the hooks that check each postmortem as it is
// parsed and drop its text afterwards.
func (s *Stream) KBOptions(base kb.Options) kb.Options {
	base.Prepare = func(k *kb.KB, markdown []string) {
		s.ctx = NewContext(k, s.opts)
		for _, p := range markdown {
			s.ctx.files[p] = true
		}
	}
	base.Visit = func(p *postmortem.Postmortem) {
		if !s.opts.Only(p.Path) {
			return
		}
		ds := s.ctx.checkPostmortem(p, s.fileRules, s.textRules)
		if len(ds) == 0 {
			return
		}
		s.mu.Lock()
		s.diagnostic = append(s.diagnostic, ds...)
		s.mu.Unlock()
	}
	base.DropBody = true
	return base
}

// Finish checks what is left once the load is done (file problems,
// content pages, attachments and hindsight.yaml) and returns every
// diagnostic, levelled and sorted.
func (s *Stream) Finish(k *kb.KB) []diag.Diagnostic {
	c := s.ctx
	if c == nil {
		c = NewContext(k, s.opts)
	}
	out := s.diagnostic
	for _, d := range k.Problems {
		if s.opts.Only(d.File) || selectedFolder(d.File, s.opts.Only) {
			out = append(out, d)
		}
	}
	for _, pg := range k.Pages {
		if s.opts.Only(pg.Path) {
			out = append(out, c.checkPage(pg, s.textRules)...)
		}
	}
	out = append(out, c.checkFiles(s.opts.Only, s.opts.Workers)...)
	out = c.level(out)
	diag.Sort(out)
	return out
}
