package serve

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
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
	root, n := kbtest.Scale(b)
	if os.Getenv("HINDSIGHT_SCALE_KB") == "" {
		// Cached's KB is shared: edit a copy.
		dir := b.TempDir()
		if err := os.CopyFS(dir, os.DirFS(root)); err != nil {
			b.Fatal(err)
		}
		root = dir
	}
	profDir := os.Getenv("HINDSIGHT_SCALE_HEAPPROFILE")
	if profDir != "" {
		stop := kbtest.WatchMemory(kbtest.HeapProfiler(b, profDir, "serve-peak"))
		defer stop()
	}
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

// liveHeap collects garbage and returns the live heap in MiB, writing an
// in-use heap profile named after the point when dir is not empty.
func liveHeap(b *testing.B, dir, point string) float64 {
	runtime.GC()
	live := kbtest.HeapLive()
	if dir != "" {
		kbtest.WriteHeapProfile(b, filepath.Join(dir, "serve-heap-"+point+".prof"))
	}
	return kbtest.MiB(live)
}
