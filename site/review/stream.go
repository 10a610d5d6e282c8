package review

import (
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/publish"
	"github.com/hindsight-kb/hindsight/site/similar"
)

// Options say what to review.
type Options struct {
	// Only selects the changed files (slash paths relative to the KB
	// root), as `check --since` and `check PATH...` select them.
	Only func(path string) bool
	// Renamed maps the new path of a file git saw renamed to its old one.
	Renamed map[string]string
	// Since is the git ref compared to, shown in the report.
	Since string
	// Now is the clock ("overdue", the 12-month window); zero means
	// time.Now().
	Now time.Time
	// Strict makes open overdue actions errors (as check --strict).
	Strict bool
	// Workers is the number of files parsed at once; 0 means GOMAXPROCS.
	Workers int
	// CacheRoot, when set, is the KB root whose word-count cache
	// (CacheFile) the review reads, so that it parses and analyses only
	// the files the cache does not know, and WriteCache updates.
	CacheRoot string
	// CacheKey names the hindsight build (version and commit): counts
	// cached by another build are not used.
	CacheKey string
}

// similarN is how many similar incidents a file gets (as on its page).
const similarN = 5

// Stream reviews while the knowledge base loads: as each postmortem's body
// is parsed, the selected ones are checked (check.Stream) and every
// published one has its words counted for similar incidents; then its
// text is freed. Use KBOptions for kb.Load, then Finish.
type Stream struct {
	opts  Options
	check *check.Stream
	a     *analysis.English
	// pop are the postmortems a build publishes (publish.Postmortems,
	// internal audience, no drafts), newest first: the graph's and the
	// similarity model's population; at is each one's index.
	pop    []*postmortem.Postmortem
	at     map[*postmortem.Postmortem]int
	counts *similar.Counts
	mu     sync.Mutex
	// texts are the plain texts of the selected postmortems, by path,
	// kept past the load for their similar-incident lists.
	texts   map[string]string
	scratch sync.Pool // *counter
	// cache is the word-count cache in use (nil without CacheRoot).
	cache *cacheUse
}

// NewStream returns a Stream for one load.
func NewStream(opts Options) (*Stream, error) {
	if opts.Only == nil {
		opts.Only = func(string) bool { return false }
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	a, err := analysis.NewNumberingEnglish()
	if err != nil {
		return nil, err
	}
	s := &Stream{
		opts:  opts,
		check: check.NewStream(check.Options{Now: opts.Now, Strict: opts.Strict, Only: opts.Only, Workers: opts.Workers}),
		a:     a,
		texts: map[string]string{},
	}
	if opts.CacheRoot != "" {
		s.cache = openCache(opts.CacheRoot, opts.CacheKey)
	}
	return s, nil
}

// KBOptions returns base with the hooks of the review (and of its
// checks): every body is freed once checked and counted, and only the
// bodies the review needs are parsed: those of the changed files, and of
// the published postmortems whose words the cache has not counted.
func (s *Stream) KBOptions(base kb.Options) kb.Options {
	o := s.check.KBOptions(base)
	o.Workers = s.opts.Workers
	prepare, visit := o.Prepare, o.Visit
	o.Prepare = func(k *kb.KB, markdown []string) {
		prepare(k, markdown)
		s.pop = publish.Postmortems(k.Postmortems, k.Config, publish.Internal, false, nil)
		if !slices.ContainsFunc(k.Postmortems, func(p *postmortem.Postmortem) bool { return s.opts.Only(p.Path) }) {
			return // no postmortem to review: no words to count
		}
		s.at = make(map[*postmortem.Postmortem]int, len(s.pop))
		for i, p := range s.pop {
			s.at[p] = i
		}
		s.counts = similar.NewCounts(s.a, s.pop)
		if s.cache != nil {
			s.cache.prepare(k.Config, len(s.pop), s.opts.Workers, s.a)
		}
	}
	o.SkipBody = s.skipBody
	o.Visit = func(p *postmortem.Postmortem) {
		visit(p)
		if i, ok := s.at[p]; ok {
			s.count(i, p)
		}
		if s.opts.Only(p.Path) {
			s.mu.Lock()
			s.texts[p.Path] = p.Body.Text
			s.mu.Unlock()
		}
	}
	return o
}

// counter is the scratch space of count: term counts by term number.
type counter struct {
	toks  []analysis.NumberedToken
	tf    [][3]int32 // by term number
	terms []int32    // in order of first appearance
	out   [][3]int32
}

// count hands postmortem i's term counts (title and body, as the static
// search export would) to the similarity counts.
func (s *Stream) count(i int, p *postmortem.Postmortem) {
	c, _ := s.scratch.Get().(*counter)
	if c == nil {
		c = &counter{}
	}
	c.terms = c.terms[:0]
	for f, text := range [2]string{p.Title, p.Body.Text} {
		c.toks = s.a.NumberedTokens(c.toks[:0], text)
		for _, t := range c.toks {
			if int(t.Term) >= len(c.tf) {
				c.tf = append(c.tf, make([][3]int32, max(int(t.Term)+1-len(c.tf), len(c.tf)))...)
			}
			if c.tf[t.Term] == [3]int32{} {
				c.terms = append(c.terms, t.Term)
			}
			c.tf[t.Term][f]++
		}
	}
	c.out = c.out[:0]
	for _, t := range c.terms {
		c.out = append(c.out, c.tf[t])
		c.tf[t] = [3]int32{}
	}
	s.counts.FromFields(i, c.terms, c.out)
	if s.cache != nil {
		s.cache.counted(i, c.terms, c.out)
	}
	s.scratch.Put(c)
}
