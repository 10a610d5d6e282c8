package hugeheap

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the size of a transparent huge page on amd64 and arm64
// (4 KiB base pages).
const hugePage = 2 << 20

// Reserve marks the next size bytes of heap address space for huge pages
// and reports whether it did (see the package comment for when it does
// not). It costs one mmap, one madvise and one collection of what the heap
// holds at that point: call it first thing.
func Reserve(size int) bool {
	if size < 2*hugePage || !wanted(thpMode(), os.Getenv("GODEBUG")) || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return false
	}
	ok := advise(size)
	// The slice is garbage now; collect it so that the heap's goal is
	// computed without it and its pages are free for what comes next.
	runtime.GC()
	return ok
}

// advise allocates the slice in its own frame, so that nothing keeps it
// alive once it returns.
//
//go:noinline
func advise(size int) bool {
	b := make([]byte, size) // fresh address space: the runtime does not zero it
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	beg := (p + hugePage - 1) &^ (hugePage - 1)
	end := (p + uintptr(size)) &^ (hugePage - 1)
	return unix.Madvise(b[beg-p:end-p], unix.MADV_HUGEPAGE) == nil
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
