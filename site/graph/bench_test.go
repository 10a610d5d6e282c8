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

// BenchmarkSame ranks the same-cause and same-system lists of every
// postmortem (what the postmortem pages show), on a graph built once: on
// the generated 10,000-postmortem KB, and on the scale KB when
// HINDSIGHT_SCALE is set (kbtest.Scale). Its time should grow with the
// KB, not with its square.
func BenchmarkSame(b *testing.B) {
	run := func(b *testing.B, root string) {
		cfg, k := kbtest.Load(b, root, kb.Options{DropBody: true})
		b.ResetTimer()
		for b.Loop() {
			g := Build(k.Postmortems, cfg)
			for _, p := range g.Postmortems {
				g.Same(p, Causes, 5)
				g.Same(p, Systems, 5)
			}
		}
	}
	b.Run("n=10000", func(b *testing.B) { run(b, kbtest.Cached(b, 10000, 1)) })
	b.Run("scale", func(b *testing.B) {
		root, _ := kbtest.Scale(b)
		run(b, root)
	})
}
