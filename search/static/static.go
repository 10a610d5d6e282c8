// Package static exports a prebuilt, sharded search index for the static
// site: the files themes/default/static/search.js loads on demand, so the
// /search/ page works on a plain static host.
//
// Layout (paths relative to the site's search/ folder), format 5:
//
//	index/meta.json      {"version","n","shards","solo","pshards","bshards","big","chunk","stop":[…],"synonyms":[[…]]}
//	index/t/<k>.json     term shards: {"term":"Δdoc,w,Δdoc,w,…", "~cause:x":"Δdoc,…"}
//	index/t/s<h>.json    the keys whose FNV-1a's top 20 bits are h, for each h in
//	                     "solo" (sorted, as differences): those of every key
//	                     whose postings are longer than half a shard
//	index/p/<k>.json     position shards of small terms (in at most "big" documents):
//	                     {"term":"Δdoc,n·3+field,pos,Δpos,…,Δdoc,n·3+field,pos,…"}:
//	                     per document and field (0 title, 1 body, 2 keywords) with
//	                     the term, the document (Δ from the previous record's; 0
//	                     for another field of the same one), the count n and the
//	                     field, and the positions (the first, then differences)
//	index/q/<h>.json     the positions of a big term, alone in a file named by
//	                     its FNV-1a h (same shape; terms with one hash share it)
//	index/b/<k>.json     word pairs: {"a b":"Δdoc,n·3+field,pos,Δpos,…"}, the
//	                     positions of term a where term b directly follows (at
//	                     position + 1, same field), for pairs with a big term
//	index/d/<k>.json     document chunks: [[id,title,severity,day,url,summary],…]
//	index/dates.json     the local start date of every document, as runs in
//	                     document order: {"runs":"v,count,…"}, v 1 for undated
//	                     documents, else 2·zigzag(Δ days since 1970-01-01)
//
// Every "…" of numbers is a string written by appendNum: one to three
// printable characters per number, about half the bytes of a JSON array.
// Documents are numbered by start date, newest first. A key lives in
// shard fnv1a32(utf8(key)) mod the shard count of its kind. Terms are the
// output of the same analyzer as the server-side index (textan.English:
// the tokens of bleve's "en" and the compound tokens of identifiers), so
// the browser only has to analyse the query the same way (search.js).
// Filter values are keys "~field:value" (lower-cased; field one of cause,
// system, data, technique, severity, category, status, id). Weights w are
// search.TermWeight (1000 × Σ over title (×3), body (×1) and keywords
// (×1.5) of √tf/√length, rounded); the browser ranks by Σ search.IDF·w over
// the query's terms, as search.Index does (search/rank.go). A phrase is checked, exactly, with the pair
// lists of its adjacent words where one of the two is big (the browser
// knows a word's document count from its postings) and with the positions
// of the words no such pair covers (small words, or a big word between
// two stop words): a phrase of common words without stop words inside
// needs no position list (docs/search.md has the numbers).
package static

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"maps"
	"math/bits"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/go-porterstemmer"
	"github.com/hindsight-kb/hindsight/search"
	textan "github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// Version is the format version written into meta.json.
const Version = 5

// Options tune the export.
type Options struct {
	// ShardSize is the target size in bytes of a term, position or pair
	// shard; 0 means 12 KiB (a query fetches a shard per word or pair:
	// what else a shard holds is overhead).
	ShardSize int
	// ChunkDocs is the number of documents per metadata chunk; 0 means 4
	// (a page of 20 hits then costs about 20 small files, not 20 large
	// ones).
	ChunkDocs int
	// BigDocs: a term in more documents is "big": its positions go to the
	// q/ shards instead of p/, and the positions where another term
	// directly follows or precedes it are listed in the b/ shards, so the
	// adjacent words of a phrase with a big word need no positions of
	// their own. 0 means 768.
	BigDocs int
	// ReleaseBodies lets Export clear the Body of every document in docs
	// (the caller's slice) and let each body go once it is analysed: for
	// a caller that does not read the documents afterwards (a build, where
	// the bodies are a large part of what is live while pages are
	// written).
	ReleaseBodies bool
	// Synonyms are the query-time synonym groups (config.Search.Synonyms),
	// written as they are into meta.json ("synonyms") for search.js to
	// analyse and apply as search.Index does.
	Synonyms [][]string
	// Analyzer is the analyzer to use, made by textan.NewNumberingEnglish
	// (another one makes Export panic); nil means a new one. A caller
	// that counts terms with Terms gives its own, to read their names
	// (Analyzer.Terms) or to number the terms of other texts the same.
	Analyzer *textan.English
	// Terms, when not nil, is given each document's terms as soon as it
	// is analysed, so that a caller that counts terms (similar
	// incidents) needs no analysis of its own: doc is the document's
	// index in the docs given to Export, terms its distinct terms
	// (numbers of Analyzer's Terms) in order of first appearance and
	// counts their counts in its title, body and keywords. It is called
	// from several goroutines at once, once per document (a document
	// whose ID an earlier one has is left out, as from the export); the
	// slices are reused once it returns.
	Terms func(doc int, terms []int32, counts [][3]int32)
	// Analysed, when not nil, is called once every document has been
	// analysed (and given to Terms), before the export goes on with
	// its postings and files: it should not block. It is not called when
	// Export fails before analysing.
	Analysed func()
}

// field numbers in position shards.
const (
	fieldTitle = iota
	fieldBody
	fieldKeywords
)

// Export builds the static index of docs (already filtered for the
// audience, see search.Docs) and returns its files by slash path relative
// to the site's search/ folder.
//
// Documents are tokenized first, in parallel, into a compact list of
// term numbers and positions each (their bodies can go then); then
// their tokens are analysed in parallel, a batch at a time, and merged in
// document order (while the next batch is analysed), so the output does
// not depend on timing and only a few batches' intermediate results are
// held. Terms are numbered by the analyzer (textan.NewNumberingEnglish),
// so the merge counts them in arrays, not maps; postings, positions and
// word pairs grow in chained segments, never copied until written.
// Shards are written by hand, keys sorted as encoding/json sorts map keys:
// the bytes are those json.Marshal of the shard maps would give.
func Export(docs []search.Doc, opts Options) (map[string][]byte, error) {
	if opts.ShardSize <= 0 {
		opts.ShardSize = 12 << 10
	}
	if opts.ChunkDocs <= 0 {
		opts.ChunkDocs = 4
	}
	if opts.BigDocs <= 0 {
		opts.BigDocs = 768
	}
	a := opts.Analyzer
	if a == nil {
		var err error
		if a, err = textan.NewNumberingEnglish(); err != nil {
			return nil, err
		}
	}
	// The documents to export (the first of each ID), newest first, and
	// their indexes in the caller's docs.
	from := dedupe(docs)
	sort.SliceStable(from, func(i, j int) bool {
		x, y := &docs[from[i]], &docs[from[j]]
		if !x.Started.Equal(y.Started) {
			return x.Started.After(y.Started)
		}
		return x.ID < y.ID
	})
	orig := docs
	docs = make([]search.Doc, len(from))
	for k, i := range from {
		docs[k] = orig[i]
	}
	if opts.ReleaseBodies {
		for i := range orig {
			orig[i].Body = "" // the copies in docs keep them until analysed
		}
	}
	// The document chunks and dates are written beside the analysis.
	dfiles := map[string][]byte{}
	var docsDone sync.WaitGroup
	docsDone.Go(func() { docFiles(dfiles, docs, opts.ChunkDocs) })
	defer docsDone.Wait()

	// Terms are numbered by the analyzer; accs.at(n) accumulates term n.
	// The numbers depend on timing, the output does not: keys are
	// written in the order of their bytes.
	var accs termAccs
	filters := map[string]*filterAcc{}
	var pairPos arena // the word pairs' positions (termAcc.pairs)
	var pairs pairLog
	var lists byteLog // postings and positions (termAcc.post, pos)
	var sc scratch
	// Every document is tokenized first, its terms handed to opts.Terms
	// and its body let go; the tokens, a few bytes each, are analysed
	// and merged in batches next.
	toks, surface := tokenize(a, docs, from, opts)
	batches := sc.analyse(docs, toks)
	// The producer stops when batches is drained; drain it on an early
	// return so it does not wait forever.
	defer func() {
		for range batches {
		}
	}()
	var fkey []byte
	i := 0
	for recs := range batches {
		for k := range recs {
			r := &recs[k]
			accs.grow(int(r.maxTerm) + 1)
			for j, t := range r.terms {
				acc := accs.at(t)
				delta := i - int(acc.prev)
				var tmp [16]byte
				d := appendNum(tmp[:0], delta)
				lists.append(&acc.post, appendNum(d, int(r.w[j])))
				lists.append(&acc.pos, d)
				from := 0
				if j > 0 {
					from = int(r.posEnd[j-1])
				}
				lists.append(&acc.pos, r.pos[from:r.posEnd[j]])
				acc.prev = int32(i)
				acc.df++
				for f := range 3 {
					if r.fields[j]&(1<<f) != 0 {
						acc.fdf[f]++
					}
				}
			}
			for k, pr := range r.pairs {
				from := 0
				if k > 0 {
					from = int(r.pairEnd[k-1])
				}
				off, ok := pairPos.add(r.pairPos[from:r.pairEnd[k]])
				if !ok {
					return nil, errArenaFull
				}
				pairs.add(&accs.at(int32(pr>>32)).pairs, pairRec{int32(pr), int32(i), off})
			}
			fkey = addFilters(filters, &docs[i], i, fkey)
			i++
		}
		sc.done(recs)
	}
	if lists.full || pairs.full {
		return nil, errArenaFull
	}
	names := a.Terms()
	// The terms in the order of their bytes, as json.Marshal sorts map
	// keys: every list of entries below is made in this order, so the
	// shards need no sorting.
	order := make([]int32, 0, accs.n)
	for t := range int32(accs.n) {
		if accs.at(t).df > 0 {
			order = append(order, t)
		}
	}
	slices.SortFunc(order, func(x, y int32) int { return strings.Compare(names[x], names[y]) })

	// The word pairs' shards are made while the term and position shards
	// are written (when the export ends the build, the other core would
	// be idle).
	pairFiles := map[string][]byte{}
	bshards := 0
	var pairsDone sync.WaitGroup
	pairsDone.Go(func() {
		bshards = writePairShards(pairFiles, &accs, order, names, &pairs, &pairPos, opts.BigDocs, opts.ShardSize)
		pairPos, pairs = arena{}, pairLog{}
	})
	defer pairsDone.Wait()

	// Term shards: {"term":"Δdoc,w,…","~cause:x":"Δdoc,…"}.
	fkeys := make([]string, 0, len(filters))
	for k := range filters {
		fkeys = append(fkeys, k)
	}
	slices.Sort(fkeys)
	tkeys := make([]shardEntry, 0, len(order)+len(filters))
	total := 0
	for o, f := 0, 0; o < len(order) || f < len(fkeys); {
		var e shardEntry
		if f == len(fkeys) || o < len(order) && names[order[o]] < fkeys[f] {
			e = shardEntry{key: names[order[o]], list: &accs.at(order[o]).post}
			o++
		} else {
			e = shardEntry{key: fkeys[f], val: filters[fkeys[f]].post}
			f++
		}
		tkeys = append(tkeys, e)
		total += e.len() + 2 + len(e.key) + 4
	}
	// A key whose postings are more than half a shard is "solo": it goes
	// to t/s<h>.json, h the top 20 bits of its FNV-1a, with every other
	// key of the same h (meta.json lists the solo h), so a common word
	// fetches no other common word's postings.
	soloH := map[uint32]bool{}
	for _, e := range tkeys {
		if e.len() > opts.ShardSize/2 {
			soloH[fnv1a(e.key)>>12] = true
		}
	}
	for _, e := range tkeys {
		if soloH[fnv1a(e.key)>>12] {
			total -= e.len() + 2 + len(e.key) + 4
		}
	}
	files := map[string][]byte{}
	shards := shardCount(total, opts.ShardSize)
	tfile, tname := hashShards(files, "index/t/", shards)
	writeShards(files, &lists, tkeys, func(k string) uint64 {
		if h := fnv1a(k) >> 12; soloH[h] {
			return 1<<32 | uint64(h)
		}
		return tfile(k)
	}, func(f uint64) string {
		if f>>32 == 1 {
			return "index/t/s" + strconv.FormatUint(f&(1<<32-1), 10) + ".json"
		}
		return tname(f)
	})
	clear(tkeys)
	solo := make([]int, 0, len(soloH))
	for h := range soloH {
		solo = append(solo, int(h))
	}
	slices.Sort(solo)
	var soloList []byte
	for k, h := range solo {
		if k > 0 {
			h -= solo[k-1]
		}
		soloList = appendNum(soloList, h)
	}
	// Position shards: {"term":[Δdoc,field,n,pos,Δpos,…,Δdoc,…]}, small
	// terms in p/, big ones in q/.
	small, big := make([]shardEntry, 0, len(order)), []shardEntry(nil)
	ptotal := 0
	for _, t := range order {
		acc := accs.at(t)
		e := shardEntry{key: names[t], list: &acc.pos}
		if int(acc.df) > opts.BigDocs {
			big = append(big, e)
		} else {
			small = append(small, e)
			ptotal += e.len() + 2 + len(e.key) + 4
		}
	}
	pshards := shardCount(ptotal, opts.ShardSize)
	pfile, pname := hashShards(files, "index/p/", pshards)
	writeShards(files, &lists, small, pfile, pname)
	small = nil
	// A big term's positions are larger than a shard: each has its own
	// file, named by the term's FNV-1a (terms with the same hash share
	// it), so a phrase fetches no other term's.
	writeShards(files, &lists, big, func(k string) uint64 { return uint64(fnv1a(k)) },
		func(h uint64) string { return "index/q/" + strconv.FormatUint(h, 10) + ".json" })
	big = nil
	wshards := writeWordShards(files, &accs, order, names, surface)
	// The postings and positions are all written: they go before the
	// word pairs are done (the pairs' goroutine reads accs, not lists).
	lists = byteLog{}
	pairsDone.Wait()
	accs = termAccs{}
	docsDone.Wait()
	maps.Copy(files, pairFiles)
	maps.Copy(files, dfiles)
	meta := map[string]any{
		"version": Version,
		"n":       len(docs),
		"shards":  shards,
		"solo":    string(soloList),
		"pshards": pshards,
		"bshards": bshards,
		"big":     opts.BigDocs,
		"chunk":   opts.ChunkDocs,
		"stop":    textan.StopWords(),
		"words":   wshards[0],
		"spells":  wshards[1],
	}
	if len(opts.Synonyms) > 0 {
		meta["synonyms"] = opts.Synonyms
	}
	b, err := json.Marshal(meta)
	if err != nil {
		return nil, err
	}
	files["index/meta.json"] = b
	return files, nil
}

// docFiles adds the document chunks index/d/<k>.json, chunk documents
// each, in one buffer (a growing one per chunk allocated 15 MB at 10,000
// postmortems), and index/dates.json to files.
func docFiles(files map[string][]byte, docs []search.Doc, chunk int) {
	size := 0
	for i := range docs {
		d := &docs[i]
		size += len(d.ID) + len(d.Title) + len(d.Severity) + len(d.URL) + min(len(d.Summary), 200) + 40
	}
	all := make([]byte, 0, size+2*(len(docs)/chunk+1))
	for c := 0; c*chunk < len(docs) || c == 0; c++ {
		from := len(all)
		all = append(all, '[')
		for i := c * chunk; i < len(docs) && i < (c+1)*chunk; i++ {
			d := &docs[i]
			if all[len(all)-1] != '[' {
				all = append(all, ',')
			}
			all = append(all, '[')
			for k, s := range [...]string{d.ID, d.Title, d.Severity, d.Day(), d.URL, search.Shorten(d.Summary, 180)} {
				if k > 0 {
					all = append(all, ',')
				}
				all = appendString(all, s)
			}
			all = append(all, ']')
		}
		all = append(all, ']')
		files["index/d/"+strconv.Itoa(c)+".json"] = all[from:len(all):len(all)]
	}
	files["index/dates.json"] = datesFile(docs)
}

// datesFile returns index/dates.json. Documents are sorted by date, so
// dates are written as runs, in document order: {"runs":"v,count,…"}
// where v is 1 for documents without a date, else 2·zigzag(day − the
// previous run's day), days counted from 1970-01-01 (usually one or two
// characters per run).
func datesFile(docs []search.Doc) []byte {
	b := []byte(`{"runs":"`)
	prev := int64(0)
	for i := 0; i < len(docs); {
		day := docs[i].Day()
		j := i + 1
		for j < len(docs) && docs[j].Day() == day {
			j++
		}
		v := int64(1)
		if t, err := time.Parse(time.DateOnly, day); err == nil {
			k := t.Unix() / 86400
			v = 2 * zigzag(k-prev)
			prev = k
		}
		b = appendNum(b, int(v))
		b = appendNum(b, j-i)
		i = j
	}
	return append(b, `"}`...)
}

// zigzag maps signed to unsigned numbers: 0, -1, 1, -2… → 0, 1, 2, 3….
func zigzag(v int64) int64 { return v<<1 ^ v>>63 }

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
func writePairShards(files map[string][]byte, accs *termAccs, order []int32, names []string, log *pairLog, pairPos *arena, big, shardSize int) int {
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
	ents.each(func(h uint32, e []byte) {
		f := h % uint32(shards)
		if len(bufs[f]) > 1 {
			bufs[f] = append(bufs[f], ',')
		}
		bufs[f] = append(bufs[f], e...)
	})
	ents = pairEntries{}
	for k, b := range bufs {
		files["index/b/"+strconv.Itoa(k)+".json"] = append(b, '}')
	}
	return shards
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

// numLen is the length of appendNum(nil, v).
func numLen(v int) int {
	n := 1
	for h := v / numLow; h > 0; h /= numHigh {
		n++
	}
	return n
}

// fnvAdd continues the FNV-1a hash h (2166136261 to start) over s.
func fnvAdd[S ~string | ~[]byte](h uint32, s S) uint32 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// errArenaFull is returned by Export when the word pairs' positions do
// not fit the arena (2 GiB): far beyond what a knowledge base holds.
var errArenaFull = errors.New("static search export: this knowledge base's word positions or word pairs exceed the index's 2 GiB lists; split it into smaller knowledge bases or serve it with `hindsight serve`, which searches on the server")

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

// filterAcc accumulates the documents of a filter key.
type filterAcc struct {
	post []byte // Δdoc,Δdoc…
	prev int
	n    int // documents
}

// Numbers in shards are written as strings of printable ASCII (no
// character JSON escapes), each number a run of "high" digits (base 24)
// ended by one "low" digit (base 64): v = (…(h1·24 + h2)·24 …)·64 + low.
// Numbers below 64 take one character, below 1,536 two, below 36,864
// three; the decimal JSON arrays of format 4 took about twice the bytes.
const (
	// numDigits is the alphabet: '#' to '~' without '&', '<', '>' and
	// '\'; the first 64 are low digits, the last 24 high digits.
	numDigits = "#$%'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"
	numLow    = 64
	numHigh   = len(numDigits) - numLow
)

// appendNum appends the non-negative number v, encoded as described at
// numDigits.
func appendNum(b []byte, v int) []byte {
	if v < numLow {
		return append(b, numDigits[v])
	}
	var tmp [16]byte
	i := len(tmp) - 1
	tmp[i] = numDigits[v%numLow]
	for h := v / numLow; h > 0; h /= numHigh {
		i--
		tmp[i] = numDigits[numLow+h%numHigh]
	}
	return append(b, tmp[i:]...)
}

// addFilters adds document i to the keys "~field:value" of its filter
// values. key is a buffer for the keys; it returns it for the next call.
func addFilters(filters map[string]*filterAcc, d *search.Doc, i int, key []byte) []byte {
	add := func(field string, vals ...string) {
		for _, v := range vals {
			if v == "" {
				continue
			}
			key = append(append(append(key[:0], '~'), field...), ':')
			key = appendLower(key, v)
			acc := filters[string(key)]
			if acc == nil {
				acc = &filterAcc{}
				filters[string(key)] = acc
			} else if acc.n > 0 && acc.prev == i {
				continue // a repeated value
			}
			acc.post = appendNum(acc.post, i-acc.prev)
			acc.prev = i
			acc.n++
		}
	}
	add("cause", d.Causes...)
	add("system", d.Systems...)
	add("data", d.Data...)
	add("technique", search.TechniqueTerms(d.Techniques)...)
	add("severity", d.Severity)
	add("category", d.Category)
	add("status", d.Status)
	add("id", d.ID)
	return key
}

// appendLower appends strings.ToLower(s) to b, without a new string when
// s is ASCII.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return append(b, strings.ToLower(s)...)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

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

// tokenize returns the tokens of every document's title, body and
// keywords, analysed in parallel, in a compact form: for each field, the
// number of tokens, then each token's term number and position (as the
// difference from the previous token's), uvarints; about three bytes a
// token, a fraction of the text. It gives each document's term counts to
// opts.Terms, lets the body go when opts.ReleaseBodies (nothing reads it
// again: the document chunks and filters use the other fields), and calls
// opts.Analysed at the end. from are the documents' indexes for
// opts.Terms.
func tokenize(a *textan.English, docs []search.Doc, from []int, opts Options) ([][]byte, map[string]int32) {
	n := runtime.GOMAXPROCS(0)
	workers := make(chan *tokenizer, n)
	all := make([]*tokenizer, n)
	for k := range n {
		all[k] = &tokenizer{seen: map[string]*surfaceCount{}}
		workers <- all[k]
	}
	out := make([][]byte, len(docs))
	kb.Parallel(len(docs), n, func(i int) {
		w := <-workers
		out[i] = w.doc(a, &docs[i])
		w.surfaceWords(&docs[i], int32(i))
		if opts.Terms != nil {
			w.count()
			opts.Terms(from[i], w.terms, w.tf)
		}
		if opts.ReleaseBodies {
			docs[i].Body = ""
		}
		workers <- w
	})
	if opts.Analysed != nil {
		opts.Analysed()
	}
	// A document is counted by one worker only: the counts add up.
	surface := map[string]int32{}
	for _, w := range all {
		for k, c := range w.seen {
			surface[k] += c.docs
		}
	}
	return out, surface
}

// surfaceWords counts, in w.seen, the documents holding each
// lower-cased run of 3 or more ASCII letters in d's title or body that no
// other letter or digit touches: the spellings search.js's "did you mean"
// picks from (the CLI's too: search.Index.spelling reads titles and
// bodies, not keywords).
func (w *tokenizer) surfaceWords(d *search.Doc, doc int32) {
	var word [40]byte
	for _, text := range [2]string{d.Title, d.Body} {
		for i := 0; i < len(text); {
			if byteClass[text[i]] != classLetter {
				i++
				continue
			}
			// The run's lower-case bytes (its first 40) and FNV-1a hash,
			// in one pass.
			j, h := i, uint32(2166136261)
			for ; j < len(text) && byteClass[text[j]] == classLetter; j++ {
				c := text[j] | 0x20
				if j-i < len(word) {
					word[j-i] = c
				}
				h = (h ^ uint32(c)) * 16777619
			}
			touched := i > 0 && byteClass[text[i-1]] == classToucher ||
				j < len(text) && byteClass[text[j]] == classToucher
			if !touched && j-i >= 3 && j-i <= len(word) {
				if c := w.surface(word[:j-i], h); c.last != doc+1 {
					c.docs++
					c.last = doc + 1
				}
			}
			i = j
		}
	}
}

// The classes of bytes for surfaceWords: ASCII letters, the bytes that
// make a run of letters no word when they touch it (digits and the bytes
// of non-ASCII characters), and the rest.
const (
	classOther = iota
	classLetter
	classToucher
)

// byteClass is the class of each byte (a constant table: never written).
var byteClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case isASCIILetter(byte(c)):
			t[c] = classLetter
		case c >= 0x80 || '0' <= c && c <= '9':
			t[c] = classToucher
		}
	}
	return t
}()

// surfaceCount counts the documents holding a word (see surfaceWords).
type surfaceCount struct {
	docs int32
	last int32 // the last one's index + 1
}

// surfaceFront is the number of words a tokenizer remembers in front of
// its map (most words of a text are common ones).
const surfaceFront = 4096

// surfaceEntry is a remembered word of at most 24 bytes and its count.
type surfaceEntry struct {
	n    uint8
	word [24]byte
	c    *surfaceCount
}

// surface returns the count of word (lower case), whose FNV-1a hash is h,
// adding it if new.
func (w *tokenizer) surface(word []byte, h uint32) *surfaceCount {
	var f *surfaceEntry
	if len(word) <= len(surfaceEntry{}.word) {
		f = &w.front[h&(surfaceFront-1)]
		if int(f.n) == len(word) && string(f.word[:f.n]) == string(word) {
			return f.c
		}
	}
	c := w.seen[string(word)]
	if c == nil {
		c = &surfaceCount{}
		w.seen[string(word)] = c
	}
	if f != nil {
		f.n = uint8(copy(f.word[:], word))
		f.c = c
	}
	return c
}

// isASCIILetter reports whether c is an ASCII letter.
func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// tokenizer is the scratch space of one tokenize worker.
type tokenizer struct {
	toks []textan.NumberedToken
	ends [3]int // the end of each field's tokens in toks
	// seen holds, for each lower-case word (see surfaceWords), the count
	// of documents holding it; front the last words looked up.
	seen  map[string]*surfaceCount
	front [surfaceFront]surfaceEntry
	slot  []int32
	terms []int32
	tf    [][3]int32
}

// doc returns the compact tokens of d (see tokenize), keeping them in
// w.toks for count.
func (w *tokenizer) doc(a *textan.English, d *search.Doc) []byte {
	w.toks = w.toks[:0]
	for f, text := range [3]string{d.Title, d.Body, d.Keywords} {
		w.toks = a.NumberedTokens(w.toks, text)
		w.ends[f] = len(w.toks)
	}
	size, from := 0, 0
	for _, end := range w.ends {
		size += uvarintLen(uint64(end - from))
		last := int32(0)
		for _, t := range w.toks[from:end] {
			size += uvarintLen(uint64(t.Term)) + uvarintLen(uint64(t.Position-last))
			last = t.Position
		}
		from = end
	}
	b := make([]byte, 0, size)
	from = 0
	for _, end := range w.ends {
		b = binary.AppendUvarint(b, uint64(end-from))
		last := int32(0)
		for _, t := range w.toks[from:end] {
			b = binary.AppendUvarint(b, uint64(t.Term))
			b = binary.AppendUvarint(b, uint64(t.Position-last))
			last = t.Position
		}
		from = end
	}
	return b
}

// count sets w.terms and w.tf to the distinct terms of the last
// document, in order of first appearance, and their counts per field.
func (w *tokenizer) count() {
	w.terms, w.tf = w.terms[:0], w.tf[:0]
	f := 0
	for k, t := range w.toks {
		for k == w.ends[f] {
			f++
		}
		if int(t.Term) >= len(w.slot) {
			w.slot = append(w.slot, make([]int32, int(t.Term)+1-len(w.slot))...)
			w.slot = w.slot[:cap(w.slot)]
		}
		j := w.slot[t.Term] - 1
		if j < 0 {
			j = int32(len(w.terms))
			w.slot[t.Term] = j + 1
			w.terms = append(w.terms, t.Term)
			w.tf = append(w.tf, [3]int32{})
		}
		w.tf[j][f]++
	}
	for _, t := range w.terms {
		w.slot[t] = 0
	}
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
	tf      [][3]int32
	head    []int32 // first token of each term
	tail    []int32
	next    []int32 // next token of the same term
	tokTerm []int32 // term (index) of each token
	follow  []uint64
}

// doc analyses a document, its tokens toks (see tokenize), into out.
func (sc *analysis) doc(toks []byte, out *docTerms) {
	sc.toks, sc.tf = sc.toks[:0], sc.tf[:0]
	sc.head, sc.tail, sc.next = sc.head[:0], sc.tail[:0], sc.next[:0]
	sc.tokTerm = sc.tokTerm[:0]
	terms := out.terms[:0]
	maxTerm := int32(-1)
	var lens, firsts [3]int
	for f := range 3 {
		firsts[f] = len(sc.toks)
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
		lens[f] = len(sc.toks) - firsts[f]
		for k := firsts[f]; k < len(sc.toks); k++ {
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
	fieldOf := func(k int) int {
		switch {
		case k >= firsts[2]:
			return fieldKeywords
		case k >= firsts[1]:
			return fieldBody
		}
		return fieldTitle
	}
	// next returns the tokens that directly follow token k (position + 1)
	// in the same field: toks[m:e], several where a word has compound
	// tokens (textan.English), none if m == e.
	next := func(k int) (m, e int) {
		p, f := sc.toks[k].Position, fieldOf(k)
		m = k + 1
		for m < len(sc.toks) && fieldOf(m) == f && sc.toks[m].Position == p {
			m++
		}
		e = m
		for e < len(sc.toks) && fieldOf(e) == f && sc.toks[e].Position == p+1 {
			e++
		}
		return m, e
	}
	out.terms, out.maxTerm = terms, maxTerm
	out.w = slices.Grow(out.w[:0], len(terms))[:len(terms)]
	out.posEnd = slices.Grow(out.posEnd[:0], len(terms))[:len(terms)]
	out.fields = slices.Grow(out.fields[:0], len(terms))[:len(terms)]
	b := out.pos[:0]
	for j := range terms {
		var tf [3]int
		out.fields[j] = 0
		for f := 0; f < 3; f++ {
			if n := sc.tf[j][f]; n > 0 {
				out.fields[j] |= 1 << f
				tf[f] = int(n)
			}
		}
		out.w[j] = int32(search.TermWeight(tf, lens))
		// Records n·3+field,pos,Δpos… per field, tokens in order; the
		// merge puts Δdoc before the first, and a later field of the same
		// document has Δdoc 0.
		f, last := -1, 0
		for k := sc.head[j]; k >= 0; k = sc.next[k] {
			kf := fieldOf(int(k))
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
	// Word pairs: for each term j, the tokens k of j followed by another
	// term's token, sorted by that term: one record per pair, as above.
	b = out.pairPos[:0]
	pairs, pairEnd := out.pairs[:0], out.pairEnd[:0]
	for j := range terms {
		fl := sc.follow[:0]
		for k := sc.head[j]; k >= 0; k = sc.next[k] {
			m, e := next(int(k))
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
				f := fieldOf(int(uint32(fl[g])))
				h := g + 1
				for h < e && fieldOf(int(uint32(fl[h]))) == f {
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

// dedupe returns the indexes of the documents of docs whose ID no
// earlier one has.
func dedupe(docs []search.Doc) []int {
	seen := make(map[string]bool, len(docs))
	out := make([]int, 0, len(docs))
	for i := range docs {
		if !seen[docs[i].ID] {
			seen[docs[i].ID] = true
			out = append(out, i)
		}
	}
	return out
}

func shardCount(total, size int) int {
	n := (total + size - 1) / size
	if n < 1 {
		n = 1
	}
	return n
}

// Shard returns the shard number of a key: FNV-1a (32 bit) of its UTF-8
// bytes modulo n. search.js computes the same.
func Shard(key string, n int) int { return shard(key, n) }

func shard(key string, n int) int { return int(fnv1a(key) % uint32(n)) }

// fnv1a is the 32-bit FNV-1a hash of key's bytes.
func fnv1a(key string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h = (h ^ uint32(key[i])) * 16777619
	}
	return h
}

// shardEntry is one key of a shard and its value: numbers written by
// appendNum (a JSON string without its quotes).
type shardEntry struct {
	key  string
	val  []byte
	list *segList // the value instead of val, in writeShards' byteLog
}

// len is the length of e's value.
func (e *shardEntry) len() int {
	if e.list != nil {
		return int(e.list.n)
	}
	return len(e.val)
}

// writeShards writes entries, sorted by key, into files: key k goes to
// the file name(file(k)), a JSON object {"key":"val",…} with its keys
// sorted (as json.Marshal sorts a map's). Each file's size is counted
// first, so its buffer is made once (a growing slice of entries per file
// cost 30 MB at 10,000 postmortems).
func writeShards(files map[string][]byte, log *byteLog, entries []shardEntry, file func(key string) uint64, name func(uint64) string) {
	idx := map[uint64]int32{} // file → part; shard numbers use small
	var small []int32         // small[f] - 1 for f < len(small)
	var ids []uint64          // file of each part
	var sizes []int           // bytes of each part's entries
	part := make([]int32, len(entries))
	for i, e := range entries {
		f := file(e.key)
		var k int32
		if f < 1<<16 {
			if int(f) >= len(small) {
				small = append(small, make([]int32, int(f)+1-len(small))...)
			}
			k = small[f] - 1
			if k < 0 {
				k = int32(len(ids))
				small[f] = k + 1
				ids = append(ids, f)
				sizes = append(sizes, 0)
			}
		} else {
			var ok bool
			if k, ok = idx[f]; !ok {
				k = int32(len(ids))
				idx[f] = k
				ids = append(ids, f)
				sizes = append(sizes, 0)
			}
		}
		part[i] = k
		sizes[k] += len(e.key) + e.len() + 6
	}
	// Entries are sorted: appended in turn to their files, each file's
	// stay sorted.
	bufs := make([][]byte, len(ids))
	for k := range bufs {
		bufs[k] = make([]byte, 1, sizes[k]+2)
		bufs[k][0] = '{'
	}
	for i := range entries {
		e := &entries[i]
		b := bufs[part[i]]
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = appendString(b, e.key)
		b = append(b, ':', '"')
		if e.list != nil {
			b = log.appendTo(b, e.list)
		} else {
			b = append(b, e.val...)
		}
		bufs[part[i]] = append(b, '"')
	}
	for k, b := range bufs {
		files[name(ids[k])] = append(b, '}')
	}
}

// hashShards returns the file and name functions of writeShards for n
// shards prefix<k>.json, key k in Shard(k, n); every shard is written,
// also an empty one ({}).
func hashShards(files map[string][]byte, prefix string, n int) (func(string) uint64, func(uint64) string) {
	for k := 0; k < n; k++ {
		files[prefix+strconv.Itoa(k)+".json"] = []byte("{}")
	}
	return func(key string) uint64 { return uint64(shard(key, n)) },
		func(k uint64) string { return prefix + strconv.FormatUint(k, 10) + ".json" }
}

// appendString appends s as a JSON string, escaped as json.Marshal does.
func appendString[S ~string | ~[]byte](b []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(string(s))
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// writeWordShards adds the word lists for search.js's typo retry and
// its "did you mean":
//
//   - index/w/<n>.json holds each term of n letters (a–z only: the terms
//     a misspelt word can be near) with its count of documents in the
//     field that holds it most and, when it is not the term itself, its
//     commonest spelling (of surface's words; none when no title or body
//     spells it): {"term":count, [count,"spelling"] or [count],…}, terms
//     in order;
//   - index/v/<n>.json holds the words of surface of n letters with their
//     document counts, {"word":count,…}.
//
// Every length up to the longest has its file ({} for none), so a word's
// lookup fetches the lengths its candidates can have. It returns the
// longest term length and the longest word length.
func writeWordShards(files map[string][]byte, accs *termAccs, order []int32, names []string, surface map[string]int32) [2]int {
	// The commonest spelling of each stem (then the smaller word).
	spell := map[string]string{}
	words := make([]string, 0, len(surface))
	for w := range surface {
		words = append(words, w)
	}
	slices.Sort(words)
	for _, w := range words {
		st := porterstemmer.StemString(w)
		if b, ok := spell[st]; !ok || surface[w] > surface[b] {
			spell[st] = w
		}
	}
	var longest [2]int
	byLen := map[int][]byte{}
	for _, t := range order {
		name := names[t]
		if !lettersOnly(name) {
			continue
		}
		acc := accs.at(t)
		n := int64(max(acc.fdf[0], acc.fdf[1], acc.fdf[2]))
		b := byLen[len(name)]
		if b == nil {
			b = []byte{'{'}
		} else {
			b = append(b, ',')
		}
		b = appendString(b, name)
		b = append(b, ':')
		switch sp, ok := spell[name]; {
		case ok && sp == name:
			b = strconv.AppendInt(b, n, 10)
		case ok:
			b = append(b, '[')
			b = strconv.AppendInt(b, n, 10)
			b = append(b, ',')
			b = appendString(b, sp)
			b = append(b, ']')
		default: // only in keywords or identifiers: no spelling
			b = append(b, '[')
			b = strconv.AppendInt(b, n, 10)
			b = append(b, ']')
		}
		byLen[len(name)] = b
		longest[0] = max(longest[0], len(name))
	}
	writeByLen(files, "index/w/", byLen, longest[0])
	clear(byLen)
	for _, w := range words {
		b := byLen[len(w)]
		if b == nil {
			b = []byte{'{'}
		} else {
			b = append(b, ',')
		}
		b = appendString(b, w)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(surface[w]), 10)
		byLen[len(w)] = b
		longest[1] = max(longest[1], len(w))
	}
	writeByLen(files, "index/v/", byLen, longest[1])
	return longest
}

// writeByLen adds prefix<n>.json for n from 1 to longest, the object
// byLen[n] holds the start of ({} when none).
func writeByLen(files map[string][]byte, prefix string, byLen map[int][]byte, longest int) {
	for n := 1; n <= longest; n++ {
		b := byLen[n]
		if b == nil {
			b = []byte{'{'}
		}
		files[prefix+strconv.Itoa(n)+".json"] = append(b, '}')
	}
}

// lettersOnly reports whether s is lower-case ASCII letters only (and not
// empty).
func lettersOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}
