package serve

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
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site"
	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// BenchmarkServeMemory measures what `hindsight serve` holds for a KB of
// HINDSIGHT_SCALE postmortems: the live heap (after a collection) once
// the site is loaded, once the search index is up to date (on disk under
// the KB's .hindsight/, as serve keeps it), and after edits of a few
// postmortems (each an Update and a re-index), and the process's peak
// RSS. It is skipped unless HINDSIGHT_SCALE is set; HINDSIGHT_SCALE_KB
// names a KB folder made by cmd/kbgen (its files are edited and its
// .hindsight/ written: use a copy), and HINDSIGHT_SCALE_HEAPPROFILE a
// folder for in-use heap profiles at each of those points and at each
// new peak of the memory the runtime holds:
//
//	HINDSIGHT_SCALE=100000 HINDSIGHT_SCALE_KB=/tmp/copy-of-kb100k \
//	  go test ./site/serve -run '^$' -bench ServeMemory -benchtime 1x -timeout 30m
func BenchmarkServeMemory(b *testing.B) {
	n, err := strconv.Atoi(os.Getenv("HINDSIGHT_SCALE"))
	if err != nil || n <= 0 {
		b.Skip("set HINDSIGHT_SCALE (and HINDSIGHT_SCALE_KB) to run the scale benchmarks")
	}
	root := os.Getenv("HINDSIGHT_SCALE_KB")
	if root == "" {
		root = b.TempDir()
		if err := os.CopyFS(root, os.DirFS(kbtest.Cached(b, n, 1))); err != nil {
			b.Fatal(err)
		}
	}
	profDir := os.Getenv("HINDSIGHT_SCALE_HEAPPROFILE")
	stop := watchPeaks(b, profDir)
	defer stop()
	// The memory limit `hindsight serve` sets (cli's serveMemoryLimit).
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(3 << 30))
	opts := site.Options{Root: root, Now: kbgen.DefaultNow, NoGit: true, Drafts: true, LiveReload: true, NoStaticSearch: true}
	ctx := context.Background()
	for b.Loop() {
		t := time.Now()
		bld := SiteBuilder(opts)
		snap, err := bld.Load(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(t).Seconds(), "load-s")
		b.ReportMetric(liveHeap(b, profDir, "loaded"), "loaded-heap-MiB")
		ss := NewSiteSearch(opts, os.Stderr)
		t = time.Now()
		ss.Index(ctx, snap)
		b.ReportMetric(time.Since(t).Seconds(), "index-s")
		b.ReportMetric(liveHeap(b, profDir, "indexed"), "indexed-heap-MiB")
		for i := range 6 {
			rel, data := kbgen.GenerateFile((i*7919)%n, kbgen.Options{N: n, Seed: 1, Revision: 1000 + i})
			if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(rel)), data, 0o644); err != nil {
				b.Fatal(err)
			}
			if snap, err = bld.Update(ctx, snap, []string{rel}); err != nil {
				b.Fatal(err)
			}
			ss.Index(ctx, snap)
		}
		b.ReportMetric(liveHeap(b, profDir, "edited"), "edited-heap-MiB")
		// Render a postmortem page, a list and search, as a browser would.
		for _, p := range []string{"index.html", "postmortems/index.html"} {
			if _, _, err := snap.Render(p); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(liveHeap(b, profDir, "rendered"), "rendered-heap-MiB")
		if err := ss.Close(); err != nil {
			b.Fatal(err)
		}
		runtime.KeepAlive(snap)
	}
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(float64(hwm)/1024, "peakRSS-MB")
	}
}

// watchPeaks samples the memory the Go runtime holds every 20 ms until
// the function it returns is called, and writes an in-use heap profile
// to dir (when not empty) at each new peak 5 % above the last one's: the
// last such file is what the heap held near the peak.
func watchPeaks(b *testing.B, dir string) func() {
	if dir == "" {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
		var last uint64
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > last+last/20 {
				last = v
				if f, err := os.Create(filepath.Join(dir, fmt.Sprintf("serve-peak-%05dMiB.prof", v>>20))); err == nil {
					pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// liveHeap collects garbage and returns the live heap in MiB, writing an
// in-use heap profile named after the point when dir is not empty.
func liveHeap(b *testing.B, dir, point string) float64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if dir != "" {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("serve-heap-%s.prof", point)))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			b.Fatal(err)
		}
	}
	return float64(s[0].Value.Uint64()) / (1 << 20)
}
