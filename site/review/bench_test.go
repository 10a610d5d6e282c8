package review

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// BenchmarkReview10k reviews one changed postmortem of the generated
// 10,000-postmortem KB end to end, as `hindsight review --since` does
// after git: config, the streaming load (checks of the one file, word
// counts), graph, similarity model, the file's review and its Markdown.
// Sub-benchmarks: "nocache" without the word-count cache, "cold" with an
// empty one (every file analysed, then the cache written, as on a fresh
// CI runner), "warm" with the cache of the other files (only the changed
// file parsed and analysed). HINDSIGHT_BENCH_N sets another size. The
// target (≤ 1 s at 10k) is in docs/performance.md, not here.
func BenchmarkReview10k(b *testing.B) {
	n := 10000
	if s := os.Getenv("HINDSIGHT_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	root := kbtest.Cached(b, n, 1)
	_, k := kbtest.Load(b, root, kb.Options{DropBody: true})
	changed := k.Postmortems[len(k.Postmortems)/2].Path
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	review := func(b *testing.B, cacheRoot string) {
		cfg, _, err := config.Load(root)
		if err != nil {
			b.Fatal(err)
		}
		st, err := NewStream(Options{Only: func(p string) bool { return p == changed }, Now: now, CacheRoot: cacheRoot, CacheKey: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		k, err := kb.Load(root, cfg, st.KBOptions(kb.Options{}))
		if err != nil {
			b.Fatal(err)
		}
		r := st.Finish(k)
		if len(r.Files) != 1 || len(r.Files[0].Similar) == 0 {
			b.Fatalf("review of %s: %+v", changed, r.Files)
		}
		_ = Markdown(r, PrintOptions{})
		if err := st.WriteCache(); err != nil {
			b.Fatal(err)
		}
	}
	for _, mode := range []string{"nocache", "cold", "warm"} {
		b.Run(mode, func(b *testing.B) {
			// The cache goes to a folder of its own, not into the
			// shared generated KB (the cache is keyed by content).
			cache := ""
			if mode != "nocache" {
				cache = b.TempDir()
			}
			if mode == "warm" {
				review(b, cache)
			}
			b.ReportAllocs()
			start := kbtest.CPUTime()
			for b.Loop() {
				if mode == "cold" {
					if err := os.Remove(filepath.Join(cache, filepath.FromSlash(CacheFile))); err != nil && !errors.Is(err, fs.ErrNotExist) {
						b.Fatal(err)
					}
				}
				review(b, cache)
			}
			b.ReportMetric(float64(kbtest.CPUTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}
