package static

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kbgen"
)

// TestSplitTiers: tiers hold TierDocs·2^i documents by weight, heaviest
// first, a weight never in two tiers, and every document in one tier.
func TestSplitTiers(t *testing.T) {
	for _, c := range []struct {
		name   string
		ws     []int32 // the weight of document k
		first  int
		ub     []int32
		counts []int
	}{
		{"distinct", []int32{5, 9, 1, 7, 3, 8, 2}, 2, []int32{9, 7, 1}, []int{2, 4, 1}},
		{"a tie at a boundary goes with its weight", []int32{5, 5, 5, 1, 1, 9}, 2, []int32{9, 1}, []int{4, 2}},
		{"all equal: one tier", []int32{3, 3, 3, 3, 3}, 1, []int32{3}, []int{5}},
		{"one document a tier", []int32{4, 3, 2, 1}, 1, []int32{4, 3, 1}, []int{1, 2, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ps := make([]posting, len(c.ws))
			for k, w := range c.ws {
				ps[k] = posting{int32(k), w}
			}
			tt, _ := splitTiers(ps, c.first, nil)
			if !slices.Equal(tt.ub, c.ub) {
				t.Errorf("largest weights %v, want %v", tt.ub, c.ub)
			}
			counts := make([]int, len(tt.ub))
			minW := make([]int32, len(tt.ub))
			walk := tt.tierWalk()
			for k, w := range c.ws {
				i := tt.tierOf(int32(k))
				if j, l := tt.tierOfWeight(w), walk(int32(k)); j != i || l != i {
					t.Errorf("document %d: tier %d by search, %d by weight, %d by walk", k, i, j, l)
				}
				counts[i]++
				if w > tt.ub[i] {
					t.Errorf("document %d (weight %d) in tier %d, whose largest weight is %d", k, w, i, tt.ub[i])
				}
				if counts[i] == 1 || w < minW[i] {
					minW[i] = w
				}
			}
			if !slices.Equal(counts, c.counts) {
				t.Errorf("tier sizes %v, want %v", counts, c.counts)
			}
			for i := 1; i < len(tt.ub); i++ {
				if tt.ub[i] >= minW[i-1] {
					t.Errorf("tier %d's largest weight %d is not below tier %d's smallest %d", i, tt.ub[i], i-1, minW[i-1])
				}
			}
		})
	}
}

// TestSplitLists: a tiered term's postings and position records split by
// tier, each tier's documents as differences from the tier's previous,
// are the whole lists again when merged; the entry lists the tiers.
func TestSplitLists(t *testing.T) {
	ws := []int32{5, 9, 1, 7, 3, 8, 2}
	ps := make([]posting, len(ws))
	var post, pos []byte
	for k, w := range ws {
		ps[k] = posting{int32(k), w}
		post = appendNum(appendNum(post, min(k, 1)), int(w))
		// Two fields for even documents: Δdoc 0 before the second.
		pos = appendNum(appendNum(appendNum(pos, min(k, 1)), 1*3+fieldBody), k+1)
		if k%2 == 0 {
			pos = appendNum(appendNum(appendNum(appendNum(pos, 0), 2*3+fieldKeywords), 1), 2)
		}
	}
	tt, _ := splitTiers(ps, 2, nil)
	if got, err := decodeNums(string(tierEntry(len(ws), tt)[1:])); err != nil || !slices.Equal(got, []int{7, 3, 9, 7, 1}) {
		t.Errorf("entry %v, %v", got, err)
	}
	byTier := splitPostings(post, tt, nil)
	seen := map[int]int32{}
	for i, b := range byTier {
		nums, err := decodeNums(string(b))
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			nums = unpackTier(t, nums, tt.ub, i)
		}
		d := 0
		for k := 0; k+1 < len(nums); k += 2 {
			d += nums[k]
			if tt.tierOf(int32(d)) != i || ws[d] != int32(nums[k+1]) {
				t.Errorf("tier %d holds document %d, weight %d", i, d, nums[k+1])
			}
			seen[d] = int32(nums[k+1])
		}
	}
	if len(seen) != len(ws) {
		t.Errorf("postings of %d documents in the tiers, want %d", len(seen), len(ws))
	}
	recs := splitRecords(pos, len(tt.ub), tt.tierWalk(), nil)
	fields := 0
	for i, b := range recs {
		nums, err := decodeNums(string(b))
		if err != nil {
			t.Fatal(err)
		}
		d := 0
		for k := 0; k < len(nums); {
			d += nums[k]
			n, f := nums[k+1]/3, nums[k+1]%3
			if tt.tierOf(int32(d)) != i {
				t.Errorf("positions of document %d in tier %d", d, i)
			}
			if f == fieldBody && (n != 1 || nums[k+2] != d+1) || f == fieldKeywords && (n != 2 || d%2 != 0) {
				t.Errorf("document %d: record %v", d, nums[k:k+2+n])
			}
			fields++
			k += 2 + n
		}
	}
	if fields != len(ws)+(len(ws)+1)/2 {
		t.Errorf("%d records in the tiers, want %d", fields, len(ws)+(len(ws)+1)/2)
	}
}

// TestExportTiers: on a generated KB, the common words are tiered: the
// t/ entry names the tiers, their r/ files hold every posting once, and
// the q/ and b/ tier files exist for the tiers that hold them.
func TestExportTiers(t *testing.T) {
	root, err := kbgen.Cached(300, 1)
	if err != nil {
		t.Fatal(err)
	}
	docs := loadDocs(t, root, false)
	files, err := Export(docs, Options{TierDocs: 8, TierFrom: -1, BigDocs: 16, ShardSize: 128})
	if err != nil {
		t.Fatal(err)
	}
	var meta struct{ Shards int }
	if err := json.Unmarshal(files["index/meta.json"], &meta); err != nil {
		t.Fatal(err)
	}
	tiered, pairTiers := 0, 0
	for name, b := range files {
		if strings.HasPrefix(name, "index/b/") && strings.Contains(name, "-") {
			pairTiers++
		}
		if !strings.HasPrefix(name, "index/t/") {
			continue
		}
		var sh map[string]string
		if err := json.Unmarshal(b, &sh); err != nil {
			t.Fatal(err)
		}
		for key, v := range sh {
			if !strings.HasPrefix(v, "!") {
				continue
			}
			tiered++
			head, first, _ := strings.Cut(v[1:], "!")
			info, err := decodeNums(head)
			if err != nil || len(info) != 2+info[1] {
				t.Fatalf("%s: entry %q: %v", key, v, err)
			}
			total := 0
			for i := range info[1] {
				part := map[string]string{key: first}
				if i > 0 {
					if err := json.Unmarshal(files[tierName("r", fnv1a(key), i)], &part); err != nil {
						t.Fatalf("%s: tier %d: %v", key, i, err)
					}
				}
				nums, _ := decodeNums(part[key])
				if i > 0 {
					ub := make([]int32, info[1])
					for k := range ub {
						ub[k] = int32(info[2+k])
					}
					nums = unpackTier(t, nums, ub, i)
				}
				maxW := 0
				for k := 1; k < len(nums); k += 2 {
					maxW = max(maxW, nums[k])
				}
				if maxW != info[2+i] {
					t.Errorf("%s: tier %d's largest weight %d, entry says %d", key, i, maxW, info[2+i])
				}
				total += len(nums) / 2
				if _, ok := files[tierName("q", fnv1a(key), i)]; !ok && info[0] > 16 {
					t.Errorf("%s: no positions of tier %d", key, i)
				}
			}
			if total != info[0] {
				t.Errorf("%s: %d postings in the tiers, %d documents in the entry", key, total, info[0])
			}
		}
	}
	if tiered < 50 || pairTiers < 10 {
		t.Errorf("%d tiered terms, %d pair tier files: want more", tiered, pairTiers)
	}
	parts := 0
	for name := range files {
		if strings.HasPrefix(name, "index/q/") && strings.Count(name, "-") == 2 {
			parts++
		}
	}
	if parts < 10 {
		t.Errorf("%d parts of position tiers: want more", parts)
	}
}

// TestPartRecords: a long tier's position records split into parts, a
// document's records in one part, each part's first document from 0,
// are the tier's records again when read part by part with the head's
// first documents; a short tier is not split.
func TestPartRecords(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	type rec struct{ doc, nf, pos int }
	for _, size := range []int{1, 8, 64, 1 << 20} {
		var b []byte
		var want []rec
		doc, last := 0, 0
		for k := range 200 {
			if k == 0 || r.IntN(3) > 0 {
				doc += 1 + r.IntN(50)
				b = appendNum(b, doc-last)
				last = doc
			} else {
				b = appendNum(b, 0) // another field of the same document
			}
			n := 1 + r.IntN(3)
			f := r.IntN(3)
			b = appendNum(b, n*3+f)
			for j := range n {
				b = appendNum(b, 7*j+1)
			}
			want = append(want, rec{doc, n*3 + f, 1})
		}
		parts, head := partRecords(b, size, nil)
		if size == 1<<20 {
			if parts != nil {
				t.Errorf("size %d: a short tier in %d parts", size, len(parts))
			}
			continue
		}
		starts, err := decodeNums(string(head[1:]))
		if err != nil || head[0] != '!' || len(starts) != len(parts)-1 {
			t.Fatalf("size %d: head %q for %d parts (%v)", size, head, len(parts), err)
		}
		var got []rec
		first := 0
		for j, p := range parts {
			if j > 0 {
				first += starts[j-1]
			}
			nums, err := decodeNums(string(p))
			if err != nil {
				t.Fatal(err)
			}
			d := 0
			for k := 0; k < len(nums); {
				d += nums[k]
				if k == 0 && j > 0 && d != first {
					t.Errorf("size %d: part %d starts at document %d, the head says %d", size, j, d, first)
				}
				nf := nums[k+1]
				got = append(got, rec{d, nf, 1})
				k += 2 + nf/3
			}
			if j+1 < len(parts) && len(p) < size {
				t.Errorf("size %d: part %d of %d bytes", size, j, len(p))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("size %d: parts hold %v, want %v", size, got, want)
		}
	}
}

// TestStaticSearchTiers: with small tiers on a generated KB, the static
// search returns the CLI's ids in the CLI's order, and its first page,
// read from the first tiers only, is the start of that answer (a word
// whose best documents are in a second tier, two words whose best
// document is in neither's first tier, phrases whose pairs and
// positions are in several tiers, misspelt words, filters).
func TestStaticSearchTiers(t *testing.T) {
	root, err := kbgen.Cached(300, 1)
	if err != nil {
		t.Fatal(err)
	}
	docs := loadDocs(t, root, false)
	ctx := browser(t)
	queries := []string{"certificate", "database", "failover", "database failover", "certificate expired",
		"credential rotation", "login api", `"root cause analysis"`, `"the on-call engineer"`, `"tls certificate expired"`,
		`"rate limit"`, `"single point of failure"`, `"database failover"`, `"primary database" failover`,
		"certificate severity:SEV1,SEV2", "database after:2023", `"root cause" category:outage`,
		"certifcate", "databse failover", "phishng"}
	// With the default synonym groups, a word of a group (certificate,
	// cert; database, db; expired, expiry, expiration) is one of its
	// group's alternatives, which the first page reads in tiers too.
	syn := config.DefaultSynonyms()
	queries = append(queries, "cert expiry", "db failover", "tls", `"tls certificate" db`, "configuration push", "secret")
	for _, o := range []Options{{TierDocs: 2, TierFrom: -1, BigDocs: 8, ShardSize: 64}, {TierDocs: 8, TierFrom: -1, BigDocs: 16, ShardSize: 256, Synonyms: syn},
		{TierDocs: 1, TierFrom: -1, BigDocs: 1000, Synonyms: syn}} {
		if n := compareWithCLI(t, ctx, docs, queries, o); n < len(queries)-6 {
			t.Errorf("%+v: %d of %d queries with results", o, n, len(queries))
		}
	}
}

// TestPhraseFirstPage: with small tiers on a generated KB, the first k
// hits of phrases (k 3, 5, 8, 12 and 20) that search.js proves reading the
// pair lists a tier at a time by their score (and terms' tiers) are the
// start of the whole answer, scores included (testdata/topk_check.js in
// node): phrases whose best documents are past the pairs' first tiers,
// pairs of one word twice, a phrase with stop words inside, a phrase
// beside a word, with a filter, a misspelt word beside a phrase.
func TestPhraseFirstPage(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node")
	}
	root, err := kbgen.Cached(300, 1)
	if err != nil {
		t.Fatal(err)
	}
	docs := loadDocs(t, root, false)
	queries := []string{`"root cause analysis"`, `"the on-call engineer"`, `"alert on error rate"`, `"root cause"`,
		`"single point of failure"`, `"rate limit"`, `"error rate"`, `"tls certificate expired"`, `"limit rate limit"`,
		`"root cause analysis" database`, `"root cause" severity:SEV1,SEV2`, `"on-call engineer" certifcate`,
		`"primary database" "root cause"`, `"database database"`,
		// one word: the count is its entry's, exact before every tier is
		// read ("=": topk_check.js requires an exact count)
		`=database`, `="certificate"`, `database severity:SEV1`}
	// Phrases of two to four words from the titles and the bodies' first
	// lines.
	queries = append(queries, phraseQueries(docs, 9)...)
	for _, o := range []Options{{TierDocs: 1, TierFrom: -1, BigDocs: 8, ShardSize: 64},
		{TierDocs: 2, TierFrom: -1, BigDocs: 16, ShardSize: 128}, {TierDocs: 8, TierFrom: -1, BigDocs: 4, ShardSize: 256}} {
		nonEmpty, pairTiers := topKCheck(t, node, docs, queries, o)
		if pairTiers < 10 {
			t.Errorf("%+v: %d pairs with a second tier: want more", o, pairTiers)
		}
		if nonEmpty < len(queries)/2 {
			t.Errorf("%+v: %d of %d queries with results", o, nonEmpty, len(queries))
		}
	}
}

// TestSplitRecordsRandom: splitRecords, which copies the rest of each
// record as it is, gives what decoding every number and writing it again
// gives (splitRecordsRef), on random records of up to four fields a
// document, with numbers of one to four digits.
func TestSplitRecordsRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var b []byte
		docs := 1 + rng.IntN(300)
		for d := range docs {
			fields := 1 + rng.IntN(3)
			for f := range fields {
				delta := 0
				if f == 0 && d > 0 {
					delta = 1 + rng.IntN(5000)
				}
				n := rng.IntN(6)
				b = appendNum(appendNum(b, delta), n*3+f)
				for range n {
					b = appendNum(b, rng.IntN(40000))
				}
			}
		}
		tiers := 1 + rng.IntN(6)
		tierOf := func(doc int32) int { return int(uint32(doc)*2654435761>>7) % tiers }
		got := splitRecords(b, tiers, tierOf, nil)
		want := splitRecordsRef(b, tiers, tierOf)
		for i := range tiers {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("round %d, tier %d:\n got %q\nwant %q", round, i, got[i], want[i])
			}
		}
	}
}

// splitRecordsRef is splitRecords done number by number.
func splitRecordsRef(b []byte, tiers int, tierOf func(doc int32) int) [][]byte {
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

// unpackTier returns the packed postings nums of tier i ≥ 1 (see
// splitPostings) as [Δdoc, w, …], Δdoc from 0 for the first, as
// search.js's termTier does; a weight out of the tier's range (above its
// largest, or not above the next tier's) fails t.
func unpackTier(t *testing.T, nums []int, ub []int32, i int) []int {
	t.Helper()
	if len(nums) == 0 {
		t.Errorf("tier %d: empty", i)
		return nil
	}
	lo, r := nums[0], int(ub[i])-nums[0]+1
	out := make([]int, 0, 2*len(nums))
	doc, last := -1, 0
	for _, v := range nums[1:] {
		doc += v/r + 1
		w := lo + v%r
		if w > int(ub[i]) || i+1 < len(ub) && w <= int(ub[i+1]) {
			t.Errorf("tier %d: weight %d out of its range", i, w)
		}
		out = append(out, doc-last, w)
		last = doc
	}
	return out
}
