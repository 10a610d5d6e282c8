// Tiers: the long lists of common terms split by weight, so that a
// query's first page reads only their first parts (index/r/, the tiered
// q/ and b/ files).

package static

import (
	"encoding/json"
	"strconv"
	"strings"
)

// A term in more than 2·TierDocs documents is "tiered": its postings are
// split by weight into tiers, tier 0 the TierDocs documents where it
// weighs most, tier i the next TierDocs·2^i (a tier ends after the last
// document of its last weight, so that no weight is in two tiers), the
// last one the rest. Each tier is a file of its own,
// index/r/<h>-<i>.json (h the term's FNV-1a), holding the tier's
// documents in document order, packed with their weights
// ({"term":"lo,v,…"}, see splitPostings), but for tier 0, which is in the term's entry,
// "!df,tiers,w0,w1,…!Δdoc,w,…": its document count, its number of tiers,
// the largest weight in each (w0 ≥ w1 ≥ …) and tier 0's postings; the
// entry is in the t/s<h>.json file of its hash (meta.json's "solo"), so
// a query of the term reads no other common term. search.js reads the tiers in
// turn and stops when no document of the tiers it has not read can
// enter the page (see its topK).
//
// A big tiered term's positions (q/) and the word pairs it starts (b/)
// follow its tiers: index/q/<h>-<i>.json holds the positions of the
// documents of tier i, index/b/<hp>-<i>.json the pair's records of
// those documents (hp the pair key's FNV-1a), for a pair whose list is
// longer than two shards; its b/ shard entry is then "!mask", the
// tiers holding it as bits. So the phrase check of a document reads the
// tier of the document's weight, which the query read to score it.
type termTiers struct {
	ub   []int32 // the largest weight of each tier
	minW []int32 // the smallest weight of each tier
	// The documents of each tier but the last, in order, as differences
	// written by appendNum (about a byte and a half each, not four: the
	// tiers of every common term are held while the pairs are written),
	// and their number.
	docs  [][]byte
	ndocs []int32
}

// tierOf returns the tier of doc, a document holding the term (a walk
// from the first document: for tests).
func (t *termTiers) tierOf(doc int32) int { return t.tierWalk()(doc) }

// tierOfWeight returns the tier of a document where the term weighs w.
func (t *termTiers) tierOfWeight(w int32) int {
	for i, m := range t.minW {
		if w >= m {
			return i
		}
	}
	return len(t.minW) - 1
}

// tierWalk returns the tier of documents holding the term asked for in
// increasing order (a cursor in each tier's documents: no search).
func (t *termTiers) tierWalk() func(doc int32) int {
	at := make([]int, len(t.docs))    // the next byte to read
	cur := make([]int32, len(t.docs)) // the document read last, -1 at the start
	for i := range cur {
		cur[i] = -1
	}
	return func(doc int32) int {
		for i, ds := range t.docs {
			for cur[i] < doc && at[i] < len(ds) {
				v, n := readNum(ds[at[i]:])
				at[i] += n
				cur[i] = max(cur[i], 0) + int32(v)
			}
			if cur[i] == doc {
				return i
			}
		}
		return len(t.docs)
	}
}

// weightWalk returns the weight, in postings post ("Δdoc,w,…", in
// document order), of documents asked for in increasing order: 0 in a
// document without it (a cursor in the postings: no search).
func weightWalk(post []byte) func(doc int32) int32 {
	at, cur, w := 0, int32(-1), int32(0)
	return func(doc int32) int32 {
		for cur < doc && at < len(post) {
			d, n := readNum(post[at:])
			v, m := readNum(post[at+n:])
			at += n + m
			cur, w = max(cur, 0)+int32(d), int32(v)
		}
		if cur == doc {
			return w
		}
		return 0
	}
}

// readNum reads a number written by appendNum at the start of b and
// returns it and its length.
func readNum(b []byte) (int, int) {
	acc := 0
	for i, c := range b {
		d := numValue[c]
		if d < numLow {
			return acc*numLow + d, i + 1
		}
		acc = acc*numHigh + d - numLow
	}
	return acc, len(b)
}

// eachNum calls fn with each number of b, written by appendNum.
func eachNum(b []byte, fn func(v int)) {
	acc := 0
	for _, c := range b {
		d := numValue[c]
		if d < numLow {
			fn(acc*numLow + d)
			acc = 0
		} else {
			acc = acc*numHigh + d - numLow
		}
	}
}

// numValue is the value of each digit of numDigits (a constant table).
var numValue = func() (t [256]int) {
	for i := range numDigits {
		t[numDigits[i]] = i
	}
	return t
}()

// posting is a document and a term's weight in it.
type posting struct{ doc, w int32 }

// computeTiers sets x.tiers: the tiers of every term in more than
// 2·TierDocs documents, from its postings (none in an export of at most
// TierFrom documents).
func (x *exporter) computeTiers() {
	x.tiers = map[int32]*termTiers{}
	if x.opts.TierFrom >= 0 && len(x.docs) <= x.opts.TierFrom {
		return
	}
	var buf []byte
	var ps []posting
	var count []int32
	for _, t := range x.order {
		acc := x.accs.at(t)
		if int(acc.df) <= 2*x.opts.TierDocs {
			continue
		}
		buf = x.lists.appendTo(buf[:0], &acc.post)
		ps = decodePostings(buf, ps[:0])
		x.tiers[t], count = splitTiers(ps, x.opts.TierDocs, count)
	}
}

// decodePostings appends the postings of b ("Δdoc,w,…") to ps.
func decodePostings(b []byte, ps []posting) []posting {
	doc, odd := int32(0), false
	eachNum(b, func(v int) {
		if !odd {
			doc += int32(v)
		} else {
			ps = append(ps, posting{doc, int32(v)})
		}
		odd = !odd
	})
	return ps
}

// splitTiers returns the tiers of postings ps (in document order): by
// weight, heaviest first, tier i of size first·2^i, extended to the end
// of its last weight. The weights are counted (a counting sort: sorting
// the postings cost more than the rest of the tiers).
func splitTiers(ps []posting, first int, count []int32) (*termTiers, []int32) {
	maxW := int32(0)
	for _, p := range ps {
		maxW = max(maxW, p.w)
	}
	if int(maxW) >= len(count) {
		count = make([]int32, maxW+1)
	}
	for _, p := range ps {
		count[p.w]++
	}
	t := &termTiers{}
	size, in, top, low := first, 0, int32(-1), int32(0)
	for w := maxW; w >= 0; w-- {
		c := int(count[w])
		if c == 0 {
			continue
		}
		count[w] = 0
		if top < 0 {
			top = w
		}
		in, low = in+c, w
		if in >= size || w == 0 {
			t.ub, t.minW = append(t.ub, top), append(t.minW, w)
			size, in, top = size*2, 0, -1
		}
	}
	if top >= 0 {
		t.ub, t.minW = append(t.ub, top), append(t.minW, low)
	}
	// The documents of each tier but the last, in document order.
	if n := len(t.ub) - 1; n > 0 {
		t.docs, t.ndocs = make([][]byte, n), make([]int32, n)
		last := make([]int32, n)
		for _, p := range ps {
			if i := t.tierOfWeight(p.w); i < n {
				t.docs[i] = appendNum(t.docs[i], int(p.doc-last[i]))
				last[i] = p.doc
				t.ndocs[i]++
			}
		}
	}
	return t, count
}

// tierEntry is the t/ shard entry of a tiered term: "!df,tiers,w0,w1,…".
func tierEntry(df int, t *termTiers) []byte {
	b := appendNum([]byte{'!'}, df)
	b = appendNum(b, len(t.ub))
	for _, w := range t.ub {
		b = appendNum(b, int(w))
	}
	return b
}

// splitPostings splits the postings b of a term by its tiers t and
// returns each tier's postings, appended to out's (nil: new ones): tier
// 0's "Δdoc,w,…"; the others' packed, "lo,v,…": lo the tier's smallest
// weight, then one number a posting, v = (Δdoc-1)·r + w-lo, r the
// tier's range of weights (its largest, in the entry, - lo + 1) and
// Δdoc from -1 for the first. Deep in a common word's list the weights
// are close and the documents dense, so most postings take one or two
// digits (appendNum), not three or four.
func splitPostings(b []byte, t *termTiers, out [][]byte) [][]byte {
	if out == nil {
		out = make([][]byte, len(t.ub))
	}
	prev := make([]int, len(t.ub))
	r := make([]int, len(t.ub))
	for i := 1; i < len(t.ub); i++ {
		prev[i], r[i] = -1, int(t.ub[i]-t.minW[i])+1
		out[i] = appendNum(out[i], int(t.minW[i]))
	}
	doc, odd := 0, false
	eachNum(b, func(v int) {
		if !odd {
			doc += v
		} else if i := t.tierOfWeight(int32(v)); i == 0 {
			out[0] = appendNum(appendNum(out[0], doc-prev[0]), v)
			prev[0] = doc
		} else {
			out[i] = appendNum(out[i], (doc-prev[i]-1)*r[i]+v-int(t.minW[i]))
			prev[i] = doc
		}
		odd = !odd
	})
	return out
}

// splitRecords splits position records b ("Δdoc,n·3+field,pos,Δpos…",
// Δdoc 0 for another field of the same document) by the tier of their
// document and returns each tier's records, Δdoc from the tier's
// previous record, appended to out's (nil: new ones). tiers is the
// number of tiers, tierOf a document's. Only the Δdoc is written anew:
// the rest of a record is copied as it is.
func splitRecords(b []byte, tiers int, tierOf func(doc int32) int, out [][]byte) [][]byte {
	if out == nil {
		out = make([][]byte, tiers)
	}
	prev := make([]int, tiers)
	doc := 0
	for i := 0; i < len(b); {
		delta, k := readNum(b[i:])
		doc += delta
		tier := tierOf(int32(doc))
		out[tier] = appendNum(out[tier], doc-prev[tier])
		prev[tier] = doc
		i += k
		nf, k := readNum(b[i:])
		end := skipNums(b, i+k, nf/3)
		out[tier] = append(out[tier], b[i:end]...)
		i = end
	}
	return out
}

// partRecords splits the position records b of one tier (as
// splitRecords writes them, Δdoc from 0 for the first) into parts of at
// least size bytes, a document's records in one part, when b is longer
// than two parts: it returns the parts, each one's first Δdoc from 0,
// and head, "!d1,Δd2,…", the first document of each part but the first
// (search.js finds a document's part from it), each after a copy of
// start (a file's beginning). Else it returns nil.
func partRecords(b []byte, size int, start []byte) (parts [][]byte, head []byte) {
	if len(b) <= 2*size {
		return nil, nil
	}
	head = append(append([]byte(nil), start...), '!')
	cur := append(make([]byte, 0, len(start)+size+size/4), start...)
	doc, last := 0, 0
	for i := 0; i < len(b); {
		delta, k := readNum(b[i:])
		doc += delta
		nf, k2 := readNum(b[i+k:])
		end := skipNums(b, i+k+k2, nf/3)
		if delta > 0 && len(cur)-len(start) >= size {
			parts = append(parts, cur)
			head = appendNum(head, doc-last)
			cur, last = append(make([]byte, 0, len(start)+size+size/4), start...), doc
			cur = append(appendNum(cur, doc), b[i+k:end]...)
		} else {
			cur = append(cur, b[i:end]...)
		}
		i = end
	}
	return append(parts, cur), head
}

// partName is the name of part j of the tier file name (…/<h>-<i>.json):
// …/<h>-<i>-<j>.json.
func partName(name string, j int) string {
	return strings.TrimSuffix(name, ".json") + "-" + strconv.Itoa(j) + ".json"
}

// skipNums returns where the n numbers of b that start at i end.
func skipNums(b []byte, i, n int) int {
	for ; n > 0 && i < len(b); i++ {
		if numValue[b[i]] < numLow {
			n--
		}
	}
	return i
}

// tierName is the name of tier i of the list keyed by a key of FNV-1a h,
// in folder dir.
func tierName(dir string, h uint32, i int) string {
	return "index/" + dir + "/" + strconv.FormatUint(uint64(h), 10) + "-" + strconv.Itoa(i) + ".json"
}

// tierFiles returns, for a list of n bytes split by t, a buffer for
// each tier's file: {"key":" and room for about its share of the list
// (the share of its documents) and the end. putTierFile stores one.
func tierFiles(key string, n int, t *termTiers, df int) [][]byte {
	out := make([][]byte, len(t.ub))
	rest := df
	for i := range out {
		docs := rest
		if i < len(t.docs) {
			docs = int(t.ndocs[i])
		}
		rest -= docs
		size := int(int64(n)*int64(docs)/int64(max(df, 1))) + n/64 + 16
		out[i] = append(appendString(append(make([]byte, 0, len(key)+size+8), '{'), key), ':', '"')
	}
	return out
}

// putTierFile stores the file b made from tierFiles (its value written)
// as name, or adds its key and value to the file of a key of the same
// hash.
func putTierFile(files map[string][]byte, name, key string, b []byte) {
	if _, ok := files[name]; !ok {
		files[name] = append(b, '"', '}')
		return
	}
	prefix := len(appendString([]byte{'{'}, key)) + 2
	addKeyFile(files, name, key, b[prefix:])
}

// addKeyFile adds key: val to the file name of files, a JSON object of
// one key unless keys share their hash (then they share the file, keys
// sorted as json.Marshal sorts them).
func addKeyFile(files map[string][]byte, name, key string, val []byte) {
	old, ok := files[name]
	if !ok {
		b := make([]byte, 0, len(key)+len(val)+8)
		b = append(appendString(append(b, '{'), key), ':', '"')
		files[name] = append(append(b, val...), '"', '}')
		return
	}
	m := map[string]string{}
	if err := json.Unmarshal(old, &m); err != nil {
		panic("static: a tier file is not JSON: " + err.Error())
	}
	m[key] = string(val)
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	files[name] = b
}
