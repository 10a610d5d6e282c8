package timeline

import (
	"strings"
	"testing"
)

// TestIsHeading compares IsHeading with the lower-cased
// comparison it stands for.
func TestIsHeading(t *testing.T) {
	names := []string{"timeline", "chronology", "zeitlinie ü", "ǆ"}
	for _, h := range []string{"Timeline", " TIMELINE ", "timeline", "Time line", "Chronology", "Zeitlinie Ü",
		"ZEITLINIE Ü", "Ǆ", "ǅ", "K", "", "Timelines", "timeline\u00a0"} {
		want := false
		for _, n := range names {
			if strings.ToLower(strings.TrimSpace(h)) == n {
				want = true
			}
		}
		if got := IsHeading(h, names); got != want {
			t.Errorf("IsHeading(%q) = %v, want %v", h, got, want)
		}
	}
}
