package tree

import (
	"testing"

	"github.com/hindsight-kb/hindsight/site/diag"
)

func TestPositionsAcrossFormats(t *testing.T) {
	tests := []struct {
		name  string
		parse func([]byte, int) (*Node, error)
		src   string
		// position of systems[1] and of key "impact"
		item, key diag.Pos
	}{
		{"yaml", FromYAML, "title: x\nsystems:\n  - a\n  - b\nimpact:\n  cost_usd: 3\n", diag.Pos{Line: 14, Col: 5}, diag.Pos{Line: 15, Col: 1}},
		{"toml", FromTOML, "title = \"x\"\nsystems = [\"a\",\n  \"b\"]\n[impact]\ncost_usd = 3\n", diag.Pos{Line: 13, Col: 3}, diag.Pos{Line: 14, Col: 2}},
		{"json", FromJSON, "{\n\"title\": \"x\",\n\"systems\": [\"a\",\n \"b\"],\n\"impact\": {\"cost_usd\": 3}\n}\n", diag.Pos{Line: 14, Col: 2}, diag.Pos{Line: 15, Col: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.parse([]byte(tt.src), 11)
			if err != nil {
				t.Fatal(err)
			}
			sys := n.Get("systems")
			if sys == nil || len(sys.Value.Items) != 2 {
				t.Fatalf("systems: %+v", sys)
			}
			if got := sys.Value.Items[1].Pos; got != tt.item {
				t.Errorf("systems[1] at %v, want %v", got, tt.item)
			}
			if got := n.Get("impact").KeyPos; got != tt.key {
				t.Errorf("impact key at %v, want %v", got, tt.key)
			}
			if v, ok := n.Get("impact").Value.Get("cost_usd").Value.AsInt(); !ok || v != 3 {
				t.Errorf("cost_usd = %v %v", v, ok)
			}
		})
	}
}

func TestSyntaxErrorLines(t *testing.T) {
	tests := []struct {
		name  string
		parse func([]byte, int) (*Node, error)
		src   string
		line  int
	}{
		{"yaml", FromYAML, "title: x\nsystems: [a\nother: 1\n", 12},
		{"toml", FromTOML, "title = \"x\"\nsystems = [\n= 3\n", 13},
		{"json", FromJSON, "{\n\"title\": \"x\",\n\"systems\" \"a\"\n}", 13},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.parse([]byte(tt.src), 11)
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("err = %v", err)
			}
			if se.Pos.Line < 11 || se.Pos.Line > tt.line {
				t.Errorf("line %d, want ≤%d (err %v)", se.Pos.Line, tt.line, se)
			}
		})
	}
}
