package check

import (
	"math/rand/v2"
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
)

// sameHeading requires normalizeHeading to agree with
// config.NormalizeHeading wherever it answers.
func sameHeading(t *testing.T, h string) {
	t.Helper()
	got, ok := normalizeHeading(nil, h)
	if !ok {
		for i := 0; i < len(h); i++ {
			if h[i] < 0x80 {
				continue
			}
			return // not ASCII: config.NormalizeHeading is used
		}
		t.Fatalf("normalizeHeading(%q) gave up on an ASCII heading", h)
	}
	if want := config.NormalizeHeading(h); string(got) != want {
		t.Fatalf("normalizeHeading(%q) = %q, want %q", h, got, want)
	}
}

func TestNormalizeHeading(t *testing.T) {
	for _, h := range []string{"", " ", "Summary", "  Root   Cause\tAnalysis: ", "TL;DR", "Impact.", "A :. .",
		"Corrective Actions ::", "x\v\f\ry", ":", "...", "Ünïcode", "Time\u00a0line", "RCA\u0085"} {
		sameHeading(t, h)
	}
	alphabet := []byte("aZ :.\t\n\v\f\r;-_é")
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20000; i++ {
		b := make([]byte, r.IntN(20))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		sameHeading(t, string(b))
	}
}

func FuzzNormalizeHeading(f *testing.F) {
	f.Add("Root Cause Analysis:")
	f.Fuzz(sameHeading)
}
