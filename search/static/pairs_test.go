package static

import (
	"bytes"
	"fmt"
	"testing"
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
