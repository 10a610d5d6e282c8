package similar

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// topTerms is how many distinctive terms represent a postmortem.
const topTerms = 16

// maxDFCap is the most postmortems a distinctive term may be in, at any
// size. Scoring one postmortem reads the postings of its distinctive
// terms, so a bound that grew with the KB (one in 20) made the lists of
// all of them grow with its square: ×62 the time from 10,000 to 100,000
// postmortems. A term 500 postmortems share does not single out five
// similar incidents; rarer terms do. Below 10,000 postmortems the bound
// is one in 20, as it was.
const maxDFCap = 500

// distinctiveMax is the most postmortems of N a term may be in to be
// distinctive (and its posting list would make scoring quadratic): one
// in 20 (at least 20, at most a third), and at most maxDFCap.
func distinctiveMax(N int) int { return min(max(N/20, 20), N/3+1, maxDFCap) }

// Counts are the term counts of postmortems for similar incidents: the
// terms of each postmortem's title (three times) and body, as the search
// analyzer gives them (stemmed, stop words left out), by the analyzer's
// numbers. The static search export analyses the same texts: it hands
// each document's counts over (FromFields); Counts counts the
// postmortems it was not given itself (Lists).
type Counts struct {
	a  *analysis.English
	ps []*postmortem.Postmortem
	// terms are each postmortem's counts (nil until counted), with room
	// for its root causes and systems, which lists adds.
	terms []termCounts
}

// termCounts are the distinct terms of a text in order of first
// appearance, with their counts: pairs of uvarints (number, count), a
// third of the bytes of two int32 (they are held for every postmortem
// while the export analyses: 21 MB as int32 at 10,000).
type termCounts []byte

// add appends the term id counted k times.
func (b termCounts) add(id, k int32) termCounts {
	return binary.AppendUvarint(binary.AppendUvarint(b, uint64(id)), uint64(k))
}

// next returns the pair at b[i:] and the index of the next one.
func (b termCounts) next(i int) (id, k int32, j int) {
	id, i = b.uvarint(i)
	k, i = b.uvarint(i)
	return id, k, i
}

// uvarint returns the uvarint at b[i:] and the index after it.
func (b termCounts) uvarint(i int) (int32, int) {
	if c := b[i]; c < 0x80 { // most counts and the commonest terms
		return int32(c), i + 1
	}
	v, n := binary.Uvarint(b[i:])
	return int32(v), i + n
}

// uvarintLen is the length of binary.AppendUvarint(nil, v).
func uvarintLen(v uint32) int {
	return (bits.Len32(v|1) + 6) / 7
}

// NewCounts returns the empty counts of ps, numbered by a (an English
// made by analysis.NewNumberingEnglish). ps are in the order ties go by
// (newest first).
func NewCounts(a *analysis.English, ps []*postmortem.Postmortem) *Counts {
	return &Counts{a: a, ps: ps, terms: make([]termCounts, len(ps))}
}

// FromFields sets the counts of postmortem i from the analysis of its
// search document (static.Options.Terms): terms with their counts in the
// document's title, body and keywords. The document's title and body must
// be the postmortem's Title and Body.Text. It may be called for different
// postmortems at once.
func (c *Counts) FromFields(i int, terms []int32, tf [][3]int32) {
	size := 0
	for j, t := range terms {
		if k := tf[j][0]*3 + tf[j][1]; k > 0 {
			size += uvarintLen(uint32(t)) + uvarintLen(uint32(k))
		}
	}
	b := c.alloc(i, size)
	for j, t := range terms {
		if k := tf[j][0]*3 + tf[j][1]; k > 0 {
			b = b.add(t, k)
		}
	}
	c.terms[i] = b
}

// alloc returns an empty termCounts of size bytes for postmortem i, with
// room for its root causes and systems.
func (c *Counts) alloc(i, size int) termCounts {
	return make(termCounts, 0, size+6*(len(c.ps[i].RootCauses)+len(c.ps[i].Systems))+1)
}

// termCounter counts the terms of one postmortem after another (see
// Counts): by number, in a dense slice, zero between postmortems.
type termCounter struct {
	toks    []analysis.NumberedToken
	cnt     []int32 // by term number
	touched []int32 // the numbers counted, in order of first appearance
}

// count returns the terms of p's title (three times) and body, as
// numbered by a, in order of first appearance, with their counts, in a
// termCounts made by alloc(size).
func (c *termCounter) count(a *analysis.English, p *postmortem.Postmortem, alloc func(size int) termCounts) termCounts {
	c.touched = c.touched[:0]
	for _, f := range [...]struct {
		text string
		k    int32
	}{{p.Title, 3}, {p.Body.Text, 1}} {
		c.toks = a.NumberedTokens(c.toks[:0], f.text)
		for _, t := range c.toks {
			if int(t.Term) >= len(c.cnt) {
				c.cnt = append(c.cnt, make([]int32, max(int(t.Term)+1-len(c.cnt), len(c.cnt)))...)
			}
			if c.cnt[t.Term] == 0 {
				c.touched = append(c.touched, t.Term)
			}
			c.cnt[t.Term] += f.k
		}
	}
	size := 0
	for _, t := range c.touched {
		size += uvarintLen(uint32(t)) + uvarintLen(uint32(c.cnt[t]))
	}
	b := alloc(size)
	for _, t := range c.touched {
		b = b.add(t, c.cnt[t])
		c.cnt[t] = 0
	}
	return b
}

// appendTax appends the root causes and systems of p to its terms b, as
// terms of their own ("\x00cause:x", "\x00system:x") counted twice (a
// rare cause shared says more than most words; common ones drop out as
// any common word does; a value listed twice counts twice as much),
// numbered by number (false: left out).
func appendTax(p *postmortem.Postmortem, b termCounts, number func(term string) (int32, bool)) termCounts {
	var ids, counts [8]int32
	tax, taxCounts := ids[:0], counts[:0]
	add := func(term string) {
		id, ok := number(term)
		if !ok {
			return
		}
		if k := slices.Index(tax, id); k >= 0 {
			taxCounts[k] += 2
			return
		}
		tax, taxCounts = append(tax, id), append(taxCounts, 2)
	}
	for _, v := range p.RootCauses {
		add("\x00cause:" + v)
	}
	for _, v := range p.Systems {
		add("\x00system:" + v)
	}
	for k, id := range tax {
		b = b.add(id, taxCounts[k])
	}
	return b
}

// Lists returns, for each postmortem, up to n others most similar by
// content: each is represented by its most distinctive terms (tf-idf over
// the terms of its title and body, and its root causes and systems), and
// two postmortems score by the weights of the terms they share. Ties go
// to the more recent one (the earlier in c.ps). It runs in O(N·K·P) where
// P is the length of a term's posting list, kept short by using only each
// postmortem's top terms. It first counts the postmortems not counted yet.
// The lists are keyed and made of URL ids, most similar first. With
// keep, it also returns the model the lists came from, for ListFor. c is
// spent.
func (c *Counts) Lists(n, workers int, keep bool) (map[string][]string, *Model) {
	out := make(map[string][]string, len(c.ps))
	if len(c.ps) < 2 || n <= 0 {
		return out, nil
	}
	if workers < 1 {
		workers = 1
	}
	m, tops := c.build(n, workers, keep)
	N := len(m.docs)
	results := make([][]string, N)
	scorers := newFreeList(workers, func() *simScorer { return &simScorer{score: make([]float64, N)} })
	kb.Parallel(N, workers, func(i int) {
		sc := scorers.get()
		results[i] = m.best(int32(i), tops[i], sc, 0)
		scorers.put(sc)
	})
	for i, p := range m.docs {
		out[p.URLID()] = results[i]
	}
	if !keep {
		return out, nil
	}
	return out, m
}

// Model returns the model Lists(n, workers, true) returns, without the
// lists of every postmortem: for a caller that needs only ListFor or
// MatchesFor (hindsight review). It returns nil when Lists would. c is
// spent.
func (c *Counts) Model(n, workers int) *Model {
	if len(c.ps) < 2 || n <= 0 {
		return nil
	}
	m, _ := c.build(n, max(workers, 1), true)
	return m
}

// build counts the postmortems not counted yet and makes the model, and
// each postmortem's top terms (see Lists); with keep, the model has what
// ListFor needs. len(c.ps) ≥ 2, n > 0 and workers ≥ 1.
func (c *Counts) build(n, workers int, keep bool) (*Model, [][]simTerm) {
	ps := c.ps
	N := len(ps)
	counters := newFreeList(workers, func() *termCounter { return &termCounter{} })
	kb.Parallel(N, workers, func(i int) {
		if c.terms[i] != nil {
			return
		}
		tc := counters.get()
		c.terms[i] = tc.count(c.a, ps[i], func(size int) termCounts { return c.alloc(i, size) })
		counters.put(tc)
	})
	// Every word is numbered now: the causes and systems come after.
	terms := c.a.Terms()
	m := &Model{n: n, N: N, words: int32(len(terms)), tax: map[string]int32{}, docs: ps}
	number := func(term string) (int32, bool) {
		id, ok := m.tax[term]
		if !ok {
			id = int32(len(terms))
			m.tax[term] = id
			terms = append(terms, term)
		}
		return id, true
	}
	for i, p := range ps {
		c.terms[i] = appendTax(p, c.terms[i], number)
	}
	m.terms = terms
	docs := c.terms
	m.df = make([]int32, len(m.terms))
	for _, b := range docs {
		for j := 0; j < len(b); {
			var id int32
			id, _, j = b.next(j)
			m.df[id]++
		}
	}
	if keep {
		m.a = c.a
	} else {
		m.tax = nil
	}
	m.maxDF = distinctiveMax(N)
	tops := make([][]simTerm, N)
	norms := make([]float64, N)
	kb.Parallel(N, workers, func(i int) {
		tops[i], norms[i] = m.topWith(docs[i], nil, N)
	})
	if keep {
		// A term only one postmortem has says nothing here, but a
		// postmortem written later that has it too shares something
		// rare with that one (ListFor).
		m.uniq = make([]simPosting, len(m.terms))
		for i, b := range docs {
			for j := 0; j < len(b); {
				var id, k int32
				id, k, j = b.next(j)
				if m.df[id] == 1 {
					w := 0.0 // a postmortem without distinctive terms scores nothing
					if norms[i] > 0 {
						w = (1 + math.Log(float64(k))) / norms[i]
					}
					m.uniq[id] = simPosting{int32(i), w}
				}
			}
		}
	}
	c.terms, docs = nil, nil
	m.postings = make([][]simPosting, len(m.terms))
	for i, ws := range tops {
		for _, x := range ws {
			m.postings[x.term] = append(m.postings[x.term], simPosting{int32(i), x.w})
		}
	}
	if keep {
		m.byID = make(map[string]int32, N)
		for i, p := range ps {
			m.byID[p.URLID()] = int32(i)
		}
	}
	return m, tops
}

// Model is what the similar-incident lists come from: term numbers,
// document frequencies and the postings of every postmortem's top terms.
// serve keeps it so that the list of a postmortem being edited (or just
// created) is recomputed alone (ListFor).
type Model struct {
	n, N, maxDF int
	// a numbers the words of a postmortem for ListFor: those below
	// words are the model's (words numbered later are new); tax numbers
	// its causes and systems. Both are nil unless the model is kept.
	a        *analysis.English
	words    int32
	tax      map[string]int32
	terms    []string // by number
	df       []int32
	postings [][]simPosting // by term: the documents whose top terms hold it
	// uniq holds, for a term of one postmortem only, that postmortem and
	// its term frequency weight over its vector's norm (the idf is
	// applied by ListFor, where the term is no longer unique).
	uniq []simPosting
	docs []*postmortem.Postmortem
	byID map[string]int32 // URL id → document number
}

type simTerm struct {
	term int32
	w    float64
}

type simPosting struct {
	doc int32
	w   float64
}

// simScorer is the scratch space of best.
type simScorer struct {
	score   []float64 // by document, zero between uses
	touched []int32   // documents with a score
}

// topWith returns a document's most distinctive terms (of its terms b),
// weighted by tf-idf over N documents and normalised, and the norm it was
// divided by. The document frequency of a term is one more when
// extra(term) (extra may be nil).
func (m *Model) topWith(b termCounts, extra func(id int32) bool, N int) ([]simTerm, float64) {
	var ws []simTerm
	for j := 0; j < len(b); {
		var id, k int32
		id, k, j = b.next(j)
		d := m.df[id]
		if extra != nil && extra(id) {
			d++
		}
		if d < 2 || int(d) > m.maxDF { // unique or too common: says nothing
			continue
		}
		ws = append(ws, simTerm{id, (1 + math.Log(float64(k))) * math.Log(float64(N)/float64(d))})
	}
	slices.SortFunc(ws, func(a, b simTerm) int {
		if a.w != b.w {
			if a.w > b.w {
				return -1
			}
			return 1
		}
		return strings.Compare(m.terms[a.term], m.terms[b.term])
	})
	if len(ws) > topTerms {
		ws = ws[:topTerms]
	}
	var norm float64
	for _, x := range ws {
		norm += x.w * x.w
	}
	norm = math.Sqrt(norm)
	for k := range ws {
		ws[k].w /= norm
	}
	return slices.Clip(ws), norm
}

// best returns the URL ids of the m.n documents that share the most
// weight with tops, leaving out the document self (-1: none).
func (m *Model) best(self int32, tops []simTerm, sc *simScorer, uniqIDF float64) []string {
	score, touched := sc.score, sc.touched[:0]
	add := func(j int32, w float64) {
		if j == self || w == 0 {
			return
		}
		if score[j] == 0 {
			touched = append(touched, j)
		}
		score[j] += w
	}
	for _, x := range tops {
		for _, pj := range m.postings[x.term] {
			add(pj.doc, x.w*pj.w)
		}
		if uniqIDF > 0 && m.df[x.term] == 1 {
			u := m.uniq[x.term]
			add(u.doc, x.w*u.w*uniqIDF)
		}
	}
	// The n best, by score then by position (documents are newest
	// first): an insertion into a short sorted list, not a sort of all.
	better := func(a, b int32) bool {
		if score[a] != score[b] {
			return score[a] > score[b]
		}
		return a < b
	}
	n := m.n
	best := make([]int32, 0, n)
	for _, j := range touched {
		if len(best) == n && !better(j, best[n-1]) {
			continue
		}
		if len(best) < n {
			best = append(best, j)
		} else {
			best[n-1] = j
		}
		for k := len(best) - 1; k > 0 && better(best[k], best[k-1]); k-- {
			best[k], best[k-1] = best[k-1], best[k]
		}
	}
	ids := make([]string, 0, len(best))
	for _, j := range best {
		ids = append(ids, m.docs[j].URLID())
	}
	for _, j := range touched {
		score[j] = 0
	}
	sc.touched = touched
	return ids
}

// ListFor returns the similar-incident list of p, which may have changed
// since the model was made or be new, against the postmortems of the
// model: p's words are weighed with the model's document frequencies,
// plus one for the words p now shares with the model (all of them for a
// new postmortem; for one the model knows, those only one other
// postmortem had). For a postmortem the model knows, unchanged, that is
// exactly its list. Other postmortems' lists are not recomputed.
func (m *Model) ListFor(p *postmortem.Postmortem) []string {
	self, tops, N := m.query(p)
	return m.best(self, tops, &simScorer{score: make([]float64, len(m.docs))}, math.Log(float64(N)/2))
}

// query returns what ListFor scores p with: its document number (-1 for
// a postmortem the model does not know), its top terms and the number of
// documents they were weighed over.
func (m *Model) query(p *postmortem.Postmortem) (self int32, tops []simTerm, N int) {
	var tc termCounter
	all := tc.count(m.a, p, func(size int) termCounts { return make(termCounts, 0, size) })
	self, known := m.byID[p.URLID()]
	N = m.N
	if !known {
		self, N = -1, m.N+1
	}
	var b termCounts
	for j := 0; j < len(all); {
		var id, k int32
		id, k, j = all.next(j)
		if id < m.words && m.df[id] > 0 { // else only p has it: not distinctive
			b = b.add(id, k)
		}
	}
	b = appendTax(p, b, func(term string) (int32, bool) {
		id, ok := m.tax[term]
		return id, ok
	})
	tops, _ = m.topWith(b, func(id int32) bool { return !known || m.df[id] == 1 && m.uniq[id].doc != self }, N)
	return self, tops, N
}

// freeList hands out scratch values, at most one per worker, that live as
// long as the list (unlike a sync.Pool's, which the GC empties).
type freeList[T any] struct {
	free chan T
	make func() T
}

func newFreeList[T any](workers int, fn func() T) *freeList[T] {
	return &freeList[T]{free: make(chan T, workers), make: fn}
}

func (l *freeList[T]) get() T {
	select {
	case v := <-l.free:
		return v
	default:
		return l.make()
	}
}

func (l *freeList[T]) put(v T) {
	select {
	case l.free <- v:
	default:
	}
}
