//go:build unix

package site

import (
	"syscall"
	"testing"

	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// BenchmarkFirstTouch measures what the first touch of fresh memory
// costs: it maps 480 MiB (about a 10k build's peak RSS) and writes one
// byte per 4 KiB page, reporting CPU seconds and minor page faults per op.
// On the measurement VM a page's first touch is expensive enough that a
// build's peak memory is a fifth of its CPU (docs/performance.md, Build).
func BenchmarkFirstTouch(b *testing.B) {
	const size = 480 << 20
	for b.Loop() {
		var r0, r1 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
		c0 := kbtest.CPUTime().Seconds()
		m, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < size; i += 4096 {
			m[i] = 1
		}
		b.ReportMetric(kbtest.CPUTime().Seconds()-c0, "cpu-s/op")
		syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
		b.ReportMetric(float64(r1.Minflt-r0.Minflt), "faults/op")
		if err := syscall.Munmap(m); err != nil {
			b.Fatal(err)
		}
	}
}
