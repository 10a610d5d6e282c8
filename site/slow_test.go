package site

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"testing"
	"time"
)

// TestSlowPages loads HINDSIGHT_BENCH_KB and reports the stage times and
// the slowest pages (a profiling aid; skipped unless set).
func TestSlowPages(t *testing.T) {
	root := os.Getenv("HINDSIGHT_BENCH_KB")
	if root == "" {
		t.Skip("HINDSIGHT_BENCH_KB not set")
	}
	t0 := time.Now()
	s, err := Load(context.Background(), Options{Root: root, Now: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), NoGit: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("load %v %v", time.Since(t0), s.Stages)
	if hp := os.Getenv("HINDSIGHT_HEAP"); hp != "" {
		runtime.GC()
		f, err := os.Create(hp)
		if err != nil {
			t.Fatal(err)
		}
		if err := pprof.WriteHeapProfile(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		t.Logf("heap in use after load: %d MiB", ms.HeapInuse>>20)
		if os.Getenv("HINDSIGHT_HEAP_ONLY") != "" {
			return
		}
	}
	type r struct {
		p string
		d time.Duration
		n int
	}
	var rs []r
	kinds := map[string]time.Duration{}
	for _, p := range s.Pages() {
		t1 := time.Now()
		b, _, err := s.Render(p)
		if err != nil {
			t.Fatal(err)
		}
		d := time.Since(t1)
		rs = append(rs, r{p, d, len(b)})
		kinds[s.pages.Kind(p)] += d
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].d > rs[j].d })
	for _, x := range rs[:15] {
		t.Logf("%v %d %s", x.d, x.n, x.p)
	}
	t.Logf("render %v", kinds)
}
