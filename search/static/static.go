// The export: its options and its pipeline, from the documents to the
// files (the steps are in the files of their topics).

package static

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/hindsight-kb/hindsight/search"
	textan "github.com/hindsight-kb/hindsight/search/analysis"
)

// Version is the format version written into meta.json.
const Version = 8

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
	// TierDocs: a term in more than 2·TierDocs documents is "tiered":
	// its postings, and its positions and word pairs if it is big, are
	// split by weight, tier 0 the TierDocs documents where it weighs
	// most, each next one twice as long (see termTiers), so that a
	// query's first page reads the first tiers only. 0 means 256.
	TierDocs int
	// TierFrom: only an export of more than TierFrom documents has tiers.
	// Below it every postings list is small enough to read whole (at
	// 10,000 postmortems a first query reads at most ~290 KiB without
	// tiers), and tiers would double the files the export writes (~0.3
	// CPU-s of a 10k build). 0 means 10,000; a negative value tiers any
	// export (tests).
	TierFrom int
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
	opts, err := withDefaults(opts)
	if err != nil {
		return nil, err
	}
	from, sorted := exportOrder(docs, opts.ReleaseBodies)
	x := &exporter{opts: opts, docs: sorted, filters: map[string]*filterAcc{}, files: map[string][]byte{}}
	// The document chunks and dates are written beside the analysis.
	dfiles := map[string][]byte{}
	var docsDone sync.WaitGroup
	docsDone.Go(func() { docFiles(dfiles, x.docs, opts.ChunkDocs) })
	defer docsDone.Wait()

	surface, err := x.merge(from)
	if err != nil {
		return nil, err
	}
	opts.Terms, opts.Analysed = nil, nil // (see merge)
	x.sortTerms()
	x.computeTiers()
	// The word pairs' shards are made while the term and position shards
	// are written (when the export ends the build, the other core would
	// be idle). writePairShards lets x.pairs and x.pairPos go, which
	// nothing else reads.
	pairFiles := map[string][]byte{}
	bshards := 0
	var pairsDone sync.WaitGroup
	pairsDone.Go(func() {
		pt := &pairTiers{tiers: x.tiers, n: len(x.docs), first: opts.TierDocs,
			df:   func(t int32) int { return int(x.accs.at(t).df) },
			post: func(t int32, buf []byte) []byte { return x.lists.appendTo(buf, &x.accs.at(t).post) }}
		bshards = writePairShards(pairFiles, &x.accs, x.order, x.names, &x.pairs, &x.pairPos, pt, opts.BigDocs, opts.ShardSize)
	})
	defer pairsDone.Wait()
	shards, solo := x.termShards()
	pshards := x.positionShards()
	wshards := writeWordShards(x.files, &x.accs, x.order, x.names, surface)
	// The postings and positions are all written; they go once the word
	// pairs are (the pairs' goroutine reads the postings of the terms of
	// the pairs it splits into tiers: pairTiers).
	pairsDone.Wait()
	x.lists = byteLog{}
	x.accs, x.tiers = termAccs{}, nil
	docsDone.Wait()
	maps.Copy(x.files, pairFiles)
	maps.Copy(x.files, dfiles)
	meta := map[string]any{
		"version": Version,
		"n":       len(x.docs),
		"shards":  shards,
		"solo":    string(solo),
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
	x.files["index/meta.json"] = b
	return x.files, nil
}

// withDefaults returns opts with the defaults of its zero fields and an
// analyzer.
func withDefaults(opts Options) (Options, error) {
	if opts.ShardSize <= 0 {
		opts.ShardSize = 12 << 10
	}
	if opts.ChunkDocs <= 0 {
		opts.ChunkDocs = 4
	}
	if opts.BigDocs <= 0 {
		opts.BigDocs = 768
	}
	if opts.TierDocs <= 0 {
		opts.TierDocs = 256
	}
	if opts.TierFrom == 0 {
		opts.TierFrom = 10000
	}
	if opts.Analyzer == nil {
		a, err := textan.NewNumberingEnglish()
		if err != nil {
			return opts, err
		}
		opts.Analyzer = a
	}
	return opts, nil
}

// exportOrder returns the documents to export (the first of each ID),
// newest first, and their indexes in docs. With release, it clears the
// bodies of docs (the copies returned keep them until analysed).
func exportOrder(docs []search.Doc, release bool) (from []int, sorted []search.Doc) {
	from = dedupe(docs)
	sort.SliceStable(from, func(i, j int) bool {
		x, y := &docs[from[i]], &docs[from[j]]
		if !x.Started.Equal(y.Started) {
			return x.Started.After(y.Started)
		}
		return x.ID < y.ID
	})
	sorted = make([]search.Doc, len(from))
	for k, i := range from {
		sorted[k] = docs[i]
	}
	if release {
		for i := range docs {
			docs[i].Body = ""
		}
	}
	return from, sorted
}

// exporter is the state of one Export between its steps.
type exporter struct {
	opts Options
	docs []search.Doc // the exported documents, newest first
	// Terms are numbered by the analyzer; accs.at(n) accumulates term n.
	// The numbers depend on timing, the output does not: keys are
	// written in the order of their bytes.
	accs    termAccs
	filters map[string]*filterAcc
	pairPos arena   // the word pairs' positions (termAcc.pairs)
	pairs   pairLog // the word pairs' records
	lists   byteLog // postings and positions (termAcc.post, pos)
	names   []string
	order   []int32              // the terms, in the order of their bytes
	tiers   map[int32]*termTiers // the tiered terms' tiers
	tierBuf []byte               // writeTiers' scratch
	files   map[string][]byte
}

// merge tokenizes every document, its terms handed to opts.Terms and
// its body let go, then analyses the tokens, a few bytes each, in
// batches, and merges them into x's accumulators in document order. It
// returns the typo lists' words (see surfaceWords) with their document
// counts. from are the documents' indexes for opts.Terms.
func (x *exporter) merge(from []int) (map[string]int32, error) {
	var sc scratch
	toks, surface := tokenize(x.opts.Analyzer, x.docs, from, x.opts)
	// The callers' hooks are done with: what they hold can go.
	x.opts.Terms, x.opts.Analysed = nil, nil
	batches := sc.analyse(x.docs, toks)
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
			if err := x.add(&recs[k], i); err != nil {
				return nil, err
			}
			fkey = addFilters(x.filters, &x.docs[i], i, fkey)
			i++
		}
		sc.done(recs)
	}
	if x.lists.full || x.pairs.full {
		return nil, errArenaFull
	}
	return surface, nil
}

// add merges the analysis r of document i.
func (x *exporter) add(r *docTerms, i int) error {
	x.accs.grow(int(r.maxTerm) + 1)
	for j, t := range r.terms {
		acc := x.accs.at(t)
		delta := i - int(acc.prev)
		var tmp [16]byte
		d := appendNum(tmp[:0], delta)
		x.lists.append(&acc.post, appendNum(d, int(r.w[j])))
		x.lists.append(&acc.pos, d)
		from := 0
		if j > 0 {
			from = int(r.posEnd[j-1])
		}
		x.lists.append(&acc.pos, r.pos[from:r.posEnd[j]])
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
		off, ok := x.pairPos.add(r.pairPos[from:r.pairEnd[k]])
		if !ok {
			return errArenaFull
		}
		x.pairs.add(&x.accs.at(int32(pr>>32)).pairs, pairRec{int32(pr), int32(i), off})
	}
	return nil
}

// sortTerms sets x.names and x.order: the terms in the order of their
// bytes, as json.Marshal sorts map keys (every list of entries written
// is made in this order, so the shards need no sorting).
func (x *exporter) sortTerms() {
	x.names = x.opts.Analyzer.Terms()
	x.order = make([]int32, 0, x.accs.n)
	for t := range int32(x.accs.n) {
		if x.accs.at(t).df > 0 {
			x.order = append(x.order, t)
		}
	}
	slices.SortFunc(x.order, func(a, b int32) int { return strings.Compare(x.names[a], x.names[b]) })
}

// termShards writes the term shards, {"term":"Δdoc,w,…","~cause:x":"Δdoc,…"},
// and returns their number and the solo hashes (meta.json's "solo").
func (x *exporter) termShards() (int, []byte) {
	names, order := x.names, x.order
	fkeys := slices.Sorted(maps.Keys(x.filters))
	tkeys := make([]shardEntry, 0, len(order)+len(fkeys))
	total := 0
	for o, f := 0, 0; o < len(order) || f < len(fkeys); {
		var e shardEntry
		if f == len(fkeys) || o < len(order) && names[order[o]] < fkeys[f] {
			t := order[o]
			e = shardEntry{key: names[t], list: &x.accs.at(t).post}
			if tt := x.tiers[t]; tt != nil {
				// The entry, with tier 0 (every query of the term reads
				// it), in a solo file; the other tiers in r/.
				var first []byte
				x.writeTiers("r", names[t], &x.accs.at(t).post, tt, x.accs.at(t).df, func(b []byte, out [][]byte) {
					// Tier 0 goes into the entry.
					first = append(tierEntry(int(x.accs.at(t).df), tt), '!')
					out[0] = first
					splitPostings(b, tt, out)
					first = out[0]
				}, 1)
				e = shardEntry{key: names[t], val: first, solo: true}
			}
			o++
		} else {
			e = shardEntry{key: fkeys[f], val: x.filters[fkeys[f]].post}
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
		if e.solo || e.len() > x.opts.ShardSize/2 {
			soloH[fnv1a(e.key)>>12] = true
		}
	}
	for _, e := range tkeys {
		if soloH[fnv1a(e.key)>>12] {
			total -= e.len() + 2 + len(e.key) + 4
		}
	}
	shards := shardCount(total, x.opts.ShardSize)
	tfile, tname := hashShards(x.files, "index/t/", shards)
	writeShards(x.files, &x.lists, tkeys, func(k string) uint64 {
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
	return shards, soloList
}

// positionShards writes the position shards,
// {"term":"Δdoc,n·3+field,pos,Δpos,…"}: small terms in p/ (it returns
// their number), big ones in q/.
func (x *exporter) positionShards() int {
	small, big := make([]shardEntry, 0, len(x.order)), []shardEntry(nil)
	ptotal := 0
	for _, t := range x.order {
		acc := x.accs.at(t)
		e := shardEntry{key: x.names[t], list: &acc.pos}
		if tt := x.tiers[t]; tt != nil && int(acc.df) > x.opts.BigDocs {
			// Its own files, one per tier, a long tier in parts.
			x.positionTiers(x.names[t], &acc.pos, tt, acc.df)
		} else if int(acc.df) > x.opts.BigDocs {
			big = append(big, e)
		} else {
			small = append(small, e)
			ptotal += e.len() + 2 + len(e.key) + 4
		}
	}
	pshards := shardCount(ptotal, x.opts.ShardSize)
	pfile, pname := hashShards(x.files, "index/p/", pshards)
	writeShards(x.files, &x.lists, small, pfile, pname)
	// A big term's positions are larger than a shard: each has its own
	// file, named by the term's FNV-1a (terms with the same hash share
	// it), so a phrase fetches no other term's.
	writeShards(x.files, &x.lists, big, func(k string) uint64 { return uint64(fnv1a(k)) },
		func(h uint64) string { return "index/q/" + strconv.FormatUint(h, 10) + ".json" })
	return pshards
}

// writeTiers writes the tier files dir/<h>-<i>.json of key (h its
// FNV-1a), tiers first, first+1, …: split appends the parts of its list
// l (of a term in df documents) by tiers t to the files' buffers.
func (x *exporter) writeTiers(dir, key string, l *segList, t *termTiers, df int32, split func(list []byte, out [][]byte), first int) {
	x.tierBuf = x.lists.appendTo(x.tierBuf[:0], l)
	out := tierFiles(key, len(x.tierBuf), t, int(df))
	split(x.tierBuf, out)
	h := fnv1a(key)
	for i := first; i < len(out); i++ {
		putTierFile(x.files, tierName(dir, h, i), key, out[i])
	}
}

// positionTiers writes the position records of key, a big tiered term
// whose list is l (in df documents), by its tiers t: tier i in
// q/<h>-<i>.json (h its FNV-1a) or, when it is longer than two shards,
// in parts of about half a shard, q/<h>-<i>-<j>.json, and the parts'
// first documents in q/<h>-<i>.json (see partRecords). A phrase check
// reads the tier of a document's weight; in a common word's deep tiers
// it needs a few documents of tens of thousands, so it reads their parts.
func (x *exporter) positionTiers(key string, l *segList, t *termTiers, df int32) {
	x.tierBuf = x.lists.appendTo(x.tierBuf[:0], l)
	out := tierFiles(key, len(x.tierBuf), t, int(df))
	splitRecords(x.tierBuf, len(t.ub), t.tierWalk(), out)
	h := fnv1a(key)
	prefix := len(appendString([]byte{'{'}, key)) + 2 // {"key":"
	for i, b := range out {
		name := tierName("q", h, i)
		parts, head := partRecords(b[prefix:], x.opts.ShardSize/2, b[:prefix])
		if parts == nil {
			putTierFile(x.files, name, key, b)
			continue
		}
		putTierFile(x.files, name, key, head)
		for j, p := range parts {
			putTierFile(x.files, partName(name, j), key, p)
		}
	}
}

// errArenaFull is returned by Export when the word pairs' positions do
// not fit the arena (2 GiB): far beyond what a knowledge base holds.
var errArenaFull = errors.New("static search export: this knowledge base's word positions or word pairs exceed the index's 2 GiB lists; split it into smaller knowledge bases or serve it with `hindsight serve`, which searches on the server")

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
