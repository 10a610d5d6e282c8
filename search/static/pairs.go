// The word pair shards (index/b/).

package static

import (
	"cmp"
	"slices"
	"strconv"
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
// A pair whose first term is tiered and whose list is longer than
// two shards is split by that term's tiers (tiers) into files
// b/<h>-<i>.json, h the FNV-1a of "a b"; its shard entry is "!mask", bit
// i set when tier i holds the pair.
func writePairShards(files map[string][]byte, accs *termAccs, order []int32, names []string, log *pairLog, pairPos *arena, tiers map[int32]*termTiers, big, shardSize int) int {
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
			if tt := tiers[a]; tt != nil && size > 2*shardSize {
				mask := writePairTiers(files, string(kb), recs, pairPos, tt)
				buf := ents.next(fnvAdd(2166136261, kb), len(kb)+16)
				buf = append(appendString(buf, kb), ':', '"', '!')
				buf = appendNum(buf, mask)
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

// writePairTiers writes the records recs of pair key, split by the tiers
// t of its first term, into the files b/<h>-<i>.json, and returns the
// mask of the tiers holding the pair.
func writePairTiers(files map[string][]byte, key string, recs []pairRec, pairPos *arena, t *termTiers) int {
	parts := make([][]byte, len(t.ub))
	prev := make([]int32, len(t.ub))
	tierOf := t.tierWalk()
	for _, r := range recs {
		i := tierOf(r.doc)
		parts[i] = appendNum(parts[i], int(r.doc-prev[i]))
		parts[i] = pairPos.appendTo(parts[i], r.ref)
		prev[i] = r.doc
	}
	mask, h := 0, fnv1a(key)
	for i, p := range parts {
		if len(p) > 0 {
			mask |= 1 << i
			addKeyFile(files, tierName("b", h, i), key, p)
		}
	}
	return mask
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
