// The analysis of each document's tokens into its terms, weights,
// positions and word pairs, in batches, in parallel.

package static

import (
	"encoding/binary"
	"math/bits"
	"runtime"
	"slices"

	"github.com/hindsight-kb/hindsight/search"
	textan "github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// docTerms is the analysis of one document: its distinct terms (numbers)
// in order of first appearance, their weights, their position records,
// and its word pairs with theirs. Its slices are reused for another
// document once merged.
type docTerms struct {
	terms   []int32
	maxTerm int32
	w       []int32
	fields  []uint8  // the fields (bit f) holding term j
	posEnd  []int32  // the end of term j's records in pos
	pos     []byte   // n·3+field,pos,Δpos…[,0,n·3+field,pos,…] of each term
	pairs   []uint64 // a<<32 | b: term b directly follows term a (no repeats)
	pairEnd []int32  // the end of pair p's records in pairPos
	pairPos []byte   // the positions of a in pair p, records as in pos
}

// docBatch is the number of documents analysed at once and merged in
// order: the intermediate results of a batch or three are held at a time.
const docBatch = 128

// scratch holds the analysis workers' buffers and the batches' results
// for reuse: an export allocated about 180 MB of per-document results
// and scratch before.
type scratch struct {
	workers chan *analysis
	free    chan []docTerms
}

// analyse analyses docs (their tokens toks, see tokenize) in batches of
// docBatch, in parallel, and sends the batches in order. Each document's
// tokens are let go once analysed. The receiver gives each batch back
// with done and must drain the channel.
func (sc *scratch) analyse(docs []search.Doc, toks [][]byte) <-chan []docTerms {
	n := runtime.GOMAXPROCS(0)
	sc.workers = make(chan *analysis, n)
	for range n {
		sc.workers <- &analysis{}
	}
	sc.free = make(chan []docTerms, 3)
	batches := make(chan []docTerms, 1)
	go func() {
		defer close(batches)
		for b := 0; b < len(docs); b += docBatch {
			var recs []docTerms
			select {
			case recs = <-sc.free:
			default:
				recs = make([]docTerms, docBatch)
			}
			recs = recs[:min(docBatch, len(docs)-b)]
			kb.Parallel(len(recs), n, func(k int) {
				w := <-sc.workers
				w.doc(toks[b+k], &recs[k])
				toks[b+k] = nil
				sc.workers <- w
			})
			batches <- recs
		}
	}()
	return batches
}

// uvarint returns the uvarint at the start of b and the rest of b.
func uvarint(b []byte) (uint64, []byte) {
	if b[0] < 0x80 { // most positions and the commonest terms
		return uint64(b[0]), b[1:]
	}
	v, n := binary.Uvarint(b)
	return v, b[n:]
}

// uvarintLen is the length of binary.AppendUvarint(nil, v).
func uvarintLen(v uint64) int {
	return (bits.Len64(v|1) + 6) / 7
}

// done gives a merged batch back for reuse.
func (sc *scratch) done(recs []docTerms) {
	select {
	case sc.free <- recs[:cap(recs)]:
	default:
	}
}

// analysis is one worker's scratch space.
type analysis struct {
	slot    []int32 // term number → 1 + index in the document's terms, 0 if absent
	toks    []textan.NumberedToken
	firsts  [3]int // the first token of each field
	lens    [3]int // the tokens of each field
	tf      [][3]int32
	head    []int32 // first token of each term
	tail    []int32
	next    []int32 // next token of the same term
	tokTerm []int32 // term (index) of each token
	follow  []uint64
}

// doc analyses a document, its tokens toks (see tokenize), into out.
func (sc *analysis) doc(toks []byte, out *docTerms) {
	sc.decode(toks, out)
	sc.positions(out)
	sc.wordPairs(out)
}

// decode reads the tokens toks into sc.toks, with the fields' bounds,
// each term's tokens chained (head, next) and counted per field (tf),
// and sets out.terms and out.maxTerm.
func (sc *analysis) decode(toks []byte, out *docTerms) {
	sc.toks, sc.tf = sc.toks[:0], sc.tf[:0]
	sc.head, sc.tail, sc.next = sc.head[:0], sc.tail[:0], sc.next[:0]
	sc.tokTerm = sc.tokTerm[:0]
	terms := out.terms[:0]
	maxTerm := int32(-1)
	for f := range 3 {
		sc.firsts[f] = len(sc.toks)
		n, k := binary.Uvarint(toks)
		toks = toks[k:]
		last := int32(0)
		for range n {
			var t, d uint64
			t, toks = uvarint(toks)
			d, toks = uvarint(toks)
			last += int32(d)
			sc.toks = append(sc.toks, textan.NumberedToken{Term: int32(t), Position: last})
		}
		sc.lens[f] = len(sc.toks) - sc.firsts[f]
		for k := sc.firsts[f]; k < len(sc.toks); k++ {
			t := sc.toks[k].Term
			if int(t) >= len(sc.slot) {
				sc.slot = append(sc.slot, make([]int32, int(t)+1-len(sc.slot))...)
				sc.slot = sc.slot[:cap(sc.slot)]
			}
			j := sc.slot[t] - 1
			if j < 0 {
				j = int32(len(terms))
				sc.slot[t] = j + 1
				terms = append(terms, t)
				maxTerm = max(maxTerm, t)
				sc.tf = append(sc.tf, [3]int32{})
				sc.head = append(sc.head, int32(k))
				sc.tail = append(sc.tail, -1)
			}
			sc.tf[j][f]++
			sc.tokTerm = append(sc.tokTerm, j)
			sc.next = append(sc.next, -1)
			if p := sc.tail[j]; p >= 0 {
				sc.next[p] = int32(k)
			}
			sc.tail[j] = int32(k)
		}
	}
	for _, t := range terms {
		sc.slot[t] = 0
	}
	out.terms, out.maxTerm = terms, maxTerm
}

// fieldOf returns the field of token k.
func (sc *analysis) fieldOf(k int) int {
	switch {
	case k >= sc.firsts[2]:
		return fieldKeywords
	case k >= sc.firsts[1]:
		return fieldBody
	}
	return fieldTitle
}

// following returns the tokens that directly follow token k (position
// + 1) in the same field: toks[m:e], several where a word has compound
// tokens (textan.English), none if m == e.
func (sc *analysis) following(k int) (m, e int) {
	p, f := sc.toks[k].Position, sc.fieldOf(k)
	m = k + 1
	for m < len(sc.toks) && sc.fieldOf(m) == f && sc.toks[m].Position == p {
		m++
	}
	e = m
	for e < len(sc.toks) && sc.fieldOf(e) == f && sc.toks[e].Position == p+1 {
		e++
	}
	return m, e
}

// positions sets each term's weight, fields and position records in out.
func (sc *analysis) positions(out *docTerms) {
	n := len(out.terms)
	out.w = slices.Grow(out.w[:0], n)[:n]
	out.posEnd = slices.Grow(out.posEnd[:0], n)[:n]
	out.fields = slices.Grow(out.fields[:0], n)[:n]
	b := out.pos[:0]
	for j := range n {
		var tf [3]int
		out.fields[j] = 0
		for f := 0; f < 3; f++ {
			if c := sc.tf[j][f]; c > 0 {
				out.fields[j] |= 1 << f
				tf[f] = int(c)
			}
		}
		out.w[j] = int32(search.TermWeight(tf, sc.lens))
		// Records n·3+field,pos,Δpos… per field, tokens in order; the
		// merge puts Δdoc before the first, and a later field of the same
		// document has Δdoc 0.
		f, last := -1, 0
		for k := sc.head[j]; k >= 0; k = sc.next[k] {
			kf := sc.fieldOf(int(k))
			p := int(sc.toks[k].Position)
			if kf != f {
				if f >= 0 {
					b = appendNum(b, 0)
				}
				f = kf
				b = appendNum(b, int(sc.tf[j][f])*3+f)
				b = appendNum(b, p)
			} else {
				b = appendNum(b, p-last)
			}
			last = p
		}
		out.posEnd[j] = int32(len(b))
	}
	out.pos = b
}

// wordPairs sets the word pairs of out: for each term j, the tokens k of
// j followed by another term's token, sorted by that term: one record
// per pair, as in positions.
func (sc *analysis) wordPairs(out *docTerms) {
	terms := out.terms
	b := out.pairPos[:0]
	pairs, pairEnd := out.pairs[:0], out.pairEnd[:0]
	for j := range terms {
		fl := sc.follow[:0]
		for k := sc.head[j]; k >= 0; k = sc.next[k] {
			m, e := sc.following(int(k))
			for ; m < e; m++ {
				fl = append(fl, uint64(sc.tokTerm[m])<<32|uint64(k))
			}
		}
		slices.Sort(fl)
		for s := 0; s < len(fl); {
			e := s + 1
			for e < len(fl) && fl[e]>>32 == fl[s]>>32 {
				e++
			}
			for g := s; g < e; {
				// one field: tokens g..h-1
				f := sc.fieldOf(int(uint32(fl[g])))
				h := g + 1
				for h < e && sc.fieldOf(int(uint32(fl[h]))) == f {
					h++
				}
				if g > s {
					b = appendNum(b, 0)
				}
				b = appendNum(b, (h-g)*3+f)
				last := 0
				for _, x := range fl[g:h] {
					p := int(sc.toks[uint32(x)].Position)
					b = appendNum(b, p-last)
					last = p
				}
				g = h
			}
			pairs = append(pairs, uint64(terms[j])<<32|uint64(terms[fl[s]>>32]))
			pairEnd = append(pairEnd, int32(len(b)))
			s = e
		}
		sc.follow = fl
	}
	out.pairs, out.pairEnd, out.pairPos = pairs, pairEnd, b
}
