// The merge's accumulators: per-term lists in chained segments, the
// word pairs' records and the arena of their positions.

package static

import "encoding/binary"

// termAcc accumulates a term's postings, positions and word pairs, in
// document order.
type termAcc struct {
	post  segList  // Δdoc,w,Δdoc,w… (JSON numbers, no brackets)
	pos   segList  // Δdoc,field,n,pos,Δpos…,Δdoc,field,n,…
	prev  int32    // the last document added
	df    int32    // documents
	fdf   [3]int32 // documents holding it in the title, body, keywords
	pairs segList  // pair records, in a pairLog
}

// termAccs is the table of term accumulators by term number, in chunks
// (growing one slice copied it, its pointers under the GC's write
// barrier).
type termAccs struct {
	chunks [][]termAcc
	n      int // term numbers below n have an accumulator
}

const accChunkBits = 10

// grow makes room for the terms below n.
func (t *termAccs) grow(n int) {
	for len(t.chunks)<<accChunkBits < n {
		t.chunks = append(t.chunks, make([]termAcc, 1<<accChunkBits))
	}
	t.n = max(t.n, n)
}

// at returns the accumulator of term n.
func (t *termAccs) at(n int32) *termAcc {
	return &t.chunks[n>>accChunkBits][n&(1<<accChunkBits-1)]
}

// segList is a growing list in a segLog: a chain of segments, each
// twice as long as the one before, up to the log's largest. (Slices grown
// by doubling allocated the postings and positions about three times
// over, 68 MB at 10,000 postmortems, and the pair records twice, 80 MB;
// chains of fixed 64-byte blocks cost a cache miss per five pair records
// when read.)
type segList struct {
	head, tail int32 // segment numbers + 1; 0: no segment
	next       int32 // where the next element goes in the log
	left       int32 // room left in the tail segment
	n          int32 // elements
}

// seg is a run of elements in a segLog: every segment but a list's last
// is full.
type seg struct {
	start, cap int32 // the first element (slab<<slabBits | index), and the length
	next       int32 // segment number + 1 of the next one in the list, or 0
}

// segLog holds the segLists of one kind of element, in slabs of
// 1<<slabBits elements. Element numbers are int32: when the slabs are
// full, further elements are dropped and full is set.
type segLog[T any] struct {
	slabs [][]T
	used  int // elements used in the last slab
	segs  []seg
	full  bool
}

// extend gives l a new tail segment, of minSeg elements or twice its last
// one's up to maxSeg (which fits a slab of 1<<slabBits); false when the
// log is full.
func (p *segLog[T]) extend(l *segList, minSeg, maxSeg int32, slabBits uint) bool {
	c := minSeg
	if l.tail != 0 {
		c = min(2*p.segs[l.tail-1].cap, maxSeg)
	}
	if len(p.slabs) == 0 || p.used+int(c) > 1<<slabBits {
		if len(p.slabs) == 1<<(31-slabBits) {
			p.full = true
			return false
		}
		p.slabs = append(p.slabs, make([]T, 1<<slabBits))
		p.used = 0
	}
	start := int32((len(p.slabs)-1)<<slabBits | p.used)
	p.used += int(c)
	p.segs = append(p.segs, seg{start: start, cap: c})
	num := int32(len(p.segs))
	if l.tail != 0 {
		p.segs[l.tail-1].next = num
	} else {
		l.head = num
	}
	l.tail, l.next, l.left = num, start, c
	return true
}

// each calls fn with every run of l's elements, in order.
func (p *segLog[T]) each(l *segList, slabBits uint, fn func([]T)) {
	for num := l.head; num != 0; {
		sg := &p.segs[num-1]
		n := sg.cap
		if num == l.tail {
			n -= l.left
		}
		off := sg.start & (1<<slabBits - 1)
		fn(p.slabs[sg.start>>slabBits][off : off+n])
		num = sg.next
	}
}

const (
	minByteSeg   = 16
	maxByteSeg   = 64 << 10
	byteSlabBits = 20 // 1 MiB slabs

	minPairSeg   = 4
	maxPairSeg   = 1 << 10
	pairSlabBits = 16 // 1<<pairSlabBits records per slab
)

// byteLog holds the postings and positions, lists of bytes.
type byteLog struct{ segLog[byte] }

// append appends b to l.
func (p *byteLog) append(l *segList, b []byte) {
	if len(b) <= int(l.left) && len(b) <= 8 {
		// The usual case: a number or two, no call to memmove.
		dst := p.slabs[l.next>>byteSlabBits][l.next&(1<<byteSlabBits-1):]
		for i, c := range b {
			dst[i] = c
		}
		l.next += int32(len(b))
		l.left -= int32(len(b))
		l.n += int32(len(b))
		return
	}
	for len(b) > 0 {
		if l.left == 0 && !p.extend(l, minByteSeg, maxByteSeg, byteSlabBits) {
			return
		}
		k := copy(p.slabs[l.next>>byteSlabBits][l.next&(1<<byteSlabBits-1):][:l.left], b)
		l.next += int32(k)
		l.left -= int32(k)
		l.n += int32(k)
		b = b[k:]
	}
}

// appendTo appends l's bytes to dst.
func (p *byteLog) appendTo(dst []byte, l *segList) []byte {
	p.each(l, byteSlabBits, func(b []byte) { dst = append(dst, b...) })
	return dst
}

// pairRec records that term b directly follows the term of its list in
// doc, at the positions of the arena record ref.
type pairRec struct {
	b, doc int32
	ref    uint32
}

// pairLog holds the records of every term's pair list.
type pairLog struct{ segLog[pairRec] }

// add appends r to l.
func (p *pairLog) add(l *segList, r pairRec) {
	if l.left == 0 && !p.extend(l, minPairSeg, maxPairSeg, pairSlabBits) {
		return
	}
	p.slabs[l.next>>pairSlabBits][l.next&(1<<pairSlabBits-1)] = r
	l.next++
	l.left--
	l.n++
}

// records calls fn with every run of l's records, in order.
func (p *pairLog) records(l *segList, fn func([]pairRec)) { p.each(l, pairSlabBits, fn) }

// arena holds byte records of 7-bit characters (number digits). A record
// of at most 3 bytes (one occurrence of a pair, usually) is kept in its
// reference: 1<<31 | length<<21 | the bytes, 7 bits each. Longer ones
// are stored with their length in chunks of 1 MiB (one growing slice
// would be copied over and over), addressed by chunk<<20 | offset, so
// grouping the records by pair rarely reads the arena.
type arena struct {
	chunks [][]byte
}

const arenaChunk = 1 << 20

// add stores rec and returns its reference, or false when the arena is
// full.
func (a *arena) add(rec []byte) (uint32, bool) {
	if len(rec) <= 3 {
		ref := uint32(1<<31 | len(rec)<<21)
		for i, c := range rec {
			ref |= uint32(c&0x7f) << (7 * i)
		}
		return ref, true
	}
	need := len(rec) + binary.MaxVarintLen32
	if c := len(a.chunks); c == 0 || len(a.chunks[c-1])+need > arenaChunk {
		if c >= 1<<11 {
			return 0, false
		}
		a.chunks = append(a.chunks, make([]byte, 0, max(arenaChunk, need)))
	}
	c := len(a.chunks) - 1
	ref := uint32(c<<20 | len(a.chunks[c]))
	a.chunks[c] = append(binary.AppendUvarint(a.chunks[c], uint64(len(rec))), rec...)
	return ref, true
}

// appendTo appends the record ref to b.
func (a *arena) appendTo(b []byte, ref uint32) []byte {
	if ref&(1<<31) != 0 {
		for i := 0; i < int(ref>>21&3); i++ {
			b = append(b, byte(ref>>(7*i)&0x7f))
		}
		return b
	}
	r := a.chunks[ref>>20][ref&(arenaChunk-1):]
	n, k := binary.Uvarint(r)
	return append(b, r[k:k+int(n)]...)
}

// recLen is the length of the record ref.
func (a *arena) recLen(ref uint32) int {
	if ref&(1<<31) != 0 {
		return int(ref >> 21 & 3)
	}
	n, _ := binary.Uvarint(a.chunks[ref>>20][ref&(arenaChunk-1):])
	return int(n)
}
