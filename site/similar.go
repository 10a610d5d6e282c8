package site

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// similarTerms is how many distinctive terms represent a postmortem.
const similarTerms = 16

// similar finds, for each postmortem, up to n others most similar by
// content: each is represented by its most distinctive terms (tf-idf over
// the words of its title and body, and its root causes and systems), and
// two postmortems score by the weights of the terms they share. Ties go
// to the more recent one. It runs in O(N·K·P) where P is the length of a
// word's posting list, kept short by using only each postmortem's top
// words. With keep, it also returns the model the lists came from, for
// listFor.
func similar(ps []*postmortem.Postmortem, n, workers int, keep bool) (map[string][]string, *similarModel) {
	N := len(ps)
	out := make(map[string][]string, N)
	if N < 2 || n <= 0 {
		return out, nil
	}
	if workers < 1 {
		workers = 1
	}
	// Term frequencies per document, in parallel: each document's distinct
	// terms (numbered for the whole KB) in order of first appearance, and
	// their counts.
	table := &termTable{ids: map[string]int32{}}
	docIDs := make([][]int32, N)
	counts := make([][]int32, N)
	counters := newFreeList(workers, func() *docCounter { return &docCounter{table: table, local: map[string]int32{}} })
	kb.Parallel(N, workers, func(i int) {
		c := counters.get()
		docIDs[i], counts[i] = c.count(ps[i])
		counters.put(c)
	})
	m := &similarModel{n: n, N: N, ids: table.ids, terms: table.terms, docs: ps}
	m.df = make([]int32, len(m.terms))
	for _, ids := range docIDs {
		for _, id := range ids {
			m.df[id]++
		}
	}
	if !keep {
		m.ids = nil
	}
	// A word in more than maxDF postmortems is not distinctive (and its
	// posting list would make scoring quadratic).
	m.maxDF = min(max(N/20, 20), N/3+1)
	tops := make([][]simTerm, N)
	norms := make([]float64, N)
	kb.Parallel(N, workers, func(i int) {
		tops[i], norms[i] = m.topWith(docIDs[i], counts[i], nil, N)
	})
	if keep {
		// A word only one postmortem has says nothing here, but a
		// postmortem written later that has it too shares something
		// rare with that one (listFor).
		m.uniq = make([]simPosting, len(m.terms))
		for i, ids := range docIDs {
			for k, id := range ids {
				if m.df[id] == 1 {
					w := 0.0 // a postmortem without distinctive terms scores nothing
					if norms[i] > 0 {
						w = (1 + math.Log(float64(counts[i][k]))) / norms[i]
					}
					m.uniq[id] = simPosting{int32(i), w}
				}
			}
		}
	}
	docIDs, counts = nil, nil
	m.postings = make([][]simPosting, len(m.terms))
	for i, ws := range tops {
		for _, x := range ws {
			m.postings[x.term] = append(m.postings[x.term], simPosting{int32(i), x.w})
		}
	}
	results := make([][]string, N)
	scorers := newFreeList(workers, func() *simScorer { return &simScorer{score: make([]float64, N)} })
	kb.Parallel(N, workers, func(i int) {
		sc := scorers.get()
		results[i] = m.best(int32(i), tops[i], sc, 0)
		scorers.put(sc)
	})
	for i, p := range ps {
		out[p.URLID()] = results[i]
	}
	if !keep {
		return out, nil
	}
	m.byID = make(map[string]int32, N)
	for i, p := range ps {
		m.byID[p.URLID()] = int32(i)
	}
	return out, m
}

// similarModel is what the similar-incident lists come from: term
// numbers, document frequencies and the postings of every postmortem's
// top terms. serve keeps it so that the list of a postmortem being
// edited (or just created) is recomputed alone (listFor).
type similarModel struct {
	n, N, maxDF int
	ids         map[string]int32 // term → number
	terms       []string
	df          []int32
	postings    [][]simPosting // by term: the documents whose top terms hold it
	// uniq holds, for a term of one postmortem only, that postmortem and
	// its term frequency weight over its vector's norm (the idf is
	// applied by listFor, where the term is no longer unique).
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

// topWith returns a document's most distinctive terms (ids with their
// counts), weighted by tf-idf over N documents and normalised, and the
// norm it was divided by. The document frequency of ids[k] is one more
// when extra[k] (extra may be nil).
func (m *similarModel) topWith(ids, counts []int32, extra []bool, N int) ([]simTerm, float64) {
	var ws []simTerm
	for k, id := range ids {
		d := m.df[id]
		if extra != nil && extra[k] {
			d++
		}
		if d < 2 || int(d) > m.maxDF { // unique or too common: says nothing
			continue
		}
		ws = append(ws, simTerm{id, (1 + math.Log(float64(counts[k]))) * math.Log(float64(N)/float64(d))})
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
	if len(ws) > similarTerms {
		ws = ws[:similarTerms]
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
func (m *similarModel) best(self int32, tops []simTerm, sc *simScorer, uniqIDF float64) []string {
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

// listFor returns the similar-incident list of p, which may have changed
// since the model was made or be new, against the postmortems of the
// model: p's words are weighed with the model's document frequencies,
// plus one for the words p now shares with the model (all of them for a
// new postmortem; for one the model knows, those only one other
// postmortem had). For a postmortem the model knows, unchanged, that is
// exactly its list. Other postmortems' lists are not recomputed.
func (m *similarModel) listFor(p *postmortem.Postmortem) []string {
	c := &wordCounter{idx: map[string]int32{}}
	c.count(p)
	self, known := m.byID[p.URLID()]
	N := m.N
	if !known {
		self, N = -1, m.N+1
	}
	var ids, counts []int32
	var extra []bool
	for k, w := range c.words {
		id, ok := m.ids[w]
		if !ok { // only p has it: not distinctive
			continue
		}
		ids = append(ids, id)
		counts = append(counts, c.counts[k])
		extra = append(extra, !known || m.df[id] == 1 && m.uniq[id].doc != self)
	}
	tops, _ := m.topWith(ids, counts, extra, N)
	return m.best(self, tops, &simScorer{score: make([]float64, len(m.docs))}, math.Log(float64(N)/2))
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

// wordCounter counts the words of one postmortem (see words).
type wordCounter struct {
	idx    map[string]int32 // word → index in words
	words  []string
	counts []int32
	buf    []byte
}

func (c *wordCounter) reset() {
	clear(c.idx)
	c.words, c.counts = c.words[:0], c.counts[:0]
}

// count counts the terms of p: the words of its title (three times) and
// body, and its root causes and systems (twice: a rare cause shared says
// more than most words; common ones drop out as any common word does).
func (c *wordCounter) count(p *postmortem.Postmortem) {
	c.reset()
	countTerms(p, c.add, c.addTerm)
}

// countTerms is what count counts, by add (text) and addTerm (one term).
func countTerms(p *postmortem.Postmortem, add, addTerm func(string, int32)) {
	add(p.Title, 3)
	add(p.Body.Text, 1)
	for _, t := range p.RootCauses {
		addTerm("\x00cause:"+t, 2)
	}
	for _, t := range p.Systems {
		addTerm("\x00system:"+t, 2)
	}
}

// termTable numbers the terms of every postmortem, for all workers.
type termTable struct {
	mu    sync.Mutex
	ids   map[string]int32
	terms []string
}

// number returns the number of the word w (same: w as a substring of
// the text, or "", see words) and the string it is kept as.
func (t *termTable) number(w []byte, same string) (int32, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id, ok := t.ids[string(w)]; ok {
		return id, t.terms[id]
	}
	word := same
	if word == "" {
		word = string(w)
	}
	id := int32(len(t.terms))
	t.ids[word] = id
	t.terms = append(t.terms, word)
	return id, word
}

// docCounter counts the terms of one postmortem after another, as
// wordCounter does, with the numbers of a termTable: a worker keeps the
// numbers it has seen (local) and counts by number in a dense slice, so
// a word costs one look-up in a map that only grows.
type docCounter struct {
	table   *termTable
	local   map[string]int32 // the table's numbers this worker has used
	cnt     []int32          // by term number, zero between postmortems
	touched []int32          // the numbers counted, in order of first appearance
	buf     []byte
}

// count returns the terms of p (see wordCounter.count) as numbers, in
// order of first appearance, with their counts.
func (c *docCounter) count(p *postmortem.Postmortem) (ids, counts []int32) {
	c.touched = c.touched[:0]
	countTerms(p, c.add, c.addTerm)
	ids = slices.Clone(c.touched)
	counts = make([]int32, len(ids))
	for k, id := range ids {
		counts[k] = c.cnt[id]
		c.cnt[id] = 0
	}
	return ids, counts
}

func (c *docCounter) add(s string, k int32) {
	c.buf = words(s, c.buf, func(w []byte, same string) {
		id, ok := c.local[string(w)]
		if !ok {
			var word string
			id, word = c.table.number(w, same)
			c.local[word] = id
		}
		c.inc(id, k)
	})
}

func (c *docCounter) addTerm(w string, k int32) {
	id, ok := c.local[w]
	if !ok {
		id, w = c.table.number([]byte(w), w)
		c.local[w] = id
	}
	c.inc(id, k)
}

func (c *docCounter) inc(id, k int32) {
	if int(id) >= len(c.cnt) {
		c.cnt = append(c.cnt, make([]int32, max(int(id)+1-len(c.cnt), len(c.cnt)))...)
	}
	if c.cnt[id] == 0 {
		c.touched = append(c.touched, id)
	}
	c.cnt[id] += k
}

// add counts each word of s (see words) k times.
func (c *wordCounter) add(s string, k int32) {
	c.buf = words(s, c.buf, func(w []byte, same string) {
		if j, ok := c.idx[string(w)]; ok {
			c.counts[j] += k
			return
		}
		word := same // the text's own bytes when already lower case
		if word == "" {
			word = string(w)
		}
		c.idx[word] = int32(len(c.words))
		c.words = append(c.words, word)
		c.counts = append(c.counts, k)
	})
}

// addTerm counts the term w k times.
func (c *wordCounter) addTerm(w string, k int32) {
	if j, ok := c.idx[w]; ok {
		c.counts[j] += k
		return
	}
	c.idx[w] = int32(len(c.words))
	c.words = append(c.words, w)
	c.counts = append(c.counts, k)
}

// words calls fn with each lower-cased word of s (a run of letters and
// digits) of 3 letters or more that is not a stop word, and, when the word
// was written in lower case, the same word as a substring of s (else "").
// fn must not keep the bytes; buf is scratch space, returned for reuse.
func words(s string, buf []byte, fn func(w []byte, same string)) []byte {
	i := 0
	for i < len(s) {
		// Skip to a letter or digit.
		c := s[i]
		if c < utf8.RuneSelf {
			if !asciiWord(c) {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(s[i:]); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += size
			continue
		}
		start, ascii := i, true
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				if !asciiWord(c) {
					break
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			ascii = false
			i += size
		}
		w := s[start:i]
		if ascii {
			if len(w) < 3 {
				continue
			}
			buf = buf[:0]
			lower := true
			for k := 0; k < len(w); k++ {
				c := w[k]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
					lower = false
				}
				buf = append(buf, c)
			}
			if stopWords[string(buf)] {
				continue
			}
			if lower {
				fn(buf, w)
			} else {
				fn(buf, "")
			}
			continue
		} else {
			if utf8.RuneCountInString(w) < 3 {
				continue
			}
			buf = append(buf[:0], strings.ToLower(w)...)
		}
		if stopWords[string(buf)] {
			continue
		}
		fn(buf, "")
	}
	return buf
}

func asciiWord(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// stopWords are English function words left out of similarity.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the and for are but not you all any can had her was one our out day get has him his how man new now old see two way who boy did its let put say she too use
	that with have this will your from they know want been good much some time very when come here just like long make many more only over such take than them well were what
	into also after before because about there their then these those which while would could should being other where each most both through during without again further once
	under above below between off own same few nor very can will just don should now was were has had having does doing until against why how all any both each`) {
		m[w] = true
	}
	return m
}()
