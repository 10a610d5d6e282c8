package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// BenchmarkBuild builds a generated KB (HINDSIGHT_BENCH_N postmortems,
// default 1000, from kbgen.Cached) cold: load, check, link, trend, index,
// render and write. HINDSIGHT_BENCH_KB names another KB folder. It reports
// the stage times of the last run as metrics.
func BenchmarkBuild(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("HINDSIGHT_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	root := os.Getenv("HINDSIGHT_BENCH_KB")
	if root == "" {
		var err error
		if root, err = kbgen.Cached(n, 1); err != nil {
			b.Fatal(err)
		}
	}
	out := filepath.Join(b.TempDir(), "public")
	opts := Options{Root: root, Out: out, Now: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), NoGit: true, Lean: true}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Load(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		st, err := Write(context.Background(), s, out, opts)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Pages), "pages")
		if i == b.N-1 {
			for _, stg := range s.Stages {
				b.ReportMetric(stg.Took.Seconds(), strings.ReplaceAll(stg.Name, " ", "-")+"-s") // a unit has no spaces
			}
			// The index stage overlaps the write in a lean build.
			b.ReportMetric(s.IndexTime().Seconds(), "index-s")
			b.ReportMetric(st.Elapsed.Seconds(), "write-s")
		}
	}
}

// BenchmarkRenderPostmortem renders the postmortem pages of a generated
// KB (HINDSIGHT_BENCH_KB, or 200 generated postmortems) one after another.
func BenchmarkRenderPostmortem(b *testing.B) {
	root := os.Getenv("HINDSIGHT_BENCH_KB")
	if root == "" {
		var err error
		if root, err = kbgen.Cached(200, 1); err != nil {
			b.Fatal(err)
		}
	}
	s, err := Load(context.Background(), Options{Root: root, Now: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), NoGit: true})
	if err != nil {
		b.Fatal(err)
	}
	var paths []string
	for _, p := range s.Postmortems {
		paths = append(paths, p.URL()+"index.html")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := s.Render(paths[i%len(paths)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteFloor measures what the file system alone costs for the
// output of a 10,000-postmortem build, without hindsight: 10,000 folders
// with one 18 KB index.html each plus 5,000 more files in a few folders,
// written by Options.Workers goroutines like Write does (and by two and
// four times as many, since file system calls block). It reports CPU
// seconds (user+system) per op: on the measurement VM this floor is a
// large part of a build's time (docs/performance.md).
func BenchmarkWriteFloor(b *testing.B) {
	for _, workers := range []int{runtime.GOMAXPROCS(0), 2 * runtime.GOMAXPROCS(0), 4 * runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) { writeFloor(b, workers) })
	}
}

func writeFloor(b *testing.B, workers int) {
	page := make([]byte, 18<<10)
	small := make([]byte, 6<<10)
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		b.StartTimer()
		c0 := kbtest.CPUTime().Seconds()
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := w; i < 15000; i += workers {
					var p string
					data := page
					if i < 10000 {
						d := filepath.Join(dir, "postmortems", fmt.Sprintf("pm-%05d", i))
						if err := os.MkdirAll(d, 0o755); err != nil {
							b.Error(err)
							return
						}
						p = filepath.Join(d, "index.html")
					} else {
						d := filepath.Join(dir, "search", fmt.Sprintf("s%d", i%6))
						if err := os.MkdirAll(d, 0o755); err != nil {
							b.Error(err)
							return
						}
						p, data = filepath.Join(d, fmt.Sprintf("%d.json", i)), small
					}
					if err := os.WriteFile(p, data, 0o644); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		b.ReportMetric(kbtest.CPUTime().Seconds()-c0, "cpu-s/op")
	}
}
