package kbtest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Scale returns the KB a scale benchmark runs on and its size: it skips
// tb unless HINDSIGHT_SCALE gives a number of postmortems; the KB is the
// folder HINDSIGHT_SCALE_KB names (made by cmd/kbgen), else Cached's.
func Scale(tb testing.TB) (root string, n int) {
	n, err := strconv.Atoi(os.Getenv("HINDSIGHT_SCALE"))
	if err != nil || n <= 0 {
		tb.Skip("set HINDSIGHT_SCALE (and HINDSIGHT_SCALE_KB) to run the scale benchmarks")
	}
	if root = os.Getenv("HINDSIGHT_SCALE_KB"); root == "" {
		root = Cached(tb, n, 1)
	}
	return root, n
}

// MiB is n bytes in MiB.
func MiB(n uint64) float64 { return float64(n) / (1 << 20) }

// memTotal is the memory the Go runtime has mapped for the heap, stacks
// and its own structures (close to the resident size).
const memTotal = "/memory/classes/total:bytes"

// HeapProfiler returns, when dir is not empty, a function that writes an
// in-use heap profile there (named prefix, the memory the runtime holds
// in MiB and the time since the start): WatchMemory calls it at each new
// peak, 5 % above the last profile's, so the last file written is what
// the heap held near the peak. It returns nil when dir is empty.
func HeapProfiler(tb testing.TB, dir, prefix string) func(total uint64) {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	var (
		mu   sync.Mutex
		last uint64
	)
	return func(total uint64) {
		mu.Lock()
		defer mu.Unlock()
		if total < last+last/20 {
			return
		}
		last = total
		name := fmt.Sprintf("%s-%05dMiB-%03.0fs.prof", prefix, total>>20, time.Since(start).Seconds())
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			tb.Error(err)
			return
		}
		defer f.Close()
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			tb.Error(err)
		}
	}
}

// WriteHeapProfile writes an in-use heap profile after a collection.
func WriteHeapProfile(tb testing.TB, name string) {
	runtime.GC()
	f, err := os.Create(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		tb.Fatal(err)
	}
}

// MemPeak is the runtime's memory at the highest sample of memTotal:
// what the heap held then (objects, live or not yet collected), the
// free memory it kept (not yet returned to the system), what it had
// returned (mapped but not resident), and the collector's goal and the
// live heap of its last cycle.
type MemPeak struct {
	Total, Objects, Free, Released, Goal, Live uint64
}

// peakNames are the runtime/metrics of MemPeak, in its field order.
var peakNames = []string{memTotal, "/memory/classes/heap/objects:bytes", "/memory/classes/heap/free:bytes",
	"/memory/classes/heap/released:bytes", "/gc/heap/goal:bytes", "/gc/heap/live:bytes"}

// WatchMemory samples memTotal every 10 ms until the function it returns
// is called, which returns the highest sample; at each sample it calls
// prof (a HeapProfiler), when not nil.
func WatchMemory(prof func(uint64)) func() MemPeak {
	var (
		mu   sync.Mutex
		peak MemPeak
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	sample := make([]metrics.Sample, len(peakNames))
	for i, n := range peakNames {
		sample[i].Name = n
	}
	read := func() {
		metrics.Read(sample)
		v := sample[0].Value.Uint64()
		mu.Lock()
		if v > peak.Total {
			u := func(i int) uint64 { return sample[i].Value.Uint64() }
			peak = MemPeak{v, u(1), u(2), u(3), u(4), u(5)}
		}
		mu.Unlock()
		if prof != nil {
			prof(v)
		}
	}
	read()
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	return func() MemPeak {
		close(done)
		wg.Wait()
		read()
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// HeapLive is the heap in use by live objects after the last collection.
func HeapLive() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
