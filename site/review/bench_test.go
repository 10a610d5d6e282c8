package review

import (
	"os"
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
// counts of all), graph, similarity model, the file's review and its
// Markdown. HINDSIGHT_BENCH_N sets another size. The target (≤ 1 s at 10k)
// is in docs/performance.md, not here.
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
	b.ReportAllocs()
	start := kbtest.CPUTime()
	for b.Loop() {
		cfg, _, err := config.Load(root)
		if err != nil {
			b.Fatal(err)
		}
		st, err := NewStream(Options{Only: func(p string) bool { return p == changed }, Now: now})
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
	}
	b.ReportMetric(float64(kbtest.CPUTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
