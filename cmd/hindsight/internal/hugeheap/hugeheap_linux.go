package hugeheap

import (
	"cmp"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the size of a transparent huge page on amd64 and arm64
// (4 KiB base pages).
const hugePage = 2 << 20

// Reserve marks the next size bytes of heap address space for huge pages
// and reports whether it did (see the package comment for when it does
// not). It costs a few mmaps (the runtime's), one madvise per run of
// adjacent chunks and a few collections of what the heap holds at that
// point, about 10 ms in all: call it first thing.
func Reserve(size int) bool {
	if size < 2*hugePage || !wanted(thpMode(), os.Getenv("GODEBUG")) || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return false
	}
	// A heap that has mapped that much already (a second call in one
	// process, or a grown heap) would reuse freed memory, which the
	// runtime zeroes: touching it all for nothing.
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapSys >= uint64(size) {
		return false
	}
	ok := advise(size)
	// The chunks are garbage now; collect them so that the heap's goal is
	// computed without them and their pages are free for what comes next.
	runtime.GC()
	return ok
}

// chunk is the size of each slice Reserve allocates. The runtime zeroes a
// large allocation whole when any part of it reuses memory the program
// used before (freed while the packages initialised, say); zeroing touches
// every page, 4 KiB at a time, before the marking. In chunks, at most one
// chunk straddles used and fresh memory, so at most one chunk is touched
// that need not be.
const chunk = 4 << 20

// advise allocates the chunks in its own frame, so that nothing keeps them
// alive once it returns, and marks each run of adjacent chunks.
//
//go:noinline
func advise(size int) bool {
	chunks := make([][]byte, 0, (size+chunk-1)/chunk)
	for n := 0; n < size; n += chunk {
		chunks = append(chunks, make([]byte, chunk))
	}
	addr := func(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
	slices.SortFunc(chunks, func(a, b []byte) int { return cmp.Compare(addr(a), addr(b)) })
	ok := true
	for i := 0; i < len(chunks); {
		// The run chunks[i:j] is one stretch of address space.
		j := i + 1
		for j < len(chunks) && addr(chunks[j]) == addr(chunks[j-1])+chunk {
			j++
		}
		p := addr(chunks[i])
		beg := (p + hugePage - 1) &^ (hugePage - 1)
		end := (p + uintptr(j-i)*chunk) &^ (hugePage - 1)
		if beg < end {
			// A raw call: the run spans several allocations, which no
			// one slice may.
			if _, _, errno := unix.Syscall(unix.SYS_MADVISE, beg, end-beg, unix.MADV_HUGEPAGE); errno != 0 {
				ok = false
			}
		}
		i = j
	}
	runtime.KeepAlive(chunks)
	return ok
}

// thpMode is the kernel's transparent huge page mode: "always", "madvise",
// "never", or "" when it cannot be read.
func thpMode() string {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return ""
	}
	s := string(b)
	i := strings.IndexByte(s, '[')
	j := strings.IndexByte(s, ']')
	if i < 0 || j < i {
		return ""
	}
	return s[i+1 : j]
}

// wanted reports whether marking the heap makes a difference: only in
// madvise mode, and not when GODEBUG turns huge pages off (as the runtime
// reads GODEBUG, the last setting of a name wins).
func wanted(mode, godebug string) bool {
	if mode != "madvise" {
		return false
	}
	disabled := false
	for _, kv := range strings.Split(godebug, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(kv), "disablethp="); ok {
			disabled = v == "1"
		}
	}
	return !disabled
}
