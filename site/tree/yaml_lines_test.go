package tree

import (
	"errors"
	"testing"
)

// TestYAMLErrorLines pins the file line of YAML errors: yaml.v3 numbers
// parser errors from 0 and scanner errors from 1, and reports an unclosed
// flow at the end of the document.
func TestYAMLErrorLines(t *testing.T) {
	for _, tc := range []struct {
		src  string
		line int
	}{
		{"title: x\nseverity: [SEV2\nstatus: y\n", 12}, // the "[" line (context)
		{"title: [unclosed\n", 11},                     // problem at the end: last line
		{"title: x\nstatus: a: b\n", 12},               // scanner error
		{"a: 1\n  b: 2\n", 12},
		{"- a\nb: c\n", 12},
	} {
		_, err := FromYAML([]byte(tc.src), 11)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: err %v", tc.src, err)
			continue
		}
		if se.Pos.Line != tc.line {
			t.Errorf("%q: line %d, want %d (%s)", tc.src, se.Pos.Line, tc.line, se.Msg)
		}
	}
}
