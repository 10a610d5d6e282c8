package check

import (
	"testing"

	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// BenchmarkTextScans runs the two rules that scan text, secret (the whole
// file) and blame-language (the prose), on the 1,000 postmortems of a
// generated KB per op.
func BenchmarkTextScans(b *testing.B) {
	_, k := kbtest.Load(b, kbtest.Cached(b, 1000, 1), kb.Options{})
	c := NewContext(k, Options{})
	size := 0
	for _, p := range k.Postmortems {
		size += len(p.Source)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range k.Postmortems {
			secret{}.CheckText(c, &Doc{Path: p.Path, Body: &p.Body, Source: p.Source, Lines: p.Lines})
			blameLanguage{}.Check(c, p)
		}
	}
}
