package tree

import (
	"errors"
	"strings"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/pelletier/go-toml/v2/unstable"
)

// FromTOML parses a TOML document. firstLine is the file line data starts
// on.
func FromTOML(data []byte, firstLine int) (*Node, error) {
	p := &unstable.Parser{}
	p.Reset(data)
	root := &Node{Kind: Map, Pos: diag.Pos{Line: firstLine, Col: 1}}
	cur := root
	posOf := func(r unstable.Range) diag.Pos {
		s := p.Shape(r)
		return diag.Pos{Line: firstLine + s.Start.Line - 1, Col: s.Start.Column}
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			parent, key, kpos, err := walkKey(cur, e.Key(), posOf)
			if err != nil {
				return nil, err
			}
			v := tomlValue(e.Value(), posOf, 0)
			if parent.Get(key) != nil {
				return nil, &SyntaxError{Pos: kpos, Msg: "TOML: key " + key + " is defined twice"}
			}
			parent.Entries = append(parent.Entries, Entry{Key: key, KeyPos: kpos, Value: v})
		case unstable.Table, unstable.ArrayTable:
			parent, key, kpos, err := walkKey(root, e.Key(), posOf)
			if err != nil {
				return nil, err
			}
			ent := parent.Get(key)
			if e.Kind == unstable.Table {
				if ent == nil {
					parent.Entries = append(parent.Entries, Entry{Key: key, KeyPos: kpos, Value: &Node{Kind: Map, Pos: kpos}})
					ent = &parent.Entries[len(parent.Entries)-1]
				}
				if ent.Value.Kind != Map {
					return nil, &SyntaxError{Pos: kpos, Msg: "TOML: " + key + " is not a table"}
				}
				cur = ent.Value
			} else {
				if ent == nil {
					parent.Entries = append(parent.Entries, Entry{Key: key, KeyPos: kpos, Value: &Node{Kind: List, Pos: kpos}})
					ent = &parent.Entries[len(parent.Entries)-1]
				}
				if ent.Value.Kind != List {
					return nil, &SyntaxError{Pos: kpos, Msg: "TOML: " + key + " is not an array of tables"}
				}
				item := &Node{Kind: Map, Pos: kpos}
				ent.Value.Items = append(ent.Value.Items, item)
				cur = item
			}
		}
	}
	if err := p.Error(); err != nil {
		var pe *unstable.ParserError
		pos := diag.Pos{Line: firstLine, Col: 1}
		msg := err.Error()
		if errors.As(err, &pe) {
			msg = pe.Message
			if len(pe.Highlight) > 0 {
				pos = posOf(p.Range(pe.Highlight))
			}
		}
		return nil, &SyntaxError{Pos: pos, Msg: "TOML: " + msg}
	}
	return root, nil
}

// walkKey resolves a dotted key below m, creating intermediate tables, and
// returns the table the last part belongs to.
func walkKey(m *Node, it unstable.Iterator, posOf func(unstable.Range) diag.Pos) (*Node, string, diag.Pos, error) {
	var parts []string
	var poss []diag.Pos
	for it.Next() {
		k := it.Node()
		parts = append(parts, string(k.Data))
		poss = append(poss, posOf(k.Raw))
	}
	if len(parts) == 0 {
		return nil, "", diag.Pos{}, &SyntaxError{Pos: diag.Pos{Line: 1, Col: 1}, Msg: "TOML: empty key"}
	}
	for i := 0; i < len(parts)-1; i++ {
		ent := m.Get(parts[i])
		if ent == nil {
			m.Entries = append(m.Entries, Entry{Key: parts[i], KeyPos: poss[i], Value: &Node{Kind: Map, Pos: poss[i]}})
			ent = &m.Entries[len(m.Entries)-1]
		}
		switch ent.Value.Kind {
		case Map:
			m = ent.Value
		case List:
			if len(ent.Value.Items) == 0 || ent.Value.Items[len(ent.Value.Items)-1].Kind != Map {
				return nil, "", diag.Pos{}, &SyntaxError{Pos: poss[i], Msg: "TOML: " + strings.Join(parts[:i+1], ".") + " is not a table"}
			}
			m = ent.Value.Items[len(ent.Value.Items)-1]
		default:
			return nil, "", diag.Pos{}, &SyntaxError{Pos: poss[i], Msg: "TOML: " + strings.Join(parts[:i+1], ".") + " is not a table"}
		}
	}
	return m, parts[len(parts)-1], poss[len(poss)-1], nil
}

func tomlValue(v *unstable.Node, posOf func(unstable.Range) diag.Pos, depth int) *Node {
	pos := posOf(v.Raw)
	if depth > maxDepth {
		return &Node{Kind: Null, Pos: pos}
	}
	switch v.Kind {
	case unstable.String:
		return &Node{Kind: Scalar, Pos: pos, Tag: TagString, Value: string(v.Data)}
	case unstable.Integer:
		return &Node{Kind: Scalar, Pos: pos, Tag: TagInt, Value: string(v.Data)}
	case unstable.Float:
		return &Node{Kind: Scalar, Pos: pos, Tag: TagFloat, Value: string(v.Data)}
	case unstable.Bool:
		return &Node{Kind: Scalar, Pos: pos, Tag: TagBool, Value: string(v.Data)}
	case unstable.DateTime, unstable.LocalDateTime, unstable.LocalDate, unstable.LocalTime:
		return &Node{Kind: Scalar, Pos: pos, Tag: TagTimestamp, Value: string(v.Data)}
	case unstable.Array:
		n := &Node{Kind: List, Pos: pos}
		it := v.Children()
		for it.Next() {
			n.Items = append(n.Items, tomlValue(it.Node(), posOf, depth+1))
		}
		return n
	case unstable.InlineTable:
		n := &Node{Kind: Map, Pos: pos}
		it := v.Children()
		for it.Next() {
			kv := it.Node()
			parent, key, kpos, err := walkKey(n, kv.Key(), posOf)
			if err != nil {
				continue
			}
			parent.Entries = append(parent.Entries, Entry{Key: key, KeyPos: kpos, Value: tomlValue(kv.Value(), posOf, depth+1)})
		}
		return n
	}
	return &Node{Kind: Null, Pos: pos}
}
