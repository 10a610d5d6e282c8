package static

import (
	"testing"

	textan "github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// BenchmarkTokenize10k runs the export's first pass (tokenize: analysis,
// compact tokens, term counts, surface words) over the search documents
// of a generated 10,000 postmortem KB, with a new analyzer each time, as
// a build does. It reports CPU-seconds per pass: other processes share
// the machine, so they say more than wall time.
func BenchmarkTokenize10k(b *testing.B) {
	root, err := kbgen.Cached(10000, 1)
	if err != nil {
		b.Fatal(err)
	}
	docs := loadDocs(b, root, false)
	from := make([]int, len(docs))
	for i := range from {
		from[i] = i
	}
	opts := Options{Terms: func(int, []int32, [][3]int32) {}}
	size := 0
	for _, d := range docs {
		size += len(d.Title) + len(d.Body) + len(d.Keywords)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	c0 := kbtest.CPUTime()
	for b.Loop() {
		a, err := textan.NewNumberingEnglish()
		if err != nil {
			b.Fatal(err)
		}
		tokenize(a, docs, from, opts)
	}
	b.ReportMetric((kbtest.CPUTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkSurfaceWords10k counts the surface words (see surfaceWords)
// of the search documents of a generated 10,000 postmortem KB.
func BenchmarkSurfaceWords10k(b *testing.B) {
	root, err := kbgen.Cached(10000, 1)
	if err != nil {
		b.Fatal(err)
	}
	docs := loadDocs(b, root, false)
	size := 0
	for _, d := range docs {
		size += len(d.Title) + len(d.Body)
	}
	b.SetBytes(int64(size))
	c0 := kbtest.CPUTime()
	for b.Loop() {
		w := &tokenizer{seen: map[string]*surfaceCount{}}
		for i := range docs {
			w.surfaceWords(&docs[i], int32(i))
		}
	}
	b.ReportMetric((kbtest.CPUTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
}
