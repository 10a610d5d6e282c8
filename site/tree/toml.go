package tree

import (
	"bytes"
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
	// Positions by binary search in the line starts: Parser.Shape counts
	// the lines from the start of the document at each call.
	lines := newLineStarts(data)
	posOf := func(r unstable.Range) diag.Pos {
		line, col := lines.at(int(r.Offset))
		return diag.Pos{Line: firstLine + line - 1, Col: col}
	}
	// keys indexes the entries of each table by key, so that a document
	// of many keys is read in linear time.
	keys := tomlKeys{}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			parent, key, kpos, err := walkKey(cur, e.Key(), posOf, keys)
			if err != nil {
				return nil, err
			}
			v := tomlValue(e.Value(), posOf, 0)
			if keys.get(parent, key) != nil {
				return nil, &SyntaxError{Pos: kpos, Msg: "TOML: key " + key + " is defined twice"}
			}
			keys.add(parent, Entry{Key: key, KeyPos: kpos, Value: v})
		case unstable.Table, unstable.ArrayTable:
			parent, key, kpos, err := walkKey(root, e.Key(), posOf, keys)
			if err != nil {
				return nil, err
			}
			ent := keys.get(parent, key)
			if e.Kind == unstable.Table {
				if ent == nil {
					ent = keys.add(parent, Entry{Key: key, KeyPos: kpos, Value: &Node{Kind: Map, Pos: kpos}})
				}
				if ent.Value.Kind != Map {
					return nil, &SyntaxError{Pos: kpos, Msg: "TOML: " + key + " is not a table"}
				}
				cur = ent.Value
			} else {
				if ent == nil {
					ent = keys.add(parent, Entry{Key: key, KeyPos: kpos, Value: &Node{Kind: List, Pos: kpos}})
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
				r := p.Range(pe.Highlight)
				pos = posOf(r)
				if open, quote, ok := unclosedString(data, int(r.Offset), pe.Message); ok {
					pos = posOf(unstable.Range{Offset: uint32(open)})
					msg = "the string opened here is never closed; add the closing " + quote
				}
			}
		}
		return nil, &SyntaxError{Pos: pos, Msg: "TOML: " + msg}
	}
	return root, nil
}

// tomlKeys maps each table to the index of each of its keys in Entries.
type tomlKeys map[*Node]map[string]int

// get returns m's entry for key, or nil.
func (k tomlKeys) get(m *Node, key string) *Entry {
	if i, ok := k[m][key]; ok {
		return &m.Entries[i]
	}
	return nil
}

// add appends e to m's entries and returns it.
func (k tomlKeys) add(m *Node, e Entry) *Entry {
	idx := k[m]
	if idx == nil {
		idx = map[string]int{}
		k[m] = idx
	}
	idx[e.Key] = len(m.Entries)
	m.Entries = append(m.Entries, e)
	return &m.Entries[len(m.Entries)-1]
}

// walkKey resolves a dotted key below m, creating intermediate tables, and
// returns the table the last part belongs to.
func walkKey(m *Node, it unstable.Iterator, posOf func(unstable.Range) diag.Pos, keys tomlKeys) (*Node, string, diag.Pos, error) {
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
		ent := keys.get(m, parts[i])
		if ent == nil {
			ent = keys.add(m, Entry{Key: parts[i], KeyPos: poss[i], Value: &Node{Kind: Map, Pos: poss[i]}})
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
		keys := tomlKeys{}
		it := v.Children()
		for it.Next() {
			kv := it.Node()
			parent, key, kpos, err := walkKey(n, kv.Key(), posOf, keys)
			if err != nil {
				continue
			}
			keys.add(parent, Entry{Key: key, KeyPos: kpos, Value: tomlValue(kv.Value(), posOf, depth+1)})
		}
		return n
	}
	return &Node{Kind: Null, Pos: pos}
}

// unclosedString finds where the string that go-toml found unclosed
// opened (it reports the end of the line, or of the document, at off),
// and the quote that would close it. ok is false when msg is about
// something else.
func unclosedString(data []byte, off int, msg string) (open int, quote string, ok bool) {
	off = min(off, len(data))
	switch {
	case strings.HasPrefix(msg, "multiline basic string not terminated"):
		quote = `"""`
	case strings.HasPrefix(msg, "multiline literal string not terminated"):
		quote = "'''"
	case strings.Contains(msg, "strings cannot have new lines") || strings.HasPrefix(msg, "unterminated "):
		return unclosedOnLine(data, off)
	default:
		return 0, "", false
	}
	// Nothing closes a multi-line string once it is open: the last
	// delimiter before the end opened it.
	if i := bytes.LastIndex(data[:off], []byte(quote)); i >= 0 {
		return i, quote, true
	}
	return 0, "", false
}

// unclosedOnLine finds the string left open on the line that holds
// data[off], reading the line as TOML does: "basic" strings with \
// escapes, 'literal' strings, and # comments outside strings.
func unclosedOnLine(data []byte, off int) (int, string, bool) {
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	open, quote := -1, byte(0)
	for i := start; i < off; i++ {
		c := data[i]
		switch {
		case quote == 0 && c == '#':
			return 0, "", false
		case quote == 0 && (c == '"' || c == '\''):
			open, quote = i, c
		case quote == '"' && c == '\\':
			i++
		case c == quote:
			open, quote = -1, 0
		}
	}
	if open < 0 {
		return 0, "", false
	}
	return open, string(quote), true
}
