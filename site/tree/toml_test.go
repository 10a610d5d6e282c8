package tree

import (
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/diag"
)

// TestTOMLUnclosedString: a string left open is reported in words, at
// the quote that opened it, not at the end of its line or document.
func TestTOMLUnclosedString(t *testing.T) {
	const msg = "TOML: the string opened here is never closed; add the closing "
	tests := []struct {
		name, src string
		pos       diag.Pos
		quote     string
	}{
		{"basic", "title = \"Edge cert\nseverity = \"SEV2\"\n", diag.Pos{Line: 11, Col: 9}, `"`},
		{"literal", "title = 'Edge cert\nseverity = \"SEV2\"\n", diag.Pos{Line: 11, Col: 9}, `'`},
		{"at the end", "severity = \"SEV2\"\ntitle = \"Edge cert", diag.Pos{Line: 12, Col: 9}, `"`},
		{"in a list", "tags = [\"tls\", \"edge]\nseverity = \"SEV2\"\n", diag.Pos{Line: 11, Col: 16}, `"`},
		{"list over lines", "tags = [\n  \"tls\",\n  \"edge,\n]\n", diag.Pos{Line: 13, Col: 3}, `"`},
		{"escaped quote", "title = \"The \\\"edge\\\" cert\ntags = []\n", diag.Pos{Line: 11, Col: 9}, `"`},
		{"quote in a literal", "title = 'a \"b'\nsummary = \"open\n", diag.Pos{Line: 12, Col: 11}, `"`},
		{"inline table", "impact = { reputation = \"low }\n", diag.Pos{Line: 11, Col: 25}, `"`},
		{"multi-line basic", "title = \"x\"\nsummary = \"\"\"\nLine one\nline two\n", diag.Pos{Line: 12, Col: 11}, `"""`},
		{"multi-line literal", "summary = '''\nclosed'''\nnotes = '''\nopen\n", diag.Pos{Line: 13, Col: 9}, `'''`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromTOML([]byte(tt.src), 11)
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("err = %v", err)
			}
			if se.Pos != tt.pos || se.Msg != msg+tt.quote {
				t.Errorf("%d:%d %q, want %d:%d %q", se.Pos.Line, se.Pos.Col, se.Msg, tt.pos.Line, tt.pos.Col, msg+tt.quote)
			}
		})
	}
}

// TestTOMLOtherErrors keep the parser's message: only unclosed strings
// are reworded.
func TestTOMLOtherErrors(t *testing.T) {
	for _, src := range []string{
		"title = \"bad \\q escape\"\n",
		"title = # \"comment\n",
		"systems = [\n= 3\n",
	} {
		_, err := FromTOML([]byte(src), 1)
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Fatalf("%q: err = %v", src, err)
		}
		if strings.Contains(se.Msg, "never closed") {
			t.Errorf("%q: %v", src, se)
		}
	}
}
