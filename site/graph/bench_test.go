package graph

import (
	"testing"

	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// BenchmarkBuild10k measures the link stage alone on a generated
// 10,000-postmortem KB: serve redoes it after every change.
func BenchmarkBuild10k(b *testing.B) {
	cfg, k := kbtest.Load(b, kbtest.Cached(b, 10000, 1), kb.Options{DropBody: true})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Build(k.Postmortems, cfg)
	}
}
