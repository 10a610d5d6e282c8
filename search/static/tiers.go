// Tiers: the long lists of common terms split by weight, so that a
// query's first page reads only their first parts (index/r/, the tiered
// q/ and b/ files).

package static

import (
	"encoding/json"
	"slices"
	"strconv"
)

// A term in more than 2·TierDocs documents is "tiered": its postings are
// split by weight into tiers, tier 0 the TierDocs documents where it
// weighs most, tier i the next TierDocs·2^i (a tier ends after the last
// document of its last weight, so that no weight is in two tiers), the
// last one the rest. Each tier is a file of its own,
// index/r/<h>-<i>.json (h the term's FNV-1a), holding the tier's
// documents in document order, as the t/ shards do:
// {"term":"Δdoc,w,…"}, but for tier 0, which is in the term's entry,
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
	ub   []int32   // the largest weight of each tier
	docs [][]int32 // the documents of each tier but the last, sorted
}

// tierOf returns the tier of doc, a document holding the term.
func (t *termTiers) tierOf(doc int32) int {
	for i, ds := range t.docs {
		if _, ok := slices.BinarySearch(ds, doc); ok {
			return i
		}
	}
	return len(t.docs)
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
// 2·TierDocs documents, from its postings.
func (x *exporter) computeTiers() {
	x.tiers = map[int32]*termTiers{}
	var buf []byte
	var ps []posting
	for _, t := range x.order {
		acc := x.accs.at(t)
		if int(acc.df) <= 2*x.opts.TierDocs {
			continue
		}
		buf = x.lists.appendTo(buf[:0], &acc.post)
		ps = decodePostings(buf, ps[:0])
		x.tiers[t] = splitTiers(ps, x.opts.TierDocs)
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

// splitTiers returns the tiers of postings ps (in document order; ps is
// reordered): by weight, heaviest first, ties in document order, tier i
// of size first·2^i, extended to the end of its last weight.
func splitTiers(ps []posting, first int) *termTiers {
	slices.SortFunc(ps, func(a, b posting) int {
		if a.w != b.w {
			return int(b.w - a.w)
		}
		return int(a.doc - b.doc)
	})
	t := &termTiers{}
	size := first
	for i := 0; i < len(ps); {
		j := min(i+size, len(ps))
		for j < len(ps) && ps[j].w == ps[j-1].w {
			j++
		}
		t.ub = append(t.ub, ps[i].w)
		if j < len(ps) {
			ds := make([]int32, j-i)
			for k := range ds {
				ds[k] = ps[i+k].doc
			}
			slices.Sort(ds)
			t.docs = append(t.docs, ds)
		}
		i = j
		size *= 2
	}
	return t
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
// returns each tier's "Δdoc,w,…".
func splitPostings(b []byte, t *termTiers) [][]byte {
	out := make([][]byte, len(t.ub))
	prev := make([]int, len(t.ub))
	doc, odd, tier := 0, false, 0
	eachNum(b, func(v int) {
		if !odd {
			doc += v
			tier = t.tierOf(int32(doc))
			out[tier] = appendNum(out[tier], doc-prev[tier])
			prev[tier] = doc
		} else {
			out[tier] = appendNum(out[tier], v)
		}
		odd = !odd
	})
	return out
}

// splitRecords splits position records b ("Δdoc,n·3+field,pos,Δpos…",
// Δdoc 0 for another field of the same document) by the tier of their
// document and returns each tier's records, Δdoc from the tier's
// previous record. tiers is the number of tiers, tierOf a document's.
func splitRecords(b []byte, tiers int, tierOf func(doc int32) int) [][]byte {
	out := make([][]byte, tiers)
	prev := make([]int, tiers)
	doc, tier, left, start := 0, 0, -1, true
	eachNum(b, func(v int) {
		switch {
		case start:
			doc += v
			tier = tierOf(int32(doc))
			out[tier] = appendNum(out[tier], doc-prev[tier])
			prev[tier] = doc
			start, left = false, -1
		case left < 0:
			out[tier] = appendNum(out[tier], v)
			left = v / 3
			start = left == 0
		default:
			out[tier] = appendNum(out[tier], v)
			left--
			start = left == 0
		}
	})
	return out
}

// tierName is the name of tier i of the list keyed by a key of FNV-1a h,
// in folder dir.
func tierName(dir string, h uint32, i int) string {
	return "index/" + dir + "/" + strconv.FormatUint(uint64(h), 10) + "-" + strconv.Itoa(i) + ".json"
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
