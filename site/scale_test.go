package site

import (
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
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
// heap: see kbtest.MemPeak). It is skipped unless HINDSIGHT_SCALE is
// set; HINDSIGHT_SCALE_KB names a KB folder made by cmd/kbgen instead of
// the one kbgen.Cached generates:
//
//	HINDSIGHT_SCALE=100000 HINDSIGHT_SCALE_KB=/tmp/kb100k \
//	  go test ./site -run '^$' -bench Scale -benchtime 1x -timeout 30m
//
// HINDSIGHT_SCALE_HEAPPROFILE=DIR writes in-use heap profiles into DIR:
// loaded.prof once Load returned (after a collection), and one at each
// new peak (see kbtest.HeapProfiler), to find what a build holds.
//
// docs/performance.md ("Scale") has the 1k / 10k / 100k table, measured
// with the CLI (build --timings and /usr/bin/time); this benchmark is the
// same measure from Go, where a profile can be taken (-cpuprofile).
func BenchmarkScale(b *testing.B) {
	root, _ := kbtest.Scale(b)
	opts := Options{Root: root, Now: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), NoGit: true, Lean: true}
	for i := 0; b.Loop(); i++ {
		// A fresh folder each time: writing over the last build's
		// output measures something else.
		out := filepath.Join(b.TempDir(), "public"+strconv.Itoa(i))
		opts.Out = out
		// The memory limit runBuild sets (cli's buildMemoryLimit; GOGC
		// stays at its default).
		limit := debug.SetMemoryLimit(2600 << 20)
		profs := kbtest.HeapProfiler(b, os.Getenv("HINDSIGHT_SCALE_HEAPPROFILE"), "heap")
		loadPeak := kbtest.WatchMemory(profs)
		s, err := Load(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		loadMax := loadPeak()
		live := kbtest.HeapLive()
		if dir := os.Getenv("HINDSIGHT_SCALE_HEAPPROFILE"); dir != "" {
			kbtest.WriteHeapProfile(b, filepath.Join(dir, "loaded.prof")) // what Load returned
		}
		writePeak := kbtest.WatchMemory(profs)
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
		b.ReportMetric(kbtest.MiB(live), "loaded-heap-MiB")
		for _, m := range []struct {
			name string
			p    kbtest.MemPeak
		}{{"load", loadMax}, {"write", writeMax}} {
			b.ReportMetric(kbtest.MiB(m.p.Total), m.name+"-peak-MiB")
			// What the peak was made of (see memPeak).
			b.ReportMetric(kbtest.MiB(m.p.Objects), m.name+"-peak-objects-MiB")
			b.ReportMetric(kbtest.MiB(m.p.Free), m.name+"-peak-free-MiB")
			b.ReportMetric(kbtest.MiB(m.p.Released), m.name+"-peak-released-MiB")
			b.ReportMetric(kbtest.MiB(m.p.Goal), m.name+"-peak-goal-MiB")
			b.ReportMetric(kbtest.MiB(m.p.Live), m.name+"-peak-live-MiB")
		}
		if err := os.RemoveAll(out); err != nil {
			b.Fatal(err)
		}
	}
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }
