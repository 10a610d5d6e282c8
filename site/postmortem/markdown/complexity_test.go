package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecurityComplexitySampleKB: no file of the sample KB comes near a
// limit (each measure is below a tenth of its limit).
func TestSecurityComplexitySampleKB(t *testing.T) {
	files, _ := filepath.Glob("../../../content/*.md")
	more, _ := filepath.Glob("../../../content/postmortems/*/*.md")
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("found %d sample files", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Ten copies of the file make a body ten times as big: still
		// within every limit.
		big := []byte(strings.Repeat(string(src)+"\n\n", 10))
		if off, msg := CheckComplexity(big); msg != "" {
			t.Errorf("%s ×10: %s (at byte %d)", f, msg, off)
		}
	}
}

// FuzzComplexity: the scan never panics, a problem is reported at the
// start of a line of the input, and the count of inlineWithin never hides
// one.
func FuzzComplexity(f *testing.F) {
	f.Add("## Summary\n\n- a\n  - b\n    > c\n\n*x* _y_ `z` [l](u)\n")
	f.Add("> - > - x\n  - y\n\n\t- z\n1) a\n10. b\n* * *\n")
	f.Add(strings.Repeat("- ", 40) + "x\n")
	f.Add("[a](b [c](<d\n![e](f \\[ \\* a_b _c_ ~~d~~ ``e``\n")
	f.Fuzz(func(t *testing.T, md string) {
		off, msg := CheckComplexity([]byte(md))
		// The shortcut of inlineWithin gives what the whole scan gives.
		if o, m := scanComplexity([]byte(md), true); o != off || m != msg {
			t.Fatalf("CheckComplexity = %d %q, the whole scan %d %q", off, msg, o, m)
		}
		if msg == "" {
			if off != 0 {
				t.Fatalf("offset %d without a problem", off)
			}
			return
		}
		if off < 0 || off > len(md) || (off > 0 && md[off-1] != '\n') {
			t.Fatalf("problem at offset %d, not at the start of a line", off)
		}
	})
}

// TestLineMarkersFirstByte: a line whose first non-blank byte is not a
// markerStart has no container marker, so the scan need not read its
// markers (scanComplexity); the others are read.
func TestLineMarkersFirstByte(t *testing.T) {
	for c := range 256 {
		for _, rest := range []string{"", " ", " x", "- x", ". x", ") x", "> x", "\tx", "--", "**"} {
			line := []byte(string([]byte{byte(c)}) + rest)
			i, col := skipBlank(line, 0, 0)
			if i > 0 {
				continue // a blank: the first non-blank byte is another
			}
			m := lineMarkers(line, i, col, nil)
			marker := len(m.items) > 0 || m.quotes > 0 || m.interrupts || m.newItem || m.rest != 0
			if marker && !markerStart(byte(c)) {
				t.Errorf("line %q has markers %+v, but scanComplexity does not read them", line, m)
			}
		}
	}
	for _, line := range []string{"> x", "- x", "+ x", "* x", "1. x", "1) x", "12. x"} {
		if m := lineMarkers([]byte(line), 0, 0, nil); m.rest == 0 || !markerStart(line[0]) {
			t.Errorf("lineMarkers(%q) found no marker", line)
		}
	}
}
