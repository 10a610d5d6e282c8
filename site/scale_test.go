package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// BenchmarkScale builds a KB of HINDSIGHT_SCALE postmortems the way
// `hindsight build` does (lean, the same memory limit) and reports, besides
// the time of each stage under its --timings name (load-s, check-s,
// link+trend-s, …, index-s beside render+write-s), the memory the Go
// runtime held: its peak while Load ran (every stage up to the routes),
// the heap still in use once Load returned, and its peak while Write ran
// (the index stage included), each peak with what it was made of (live
// and dead objects, free memory kept, the collector's goal and last live
// heap: see memPeak). It is skipped unless HINDSIGHT_SCALE is
// set; HINDSIGHT_SCALE_KB names a KB folder made by cmd/kbgen instead of
// the one kbgen.Cached generates:
//
//	HINDSIGHT_SCALE=100000 HINDSIGHT_SCALE_KB=/tmp/kb100k \
//	  go test ./site -run '^$' -bench Scale -benchtime 1x -timeout 30m
//
// HINDSIGHT_SCALE_HEAPPROFILE=DIR writes in-use heap profiles into DIR:
// loaded.prof once Load returned (after a collection), and one at each
// new peak (see heapProfiler), to find what a build holds.
//
// docs/performance.md ("Scale") has the 1k / 10k / 100k table, measured
// with the CLI (build --timings and /usr/bin/time); this benchmark is the
// same measure from Go, where a profile can be taken (-cpuprofile).
func BenchmarkScale(b *testing.B) {
	n, err := strconv.Atoi(os.Getenv("HINDSIGHT_SCALE"))
	if err != nil || n <= 0 {
		b.Skip("set HINDSIGHT_SCALE (and HINDSIGHT_SCALE_KB) to run the scale benchmarks")
	}
	root := os.Getenv("HINDSIGHT_SCALE_KB")
	if root == "" {
		root = kbtest.Cached(b, n, 1)
	}
	opts := Options{Root: root, Now: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), NoGit: true, Lean: true}
	for i := 0; b.Loop(); i++ {
		// A fresh folder each time: writing over the last build's
		// output measures something else.
		out := filepath.Join(b.TempDir(), "public"+strconv.Itoa(i))
		opts.Out = out
		// The memory limit runBuild sets (cli's buildMemoryLimit; GOGC
		// stays at its default).
		limit := debug.SetMemoryLimit(2600 << 20)
		profs := heapProfiler(b)
		loadPeak := watchMemory(profs)
		s, err := Load(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		loadMax := loadPeak()
		live := heapLive()
		if dir := os.Getenv("HINDSIGHT_SCALE_HEAPPROFILE"); dir != "" {
			writeHeapProfile(b, filepath.Join(dir, "loaded.prof")) // what Load returned
		}
		writePeak := watchMemory(profs)
		st, err := Write(context.Background(), s, out, opts)
		if err != nil {
			b.Fatal(err)
		}
		writeMax := writePeak()
		debug.SetMemoryLimit(limit)
		if got := st.Postmortems; got == 0 {
			b.Fatalf("built %d postmortems", got)
		}
		for _, stg := range s.Stages {
			// (A metric's unit has no spaces: "release bodies".)
			b.ReportMetric(stg.Took.Seconds(), strings.ReplaceAll(stg.Name, " ", "-")+"-s")
		}
		b.ReportMetric(s.IndexTime().Seconds(), "index-s")
		b.ReportMetric(st.Elapsed.Seconds(), "render+write-s")
		b.ReportMetric(mib(live), "loaded-heap-MiB")
		for _, m := range []struct {
			name string
			p    memPeak
		}{{"load", loadMax}, {"write", writeMax}} {
			b.ReportMetric(mib(m.p.total), m.name+"-peak-MiB")
			// What the peak was made of (see memPeak).
			b.ReportMetric(mib(m.p.objects), m.name+"-peak-objects-MiB")
			b.ReportMetric(mib(m.p.free), m.name+"-peak-free-MiB")
			b.ReportMetric(mib(m.p.released), m.name+"-peak-released-MiB")
			b.ReportMetric(mib(m.p.goal), m.name+"-peak-goal-MiB")
			b.ReportMetric(mib(m.p.live), m.name+"-peak-live-MiB")
		}
		if err := os.RemoveAll(out); err != nil {
			b.Fatal(err)
		}
	}
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }

// memTotal is the memory the Go runtime has mapped for the heap, stacks
// and its own structures (close to the resident size).
const memTotal = "/memory/classes/total:bytes"

// heapProfiler returns, when HINDSIGHT_SCALE_HEAPPROFILE names a folder,
// a function that writes an in-use heap profile there (named by the
// memory the runtime holds, in MiB, and the time since the start): the
// memory watchers call it at each new peak, 5 % above the last profile's,
// so the last file written is what the heap held near the build's peak.
// It returns nil otherwise.
func heapProfiler(b *testing.B) func(total uint64) {
	dir := os.Getenv("HINDSIGHT_SCALE_HEAPPROFILE")
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
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
		name := fmt.Sprintf("heap-%05dMiB-%03.0fs.prof", total>>20, time.Since(start).Seconds())
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			b.Error(err)
			return
		}
		defer f.Close()
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			b.Error(err)
		}
	}
}

// writeHeapProfile writes an in-use heap profile after a collection.
func writeHeapProfile(b *testing.B, name string) {
	runtime.GC()
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		b.Fatal(err)
	}
}

// memPeak is the runtime's memory at the highest sample of memTotal:
// what the heap held then (objects, live or not yet collected), the
// free memory it kept (not yet returned to the system), what it had
// returned (mapped but not resident), and the collector's goal and the
// live heap of its last cycle.
type memPeak struct {
	total, objects, free, released, goal, live uint64
}

// peakNames are the runtime/metrics of memPeak, in its field order.
var peakNames = []string{memTotal, "/memory/classes/heap/objects:bytes", "/memory/classes/heap/free:bytes",
	"/memory/classes/heap/released:bytes", "/gc/heap/goal:bytes", "/gc/heap/live:bytes"}

// watchMemory samples memTotal every 10 ms until the function it returns
// is called, which returns the highest sample; at each sample it calls
// prof (a heapProfiler), when not nil.
func watchMemory(prof func(uint64)) func() memPeak {
	var (
		mu   sync.Mutex
		peak memPeak
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
		if v > peak.total {
			u := func(i int) uint64 { return sample[i].Value.Uint64() }
			peak = memPeak{v, u(1), u(2), u(3), u(4), u(5)}
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
	return func() memPeak {
		close(done)
		wg.Wait()
		read()
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// heapLive is the heap in use by live objects after a collection.
func heapLive() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
