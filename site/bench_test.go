package site

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/kbgen"
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
				b.ReportMetric(stg.Took.Seconds(), stg.Name+"-s")
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
