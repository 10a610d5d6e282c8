package static

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/hindsight-kb/hindsight/search"
)

// TestPairEntries checks that the entries log gives back every entry, in
// order, with its hash, across chunks, when an entry outgrows the room
// next gave it (its chunk moves), and when drained.
func TestPairEntries(t *testing.T) {
	cases := []struct {
		name  string
		sizes []int // bytes of each entry
		room  int   // the size given to next (0: the entry's)
	}{
		{"small", []int{1, 5, 17}, 0},
		{"chunks", []int{400 << 10, 400 << 10, 400 << 10, 3 << 20, 10}, 0},
		{"outgrown", []int{100, 900 << 10, 300 << 10, 50}, 8},
		{"empty entries", []int{0, 0, 1}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var p pairEntries
			var want [][]byte
			for i, n := range c.sizes {
				e := bytes.Repeat([]byte{byte('a' + i%26)}, n)
				want = append(want, e)
				room := c.room
				if room == 0 {
					room = n
				}
				p.done(append(p.next(uint32(i*7), room), e...))
			}
			check := func(how string, each func(func(uint32, []byte))) {
				k := 0
				each(func(h uint32, e []byte) {
					if k >= len(want) {
						t.Fatalf("%s: more than %d entries", how, len(want))
					}
					if h != uint32(k*7) || !bytes.Equal(e, want[k]) {
						t.Errorf("%s: entry %d: hash %d, %s; want %d, %s", how, k, h, desc(e), k*7, desc(want[k]))
					}
					k++
				})
				if k != len(want) {
					t.Errorf("%s: %d entries, want %d", how, k, len(want))
				}
			}
			check("each", p.each)
			check("each again", p.each)
			check("drain", p.drain)
			if p.ents != nil || p.chunks != nil {
				t.Errorf("drain left %d entries, %d chunks", len(p.ents), len(p.chunks))
			}
		})
	}
}

func desc(b []byte) string {
	if len(b) == 0 {
		return "empty"
	}
	return fmt.Sprintf("%d × %q", len(b), b[0])
}

// TestPairTiers: a long pair list split by the pair's score
// (IDF(a)·w_a + IDF(b)·w_b): tier 0 the first documents by score, each
// next tier twice as many, a score never in two tiers; each record gives
// both weights and the positions, documents as differences from -1; the
// entry lists each tier's largest score.
func TestPairTiers(t *testing.T) {
	const n = 1000
	// Terms 0 and 1 in documents 0..9; weights chosen so that the
	// scores tie at the first tier's boundary.
	wa := []int{5, 9, 1, 7, 3, 8, 2, 8, 4, 6}
	wb := []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	post := func(ws []int) []byte {
		var b []byte
		for d, w := range ws {
			b = appendNum(appendNum(b, min(d, 1)), w)
		}
		return b
	}
	posts := [][]byte{post(wa), post(wb)}
	pt := &pairTiers{tiers: map[int32]*termTiers{0: {}, 1: {}}, n: n, first: 2,
		df:   func(t int32) int { return 10 },
		post: func(t int32, buf []byte) []byte { return append(buf, posts[t]...) }}
	var pos arena
	var recs []pairRec
	for d := range wa {
		// one body record, at position d+1; documents 4 and 7 also in the title
		rec := appendNum(appendNum(nil, 1*3+fieldBody), d+1)
		if d == 4 || d == 7 {
			rec = appendNum(appendNum(appendNum(rec, 0), 1*3+fieldTitle), 0)
		}
		ref, _ := pos.add(rec)
		recs = append(recs, pairRec{b: 1, doc: int32(d), ref: ref})
	}
	files := map[string][]byte{}
	entry := pt.write(files, nil, "a b", 0, 1, recs, &pos)
	idf := search.IDF(n, 10)
	score := func(d int) int64 { return idf*int64(wa[d]) + idf*int64(wb[d]) }
	// Scores (as wa+1): 10 (document 1), 9 (5 and 7: a tie, both in
	// tier 0), then 8, 7, 6, 5 (3, 9, 0, 8), then 4, 3, 2 (4, 6, 2).
	wantTiers := [][]int{{1, 5, 7}, {0, 3, 8, 9}, {2, 4, 6}}
	got, err := decodeNums(string(entry[1:]))
	if err != nil || entry[0] != '!' {
		t.Fatalf("entry %q: %v", entry, err)
	}
	want := []int{10, len(wantTiers), int(score(1)), int(score(3)), int(score(4))}
	if !slices.Equal(got, want) {
		t.Errorf("entry %v, want %v", got, want)
	}
	h := fnv1a("a b")
	for i, docs := range wantTiers {
		var f map[string]string
		if err := json.Unmarshal(files[tierName("b", h, i)], &f); err != nil {
			t.Fatalf("tier %d: %v", i, err)
		}
		nums, err := decodeNums(f["a b"])
		if err != nil {
			t.Fatal(err)
		}
		var seen []int
		d := -1
		for k := 0; k < len(nums); {
			d += nums[k]
			seen = append(seen, d)
			if nums[k+1] != wa[d] || nums[k+2] != wb[d] {
				t.Errorf("tier %d, document %d: weights %d %d, want %d %d", i, d, nums[k+1], nums[k+2], wa[d], wb[d])
			}
			k += 3
			if nums[k] != 1*3+fieldBody || nums[k+1] != d+1 {
				t.Errorf("tier %d, document %d: body record %v", i, d, nums[k:k+2])
			}
			k += 2
			if d == 4 || d == 7 {
				if nums[k] != 0 || nums[k+1] != 1*3+fieldTitle || nums[k+2] != 0 {
					t.Errorf("tier %d, document %d: title record %v", i, d, nums[k:k+3])
				}
				k += 3
			}
		}
		if !slices.Equal(seen, docs) {
			t.Errorf("tier %d holds documents %v, want %v", i, seen, docs)
		}
	}
	if len(files) != len(wantTiers) {
		t.Errorf("%d files, want %d", len(files), len(wantTiers))
	}
}
