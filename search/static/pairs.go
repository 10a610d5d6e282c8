// The word pair shards (index/b/).

package static

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/hindsight-kb/hindsight/search"
)

// writePairShards writes the pair shards index/b/<k>.json into files and
// returns their number. An entry is {"a b":"Δdoc,n·3+field,pos,Δpos…"}:
// the positions of term a where term b directly follows, for the pairs
// where a or b is in more than big documents. order lists the terms in
// the order of their bytes, and a shard's entries follow it (a, then b),
// which is their keys' byte order, since the analyzer's terms hold no
// space or control character. Each term's records are grouped by the
// following term with a counting sort (pairGrouper), once: each entry is
// written, as it will be in its file, into a pairEntries log, and the
// records and positions (log, pairPos) are let go; then the shard count
// (which depends on the entries' total size) is known, and the entries
// are copied into their files, each made at its final size. (Counting
// the sizes in a pass of their own read every record three times;
// building the values as separate slices, then copying them, held both,
// 60 MB at 10,000 postmortems.)
//
// A pair of two tiered terms (tiers, from an export of more than
// Options.TierFrom documents) whose list is longer than two shards is
// split by the pair's own score into files b/<h>-<i>.json, h the FNV-1a
// of "a b" (see pairTiers); its shard entry is "!df,tiers,s0,s1,…".
func writePairShards(files map[string][]byte, accs *termAccs, order []int32, names []string, log *pairLog, pairPos *arena, pt *pairTiers, big, shardSize int) int {
	var ents pairEntries
	total := 0
	g := newPairGrouper(accs, order, log)
	var kb []byte
	for _, a := range order {
		acc := accs.at(a)
		bigA := int(acc.df) > big
		g.group(a, func(b int32, recs []pairRec) {
			if !bigA && int(accs.at(b).df) <= big {
				return
			}
			kb = append(append(append(kb[:0], names[a]...), ' '), names[b]...)
			size := 0 // the value's bytes
			prev := int32(0)
			for _, r := range recs {
				size += numLen(int(r.doc-prev)) + pairPos.recLen(r.ref)
				prev = r.doc
			}
			if pt.split(a, b, size, shardSize) {
				buf := ents.next(fnvAdd(2166136261, kb), len(kb)+64)
				buf = append(appendString(buf, kb), ':', '"')
				buf = pt.write(files, buf, string(kb), a, b, recs, pairPos)
				total += len(buf) + 1
				ents.done(append(buf, '"'))
				return
			}
			total += size + 2 + len(kb) + 4
			buf := ents.next(fnvAdd(2166136261, kb), len(kb)+size+16)
			buf = appendString(buf, kb)
			buf = append(buf, ':', '"')
			prev = 0
			for _, r := range recs {
				buf = appendNum(buf, int(r.doc-prev))
				buf = pairPos.appendTo(buf, r.ref)
				prev = r.doc
			}
			ents.done(append(buf, '"'))
		})
	}
	g = nil
	*log, *pairPos = pairLog{}, arena{}
	shards := shardCount(total, shardSize)
	fsize := make([]int, shards)
	ents.each(func(h uint32, e []byte) { fsize[h%uint32(shards)] += len(e) + 1 })
	bufs := make([][]byte, shards)
	for k := range bufs {
		bufs[k] = make([]byte, 1, fsize[k]+2)
		bufs[k][0] = '{'
	}
	// The entries, in the order of their keys' bytes, each appended to
	// its file.
	ents.drain(func(h uint32, e []byte) {
		f := h % uint32(shards)
		if len(bufs[f]) > 1 {
			bufs[f] = append(bufs[f], ',')
		}
		bufs[f] = append(bufs[f], e...)
	})
	for k, b := range bufs {
		files["index/b/"+strconv.Itoa(k)+".json"] = append(b, '}')
	}
	return shards
}

// pairTiers splits the long lists of word pairs by the pair's score:
// for documents holding the pair "a b", IDF(a)·w_a + IDF(b)·w_b (w the
// terms' weights, IDF search.IDF), which is the part of a phrase's score
// the pair's terms make. Tier 0 holds the first documents by that score,
// tier i the next first·2^i (a tier ends after the last document of its
// last score, as termTiers' do), each in document order, a record per
// document: "Δdoc,w_a,w_b,n·3+field,pos,Δpos,…", Δdoc from the tier's
// previous document (from -1 for the first, so never 0) and 0 before
// another field's record of the same document. The shard entry lists
// the largest score of each tier, so that search.js reads a phrase's
// pairs a tier at a time, heaviest first, knowing the weights of both
// words of each document it reads (their own tiers, by weight, are read
// no further), and finds the tier of a document whose weights it knows.
type pairTiers struct {
	tiers map[int32]*termTiers // the tiered terms' tiers (none: no pair is split)
	df    func(t int32) int    // a term's document count
	// post appends a term's postings ("Δdoc,w,…") to buf.
	post  func(t int32, buf []byte) []byte
	n     int // the documents exported
	first int // Options.TierDocs
	// scratch, reused from pair to pair (postA: the postings of term a,
	// the last first term)
	a              int32
	postA, postB   []byte
	scores, sorted []int64
	ws             [][2]int32
	lo             []int64
	parts          [][]byte
}

// split reports whether the pair a b, whose list is size bytes, is
// split into tiers.
func (pt *pairTiers) split(a, b int32, size, shardSize int) bool {
	return pt.tiers[a] != nil && pt.tiers[b] != nil && size > 2*shardSize
}

// write writes the records recs (in document order) of the pair key of
// terms a and b into its tier files and appends its shard entry's value
// to buf.
func (pt *pairTiers) write(files map[string][]byte, buf []byte, key string, a, b int32, recs []pairRec, pairPos *arena) []byte {
	ia, ib := search.IDF(pt.n, pt.df(a)), search.IDF(pt.n, pt.df(b))
	if pt.postA == nil || pt.a != a {
		pt.a, pt.postA = a, pt.post(a, pt.postA[:0])
	}
	pt.postB = pt.post(b, pt.postB[:0])
	wa, wb := weightWalk(pt.postA), weightWalk(pt.postB)
	pt.scores, pt.ws = pt.scores[:0], pt.ws[:0]
	for _, r := range recs {
		x, y := wa(r.doc), wb(r.doc)
		pt.ws = append(pt.ws, [2]int32{x, y})
		pt.scores = append(pt.scores, ia*int64(x)+ib*int64(y))
	}
	pt.sorted = append(pt.sorted[:0], pt.scores...)
	slices.Sort(pt.sorted)
	// The tiers' bounds, from the top: tier i from its largest score down
	// to lo[i].
	var ub []int64
	pt.lo = pt.lo[:0]
	for hi, size := len(pt.sorted)-1, pt.first; hi >= 0; size *= 2 {
		end := max(hi-size+1, 0)
		for end > 0 && pt.sorted[end-1] == pt.sorted[end] {
			end--
		}
		ub, pt.lo = append(ub, pt.sorted[hi]), append(pt.lo, pt.sorted[end])
		hi = end - 1
	}
	for len(pt.parts) < len(ub) {
		pt.parts = append(pt.parts, nil)
	}
	parts := pt.parts[:len(ub)]
	prev := make([]int32, len(ub))
	for i := range parts {
		parts[i], prev[i] = parts[i][:0], -1
	}
	for k, r := range recs {
		i := 0
		for pt.scores[k] < pt.lo[i] {
			i++
		}
		parts[i] = appendNum(parts[i], int(r.doc-prev[i]))
		parts[i] = appendNum(appendNum(parts[i], int(pt.ws[k][0])), int(pt.ws[k][1]))
		parts[i] = pairPos.appendTo(parts[i], r.ref)
		prev[i] = r.doc
	}
	h := fnv1a(key)
	for i, p := range parts {
		addKeyFile(files, tierName("b", h, i), key, p)
	}
	buf = appendNum(append(buf, '!'), len(recs))
	buf = appendNum(buf, len(ub))
	for _, s := range ub {
		buf = appendNum(buf, int(s))
	}
	return buf
}

// pairEntries is a log of the pair shards' entries ("a b":"…"), in the
// order they are written, with their keys' FNV-1a hashes: in chunks of
// about 1 MiB (one growing slice would be copied over and over).
type pairEntries struct {
	chunks [][]byte
	ents   []pairEntry
}

// pairEntry is an entry of a pairEntries: the FNV-1a hash of its key,
// and where its bytes are.
type pairEntry struct {
	h          uint32
	chunk      int32
	start, end int32
}

const pairEntryChunk = 1 << 20

// next returns the buffer to append an entry of key hash h to, with room
// for about size bytes; done records the appended result.
func (p *pairEntries) next(h uint32, size int) []byte {
	c := len(p.chunks) - 1
	if c < 0 || cap(p.chunks[c])-len(p.chunks[c]) < size {
		p.chunks = append(p.chunks, make([]byte, 0, max(pairEntryChunk, size)))
		c++
	}
	p.ents = append(p.ents, pairEntry{h: h, chunk: int32(c), start: int32(len(p.chunks[c]))})
	return p.chunks[c]
}

// done records the buffer that next returned, with the entry appended.
// (When the entry outgrew its room, append moved the chunk: it holds the
// entries before it as well.)
func (p *pairEntries) done(b []byte) {
	e := &p.ents[len(p.ents)-1]
	p.chunks[e.chunk] = b
	e.end = int32(len(b))
}

// each calls fn with every entry's hash and bytes, in order.
func (p *pairEntries) each(fn func(h uint32, e []byte)) {
	for _, e := range p.ents {
		fn(e.h, p.chunks[e.chunk][e.start:e.end])
	}
}

// drain is each, letting each chunk go once its entries are read (and
// the entries at the end): the files they are copied into grow
// meanwhile.
func (p *pairEntries) drain(fn func(h uint32, e []byte)) {
	for k, e := range p.ents {
		fn(e.h, p.chunks[e.chunk][e.start:e.end])
		if k+1 == len(p.ents) || p.ents[k+1].chunk != e.chunk {
			p.chunks[e.chunk] = nil
		}
	}
	*p = pairEntries{}
}

// pairGrouper groups each term's pair records by the following term.
type pairGrouper struct {
	accs    *termAccs
	log     *pairLog
	rank    []int32 // term → index in order
	cnt     []int32 // records per following term; 0 between terms
	bs      []int32 // the following terms of one term
	grouped []pairRec
}

// newPairGrouper returns a grouper of the records of accs (in log), whose
// terms in the order of their bytes are order.
func newPairGrouper(accs *termAccs, order []int32, log *pairLog) *pairGrouper {
	g := &pairGrouper{accs: accs, log: log, rank: make([]int32, accs.n), cnt: make([]int32, accs.n)}
	maxRecs := 0
	for k, t := range order {
		g.rank[t] = int32(k)
		maxRecs = max(maxRecs, int(accs.at(t).pairs.n))
	}
	g.grouped = make([]pairRec, maxRecs)
	return g
}

// group calls fn with each term b that directly follows term a somewhere,
// in the order of the terms' bytes, and the records of a where it does,
// in document order (a counting sort: a map of all pairs cost a cache
// miss or two per record while merging). The records are reused after fn
// returns.
func (g *pairGrouper) group(a int32, fn func(b int32, recs []pairRec)) {
	acc := g.accs.at(a)
	if acc.pairs.head == 0 {
		return
	}
	cnt := g.cnt
	bs := g.bs[:0]
	g.log.records(&acc.pairs, func(recs []pairRec) {
		for _, r := range recs {
			if cnt[r.b] == 0 {
				bs = append(bs, r.b)
			}
			cnt[r.b]++
		}
	})
	// "a b" sorts as (a, b) when no term has a byte below '!'.
	slices.SortFunc(bs, func(x, y int32) int { return cmp.Compare(g.rank[x], g.rank[y]) })
	// cnt[b] becomes the start of b's records in grouped, then, as they
	// are placed, their end.
	start := int32(0)
	for _, b := range bs {
		start, cnt[b] = start+cnt[b], start
	}
	g.log.records(&acc.pairs, func(recs []pairRec) {
		for _, r := range recs {
			g.grouped[cnt[r.b]] = r
			cnt[r.b]++
		}
	})
	from := int32(0)
	for _, b := range bs {
		to := cnt[b]
		fn(b, g.grouped[from:to])
		from = to
	}
	for _, b := range bs {
		cnt[b] = 0
	}
	g.bs = bs
}
