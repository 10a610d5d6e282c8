package site

import (
	"math"
	"slices"
	"strings"
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
// two postmortems score by the weights of the terms they share. Ties go to the more recent one. It runs in O(N·K·P) where P
// is the length of a word's posting list, kept short by using only each
// postmortem's top words.
func similar(ps []*postmortem.Postmortem, n, workers int) map[string][]string {
	N := len(ps)
	out := make(map[string][]string, N)
	if N < 2 || n <= 0 {
		return out
	}
	if workers < 1 {
		workers = 1
	}
	// Term frequencies per document, in parallel: each document's distinct
	// words in order of first appearance, and their counts.
	type docWords struct {
		words  []string
		counts []int32
	}
	docs := make([]docWords, N)
	counters := newFreeList(workers, func() *wordCounter { return &wordCounter{idx: map[string]int32{}} })
	kb.Parallel(N, workers, func(i int) {
		c := counters.get()
		c.reset()
		p := ps[i]
		c.add(p.Title, 3) // the title counts three times
		c.add(p.Body.Text, 1)
		// Root causes and systems are terms too (twice): a rare cause
		// shared says more than most words (common ones drop out as any
		// common word does, below).
		for _, t := range p.RootCauses {
			c.addTerm("\x00cause:"+t, 2)
		}
		for _, t := range p.Systems {
			c.addTerm("\x00system:"+t, 2)
		}
		docs[i] = docWords{words: slices.Clone(c.words), counts: slices.Clone(c.counts)}
		counters.put(c)
	})
	// Global term numbers and document frequencies.
	ids := map[string]int32{}
	var terms []string
	var df []int32
	docIDs := make([][]int32, N)
	for i := range docs {
		d := make([]int32, len(docs[i].words))
		for k, w := range docs[i].words {
			id, ok := ids[w]
			if !ok {
				id = int32(len(terms))
				ids[w] = id
				terms = append(terms, w)
				df = append(df, 0)
			}
			df[id]++
			d[k] = id
		}
		docIDs[i] = d
		docs[i].words = nil
	}
	ids = nil
	type tw struct {
		term int32
		w    float64
	}
	// A word in more than maxDF postmortems is not distinctive (and its
	// posting list would make scoring quadratic).
	maxDF := N / 20
	if maxDF < 20 {
		maxDF = 20
	}
	if maxDF > N/3+1 {
		maxDF = N/3 + 1
	}
	tops := make([][]tw, N)
	kb.Parallel(N, workers, func(i int) {
		var ws []tw
		for k, id := range docIDs[i] {
			d := df[id]
			if d < 2 || int(d) > maxDF { // unique or too common: says nothing
				continue
			}
			c := docs[i].counts[k]
			ws = append(ws, tw{id, (1 + math.Log(float64(c))) * math.Log(float64(N)/float64(d))})
		}
		slices.SortFunc(ws, func(a, b tw) int {
			if a.w != b.w {
				if a.w > b.w {
					return -1
				}
				return 1
			}
			return strings.Compare(terms[a.term], terms[b.term])
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
		tops[i] = slices.Clip(ws)
	})
	docs, docIDs = nil, nil
	type posting struct {
		doc int32
		w   float64
	}
	postings := make([][]posting, len(terms))
	for i, ws := range tops {
		for _, x := range ws {
			postings[x.term] = append(postings[x.term], posting{int32(i), x.w})
		}
	}
	results := make([][]string, N)
	type scorer struct {
		score   []float64 // by document, zero between uses
		touched []int32   // documents with a score
	}
	scorers := newFreeList(workers, func() *scorer { return &scorer{score: make([]float64, N)} })
	kb.Parallel(N, workers, func(i int) {
		sc := scorers.get()
		score, touched := sc.score, sc.touched[:0]
		for _, x := range tops[i] {
			for _, pj := range postings[x.term] {
				j := pj.doc
				if int(j) == i {
					continue
				}
				if score[j] == 0 {
					touched = append(touched, j)
				}
				score[j] += x.w * pj.w
			}
		}
		// The n best, by score then by position (ps is newest first):
		// an insertion into a short sorted list, not a sort of all.
		better := func(a, b int32) bool {
			if score[a] != score[b] {
				return score[a] > score[b]
			}
			return a < b
		}
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
			ids = append(ids, ps[j].URLID())
		}
		for _, j := range touched {
			score[j] = 0
		}
		sc.touched = touched
		scorers.put(sc)
		results[i] = ids
	})
	for i, p := range ps {
		out[p.URLID()] = results[i]
	}
	return out
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
