package tree

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/internal/bounded"
)

// laughs returns a YAML document of n anchors, each a list of n aliases
// of the one before: n^n values once expanded. flow writes the lists as
// [*a, *a, …]; block writes them one item a line.
func laughs(n int, flow bool) string {
	var b strings.Builder
	b.WriteString("title: laughing\n")
	for i := 0; i < n; i++ {
		name := string(rune('a' + i))
		item := "lol"
		if i > 0 {
			item = "*" + string(rune('a'+i-1))
		}
		if flow {
			fmt.Fprintf(&b, "%s: &%s [%s]\n", name, name, strings.TrimSuffix(strings.Repeat(item+", ", n), ", "))
			continue
		}
		fmt.Fprintf(&b, "%s: &%s\n", name, name)
		for j := 0; j < n; j++ {
			fmt.Fprintf(&b, "  - %s\n", item)
		}
	}
	return b.String()
}

func TestSecurityYAMLAliasBomb(t *testing.T) {
	tests := []struct {
		name string
		src  string
		// line and col are where the alias that passed the limit is.
		line, col int
	}{
		// b, c and d expand to 8289 values in all; the first alias of
		// e (line 6) expands a whole d, 7381 more.
		{"flow 9x9", laughs(9, true), 6, 8},
		{"block 9x9", laughs(9, false), 43, 5},
		// Here it is the fourth alias of d.
		{"deeper 12x12", laughs(12, true), 5, 20},
		{"one alias of a wide anchor", "a: &a [" + strings.Repeat("x, ", 20_000) + "x]\nb: *a\n", 2, 4},
	}
	parsers := map[string]func([]byte, int) (*Node, error){
		"FromYAML":   FromYAML,
		"YAMLParser": new(YAMLParser).Parse,
	}
	for _, tt := range tests {
		for pname, parse := range parsers {
			t.Run(tt.name+"/"+pname, func(t *testing.T) {
				var err error
				bounded.Within(t, 10*time.Second, func() { _, err = parse([]byte(tt.src), 1) })
				var se *SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("err = %v, want a *SyntaxError", err)
				}
				if se.Pos != (diag.Pos{Line: tt.line, Col: tt.col}) || !strings.Contains(se.Msg, "aliases") {
					t.Errorf("err = %v, want line %d col %d and a message about aliases", se, tt.line, tt.col)
				}
			})
		}
	}
}

// TestSecurityYAMLSmallAliases: aliases within the budget still work.
func TestSecurityYAMLSmallAliases(t *testing.T) {
	src := "owners: &o [alice, bob]\nactions:\n  - {title: a, owner: *o}\n  - {title: b, owner: *o}\n"
	n, err := FromYAML([]byte(src), 3)
	if err != nil {
		t.Fatal(err)
	}
	acts := n.Get("actions").Value.Items
	got := acts[1].Get("owner").Value
	if got.Kind != List || len(got.Items) != 2 || got.Items[1].Value != "bob" || got.Pos.Line != 6 {
		t.Errorf("owner of the second action = %+v", got)
	}
}

func TestSecurityManyKeys(t *testing.T) {
	const n = 100_000
	var block, flow, toml, tables, json strings.Builder
	flow.WriteString("m: {")
	json.WriteString("{")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&block, "key%d: v\n", i)
		fmt.Fprintf(&toml, "key%d = \"v\"\n", i)
		fmt.Fprintf(&tables, "[t%d]\nx = 1\n", i)
		if i > 0 {
			flow.WriteString(", ")
			json.WriteString(", ")
		}
		fmt.Fprintf(&flow, "key%d: v", i)
		fmt.Fprintf(&json, "\"key%d\": \"v\"", i)
	}
	flow.WriteString("}\n")
	json.WriteString("}")
	yaml := new(YAMLParser).Parse
	tests := []struct {
		name  string
		parse func([]byte, int) (*Node, error)
		src   string
		want  int // keys of the map read
		// last is where the last key is.
		last diag.Pos
	}{
		{"yaml block", yaml, block.String(), n, diag.Pos{Line: n, Col: 1}},
		{"yaml flow", yaml, flow.String(), n, diag.Pos{Line: 1, Col: 1 + len(flow.String()) - len("key99999: v}\n")}},
		// A duplicate after many keys: the fast path gives up, yaml.v3
		// reads the document.
		{"yaml block with a late duplicate", yaml, block.String() + "key7: again\n", n + 1, diag.Pos{Line: n + 1, Col: 1}},
		{"toml keys", FromTOML, toml.String(), n, diag.Pos{Line: n, Col: 1}},
		{"toml tables", FromTOML, tables.String(), n, diag.Pos{Line: 2*n - 1, Col: 2}},
		{"json", FromJSON, json.String(), n, diag.Pos{Line: 1, Col: 1 + len(json.String()) - len("\"key99999\": \"v\"}")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var root *Node
			var err error
			bounded.Within(t, 10*time.Second, func() { root, err = tt.parse([]byte(tt.src), 1) })
			if err != nil {
				t.Fatal(err)
			}
			m := root
			if e := root.Get("m"); e != nil {
				m = e.Value
			}
			if len(m.Entries) != tt.want {
				t.Fatalf("read %d keys, want %d", len(m.Entries), tt.want)
			}
			if got := m.Entries[len(m.Entries)-1].KeyPos; got != tt.last {
				t.Errorf("last key at %v, want %v", got, tt.last)
			}
		})
	}
}
