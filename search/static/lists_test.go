package static

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestByteLog appends to many lists in turn, pieces of every size (up to
// several segments and slabs), and compares each list with a slice.
func TestByteLog(t *testing.T) {
	for _, c := range []struct {
		name       string
		lists, ops int
		maxPiece   int
	}{
		{"one list", 1, 200, 3 * maxByteSeg},
		{"small pieces", 50, 20000, 8},
		{"mixed", 300, 5000, 1 << 12},
		{"large pieces", 5, 30, 2 << byteSlabBits},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(c.lists)))
			var log byteLog
			lists := make([]segList, c.lists)
			want := make([][]byte, c.lists)
			for range c.ops {
				k := r.IntN(c.lists)
				piece := make([]byte, r.IntN(c.maxPiece+1))
				seed := r.Uint32()
				for i := range piece {
					piece[i] = byte(seed + uint32(i)*2654435761>>13)
				}
				log.append(&lists[k], piece)
				want[k] = append(want[k], piece...)
			}
			for k := range lists {
				got := log.appendTo([]byte("x"), &lists[k])
				if !bytes.Equal(got[1:], want[k]) || got[0] != 'x' {
					t.Fatalf("list %d: %d bytes, want %d (first difference at %d)", k, len(got)-1, len(want[k]), firstDiff(got[1:], want[k]))
				}
				if int(lists[k].n) != len(want[k]) {
					t.Errorf("list %d: n = %d, want %d", k, lists[k].n, len(want[k]))
				}
			}
			if log.full {
				t.Error("log full")
			}
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestPairLog adds records to many lists in turn and compares each list,
// read in runs, with a slice.
func TestPairLog(t *testing.T) {
	for _, c := range []struct {
		name       string
		lists, ops int
	}{
		{"one list", 1, 5000},
		{"few", 7, 100000},
		{"many", 5000, 200000},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(2, uint64(c.lists)))
			var log pairLog
			lists := make([]segList, c.lists)
			want := make([][]pairRec, c.lists)
			for n := range c.ops {
				// Skewed, as words are: some lists get most records.
				k := min(int(r.ExpFloat64()*float64(c.lists)/8), c.lists-1)
				rec := pairRec{b: int32(r.IntN(1000)), doc: int32(n), ref: r.Uint32()}
				log.add(&lists[k], rec)
				want[k] = append(want[k], rec)
			}
			for k := range lists {
				var got []pairRec
				log.records(&lists[k], func(run []pairRec) { got = append(got, run...) })
				if !slices.Equal(got, want[k]) {
					t.Fatalf("list %d: %d records, want %d", k, len(got), len(want[k]))
				}
				if n := int(lists[k].n); n != len(want[k]) {
					t.Errorf("list %d: count %d, want %d", k, n, len(want[k]))
				}
			}
		})
	}
}

// TestTermAccs checks that the term table keeps its accumulators where
// they are as it grows.
func TestTermAccs(t *testing.T) {
	var accs termAccs
	var ptrs []*termAcc
	for n := 1; n <= 5000; n += 7 {
		accs.grow(n)
		if accs.n != n {
			t.Fatalf("grow(%d): n = %d", n, accs.n)
		}
		a := accs.at(int32(n - 1))
		a.df = int32(n)
		ptrs = append(ptrs, a)
	}
	accs.grow(10) // never shrinks
	for k, p := range ptrs {
		n := 1 + 7*k
		if p != accs.at(int32(n-1)) || p.df != int32(n) {
			t.Fatalf("term %d moved or changed", n-1)
		}
	}
	if accs.n != 4999 {
		t.Errorf("n = %d after a smaller grow", accs.n)
	}
}
