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

// TestPrefixWords: approxPrefix, placeholderLen and ampm, which look at
// the first byte before comparing words, find each of their words in
// any case, and find nothing where comparing every word (with
// strings.EqualFold, as they do) finds nothing.
func TestPrefixWords(t *testing.T) {
	approx := []string{"approximately", "approx.", "approx", "around", "about", "circa", "ca.", "c."}
	holders := []string{"yyyy-mm-dd", "hh:mm:ss", "hh:mm", "--:--", "xx:xx", "??:??", "__:__"}
	ampms := []string{"am", "a.m.", "pm", "p.m."}
	var inputs []string
	for _, words := range [][]string{approx, holders, ampms} {
		for _, w := range words {
			for _, v := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:]} {
				inputs = append(inputs, v, v+" 14:00", v+"x", "\u212A"+v, "\u017F"+v)
			}
		}
	}
	inputs = append(inputs, "", " ", "YYYY-MM-DD hh:mm", "yyyy-mm-dd xx:xx UTC", "~14:00", "≈ 14:00", "\u212Aa. 14:00", "bout 14:00", "14:00", "HH:MM", "Xx:xX")

	// The same loops without the first byte's test.
	slowApprox := func(s string) int {
		for _, w := range approx {
			if len(s) > len(w) && strings.EqualFold(s[:len(w)], w) && s[len(w)] == ' ' {
				return len(w) + 1
			}
		}
		return 0
	}
	var slowHolder func(s string, i int) int
	slowHolder = func(s string, i int) int {
		for _, p := range holders {
			if len(s)-i >= len(p) && strings.EqualFold(s[i:i+len(p)], p) {
				e := i + len(p)
				if p == "yyyy-mm-dd" {
					if k := skipSpaces(s, e); k > e && slowHolder(s, k) > 0 {
						return k + slowHolder(s, k) - i
					}
				}
				if e == len(s) || !isLetter(s[e]) {
					return len(p)
				}
			}
		}
		return 0
	}
	slowAMPM := func(s string) bool {
		for _, w := range ampms {
			if len(s) >= len(w) && strings.EqualFold(s[:len(w)], w) && (len(s) == len(w) || !isLetter(s[len(w)])) {
				return true
			}
		}
		return false
	}
	for _, s := range inputs {
		if s == "" || s[0] != '~' && !strings.HasPrefix(s, "≈") {
			if got, want := approxPrefix(s, 0), slowApprox(s); got != want {
				t.Errorf("approxPrefix(%q) = %d, want %d", s, got, want)
			}
		}
		if got, want := placeholderLen(s, 0), slowHolder(s, 0); got != want {
			t.Errorf("placeholderLen(%q) = %d, want %d", s, got, want)
		}
		if _, _, got := ampm(s, 0, 9); got != slowAMPM(s) {
			t.Errorf("ampm(%q) = %v, want %v", s, got, !got)
		}
	}
	for _, w := range approx {
		if approxPrefix(strings.ToUpper(w)+" 14:00", 0) != len(w)+1 {
			t.Errorf("approxPrefix misses %q", strings.ToUpper(w))
		}
	}
	for _, p := range holders {
		if placeholderLen(strings.ToUpper(p), 0) != len(p) || placeholderLen(p+" ", 0) != len(p) {
			t.Errorf("placeholderLen misses %q", p)
		}
	}
	for _, w := range ampms {
		if _, _, ok := ampm(strings.ToUpper(w)+" x", 0, 9); !ok {
			t.Errorf("ampm misses %q", strings.ToUpper(w))
		}
	}
}
