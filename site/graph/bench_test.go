package graph

import (
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbgen"
)

// BenchmarkBuild10k measures the link stage alone on a generated
// 10,000-postmortem KB: serve redoes it after every change.
func BenchmarkBuild10k(b *testing.B) {
	dir, err := kbgen.Cached(10000, 1)
	if err != nil {
		b.Fatal(err)
	}
	cfg, _, err := config.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	k, err := kb.Load(dir, cfg, kb.Options{DropBody: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Build(k.Postmortems, cfg)
	}
}
