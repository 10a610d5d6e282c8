package serve

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site"
	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// BenchmarkReload measures the live preview's latency: from writing one
// postmortem of a generated KB to the reload event sent to browsers (the
// file event, the debounce, site.Update and the snapshot swap). Run:
//
//	go test ./site/serve -run '^$' -bench Reload -benchtime 30x
//
// It reports p50/p90/max in ms, the initial build time, and the peak
// RSS of the test process (VmHWM, which includes the generator). The
// 10,000 postmortem case runs unless -short.
func BenchmarkReload(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			if n > 1000 && testing.Short() {
				b.Skip("-short")
			}
			benchReload(b, n)
		})
	}
}

func benchReload(b *testing.B, n int) {
	dir := b.TempDir()
	gen := kbgen.Options{N: n, Seed: 1}
	if err := kbgen.Generate(dir, gen); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := site.Options{Root: dir, Now: kbgen.DefaultNow, NoGit: true, Drafts: true, LiveReload: true}
	start := time.Now()
	srv, err := New(ctx, Options{Root: dir, Builder: SiteBuilder(opts)})
	if err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	watchDone := make(chan struct{})
	go func() { defer close(watchDone); srv.Watch(ctx) }()
	defer func() { cancel(); <-watchDone }()
	events, err := srv.hub.subscribe()
	if err != nil {
		b.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // watches in place
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		idx := (i * 7919) % n
		rel, data := kbgen.GenerateFile(idx, kbgen.Options{N: n, Seed: 1, Revision: i + 1})
		t0 := time.Now()
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), data, 0o644); err != nil {
			b.Fatal(err)
		}
		select {
		case e := <-events:
			if e.Kind != "reload" {
				b.Fatalf("event %+v", e)
			}
		case <-time.After(60 * time.Second):
			b.Fatal("no reload event within 60 s")
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[(len(lat)*9+9)/10-1]), "p90-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	b.ReportMetric(load.Seconds(), "load-s")
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(float64(hwm)/1024, "peakRSS-MB")
	}
	// The edited page renders from the new snapshot.
	snap := srv.Snapshot()
	if _, _, err := snap.Render("index.html"); err != nil {
		b.Fatal(err)
	}
}

// vmHWM returns the process's peak resident set size in KiB (Linux), or 0.
func vmHWM() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &kb)
			return kb
		}
	}
	return 0
}

// BenchmarkUpdate measures the rebuild of the preview alone: the
// builder's Update of a compact 10,000-postmortem site after one file was
// rewritten (no watcher, no debounce), with each stage's mean wall time
// (Site.Stages) as a metric, so a profile (-cpuprofile) shows where an
// edit's time goes. Skipped with -short.
func BenchmarkUpdate(b *testing.B) {
	if testing.Short() {
		b.Skip("-short")
	}
	const n = 10000
	dir := b.TempDir()
	if err := os.CopyFS(dir, os.DirFS(kbtest.Cached(b, n, 1))); err != nil {
		b.Fatal(err)
	}
	opts := site.Options{Root: dir, Now: kbgen.DefaultNow, NoGit: true, Drafts: true, LiveReload: true, NoStaticSearch: true}
	bld := SiteBuilder(opts)
	ctx := context.Background()
	snap, err := bld.Load(ctx)
	if err != nil {
		b.Fatal(err)
	}
	stages := map[string]time.Duration{}
	var names []string
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rel, data := kbgen.GenerateFile((i*7919)%n, kbgen.Options{N: n, Seed: 1, Revision: i + 1})
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), data, 0o644); err != nil {
			b.Fatal(err)
		}
		if snap, err = bld.Update(ctx, snap, []string{rel}); err != nil {
			b.Fatal(err)
		}
		for _, st := range snap.(SiteSnapshot).Stages {
			if _, ok := stages[st.Name]; !ok {
				names = append(names, st.Name)
			}
			stages[st.Name] += st.Took
		}
	}
	b.StopTimer()
	for _, name := range names {
		b.ReportMetric(float64(stages[name].Microseconds())/1000/float64(b.N), strings.ReplaceAll(name, " ", "-")+"-ms")
	}
}
