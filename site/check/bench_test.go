package check_test

import (
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// benchRun measures check.Run alone on a generated KB of n postmortems
// (loading is site/kb's benchmark). The target for the whole `hindsight
// check` of 10,000 postmortems is 3 s and 300 MB; see docs/.
func benchRun(b *testing.B, n int) {
	_, k := kbtest.Load(b, kbtest.Cached(b, n, 1), kb.Options{})
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ds := check.Run(k, check.Options{Now: now})
		if errs, _ := countErrors(ds); errs > 0 {
			b.Fatalf("generated KB has %d errors, e.g. %v", errs, ds[0])
		}
	}
}

func countErrors(ds []diag.Diagnostic) (int, int) {
	e := 0
	for _, d := range ds {
		if d.Severity.String() == "error" {
			e++
		}
	}
	return e, len(ds) - e
}

func BenchmarkRun1k(b *testing.B)  { benchRun(b, 1000) }
func BenchmarkRun10k(b *testing.B) { benchRun(b, 10000) }
