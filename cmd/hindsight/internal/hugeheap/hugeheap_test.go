//go:build linux

package hugeheap

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

func TestWanted(t *testing.T) {
	for _, c := range []struct {
		mode, godebug string
		want          bool
	}{
		{"madvise", "", true},
		{"madvise", "madvdontneed=1", true},
		{"madvise", "disablethp=1", false},
		{"madvise", "gctrace=1, disablethp=1", false},
		{"madvise", "disablethp=1,disablethp=0", true},
		{"madvise", "disablethp=0", true},
		{"always", "", false},
		{"never", "", false},
		{"", "", false},
	} {
		if got := wanted(c.mode, c.godebug); got != c.want {
			t.Errorf("wanted(%q, %q) = %v, want %v", c.mode, c.godebug, got, c.want)
		}
	}
}

func TestThpMode(t *testing.T) {
	switch m := thpMode(); m {
	case "always", "madvise", "never":
	case "":
		if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err == nil {
			t.Fatal("thpMode could not parse /sys/kernel/mm/transparent_hugepage/enabled")
		}
	default:
		t.Fatalf("thpMode() = %q, want always, madvise or never", m)
	}
}

// TestReserve checks the whole effect: after Reserve the slice is gone
// from the heap, and memory the program then allocates and touches is
// backed by huge pages.
func TestReserve(t *testing.T) {
	if thpMode() != "madvise" || !wanted("madvise", os.Getenv("GODEBUG")) {
		t.Skipf("transparent huge pages are %q here, not madvise: Reserve rightly does nothing", thpMode())
	}
	const size = 64 << 20
	if !Reserve(size) {
		t.Fatal("Reserve(64 MiB) = false in madvise mode")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse >= size/2 {
		t.Fatalf("after Reserve the heap holds %d bytes in use; the reserved slice was not collected", ms.HeapInuse)
	}
	b := make([]byte, 24<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	huge, err := anonHugeKB(uintptr(unsafe.Pointer(&b[len(b)/2])))
	runtime.KeepAlive(b)
	if err != nil {
		t.Fatal(err)
	}
	if huge == 0 {
		t.Fatal("the heap mapping holding a freshly touched 24 MiB slice has no huge pages (AnonHugePages: 0 kB)")
	}
}

func TestReserveRespectsMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 30))
	if Reserve(64 << 20) {
		t.Fatal("Reserve = true with a memory limit set")
	}
}

// TestReserveOnce: once the heap has mapped the size, Reserve leaves it
// alone (a second call would have the runtime zero freed memory).
func TestReserveOnce(t *testing.T) {
	Reserve(32 << 20)
	if Reserve(32 << 20) {
		t.Fatal("a second Reserve(32 MiB) = true; the heap has that much mapped already")
	}
}

func TestReserveSmall(t *testing.T) {
	if Reserve(hugePage) {
		t.Fatal("Reserve(2 MiB) = true; a range that small cannot hold an aligned huge page for sure")
	}
}

// anonHugeKB is the AnonHugePages of the mapping in /proc/self/smaps that
// holds addr.
func anonHugeKB(addr uintptr) (int, error) {
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	in := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		if len(f) > 0 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":") {
			lo, hi, _ := strings.Cut(f[0], "-")
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			in = err1 == nil && err2 == nil && uint64(addr) >= l && uint64(addr) < h
			continue
		}
		if in && len(f) >= 2 && f[0] == "AnonHugePages:" {
			return strconv.Atoi(f[1])
		}
	}
	return 0, fmt.Errorf("no mapping in /proc/self/smaps holds %#x", addr)
}
