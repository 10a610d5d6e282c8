package kb_test

import (
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbgen"
)

// benchLoad loads a generated KB of n postmortems (cached under
// os.TempDir(), see kbgen.Cached) once per iteration. Results and targets
// are in docs/performance.md.
func benchLoad(b *testing.B, n int, opts kb.Options) {
	dir, err := kbgen.Cached(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	cfg, ds, err := config.Load(dir)
	if err != nil || len(ds) > 0 {
		b.Fatalf("config: %v %v", err, ds)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		k, err := kb.Load(dir, cfg, opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(k.Postmortems) != n {
			b.Fatalf("loaded %d postmortems, want %d", len(k.Postmortems), n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

func BenchmarkLoad1k(b *testing.B)  { benchLoad(b, 1000, kb.Options{}) }
func BenchmarkLoad10k(b *testing.B) { benchLoad(b, 10000, kb.Options{}) }

// The HTML variants measure what build and serve pay on top.
func BenchmarkLoad1kHTML(b *testing.B) {
	benchLoad(b, 1000, kb.Options{RenderHTML: true, DropSource: true})
}
func BenchmarkLoad10kHTML(b *testing.B) {
	benchLoad(b, 10000, kb.Options{RenderHTML: true, DropSource: true})
}
