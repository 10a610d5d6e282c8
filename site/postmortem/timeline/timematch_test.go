package timeline

import (
	"strings"
	"testing"
)

// TestHasPrefixLowerASCII: the prefix test of "(approx" says what
// lower-casing the whole text and testing its prefix says.
func TestHasPrefixLowerASCII(t *testing.T) {
	for _, s := range []string{"", "(", "(approx", "(APPROX.)", "(Approx 5 min)", "(approximately)", "(appro",
		"( approx)", "approx", "(aPpRoX", "(\u212Aapprox", "(\u0130approx", "\u0130(approx", "(app\xffrox", "(approx\xff"} {
		want := strings.HasPrefix(strings.ToLower(s), "(approx")
		if got := hasPrefixLowerASCII(s, "(approx"); got != want {
			t.Errorf("hasPrefixLowerASCII(%q) = %v, want %v", s, got, want)
		}
	}
}
