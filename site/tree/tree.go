package tree

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hindsight-kb/hindsight/site/diag"
)

// Kind is the shape of a Node.
type Kind int

const (
	// Null is an explicit null or an empty value.
	Null Kind = iota
	// Scalar is a string, number, bool or datetime.
	Scalar
	// Map is a mapping of keys to nodes, in file order.
	Map
	// List is a sequence of nodes.
	List
)

// String names the kind for messages: "null", "value", "map", "list".
func (k Kind) String() string {
	switch k {
	case Scalar:
		return "value"
	case Map:
		return "map"
	case List:
		return "list"
	}
	return "null"
}

// Scalar tags: what the source syntax said a scalar is.
const (
	TagString    = "string"
	TagInt       = "int"
	TagFloat     = "float"
	TagBool      = "bool"
	TagTimestamp = "timestamp"
)

// Node is one value of a parsed document.
type Node struct {
	Kind Kind
	// Pos is where the value starts.
	Pos diag.Pos
	// Tag is one of the Tag constants for scalars.
	Tag string
	// Value is the scalar's text (unquoted).
	Value string
	// Entries holds a Map's key/value pairs in file order.
	Entries []Entry
	// Items holds a List's elements.
	Items []*Node
}

// Entry is one key of a Map.
type Entry struct {
	Key    string
	KeyPos diag.Pos
	Value  *Node
}

// Get returns the entry for key in a Map node, or nil.
func (n *Node) Get(key string) *Entry {
	if n == nil || n.Kind != Map {
		return nil
	}
	for i := range n.Entries {
		if n.Entries[i].Key == key {
			return &n.Entries[i]
		}
	}
	return nil
}

// Describe says what a node is, for "expected a list, got a map" messages.
func (n *Node) Describe() string {
	if n == nil || n.Kind == Null {
		return "nothing"
	}
	if n.Kind == Scalar {
		switch n.Tag {
		case TagInt, TagFloat:
			return "a number (" + n.Value + ")"
		case TagBool:
			return "a boolean (" + n.Value + ")"
		case TagTimestamp:
			return "a date (" + n.Value + ")"
		}
		return fmt.Sprintf("the text %q", n.Value)
	}
	return "a " + n.Kind.String()
}

// AsString returns a scalar's text; ok is false for maps, lists and null.
func (n *Node) AsString() (string, bool) {
	if n == nil || n.Kind != Scalar {
		return "", false
	}
	return n.Value, true
}

// AsBool reads a boolean scalar.
func (n *Node) AsBool() (bool, bool) {
	if n == nil || n.Kind != Scalar {
		return false, false
	}
	switch strings.ToLower(n.Value) {
	case "true", "yes", "on":
		return true, n.Tag == TagBool || n.Tag == TagString
	case "false", "no", "off":
		return false, n.Tag == TagBool || n.Tag == TagString
	}
	return false, false
}

// AsInt reads an integer scalar (a float with no fraction is accepted).
func (n *Node) AsInt() (int64, bool) {
	if n == nil || n.Kind != Scalar || n.Tag == TagBool || n.Tag == TagTimestamp {
		return 0, false
	}
	v := strings.ReplaceAll(n.Value, "_", "")
	if i, err := strconv.ParseInt(v, 10, 64); err == nil {
		return i, true
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f == float64(int64(f)) {
		return int64(f), true
	}
	return 0, false
}

// AsFloat reads a number scalar.
func (n *Node) AsFloat() (float64, bool) {
	if n == nil || n.Kind != Scalar || n.Tag == TagBool || n.Tag == TagTimestamp {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	return f, err == nil
}

// AsStrings reads a list of scalars. A single scalar is accepted as a list
// of one when single is true. It returns the strings, their positions and
// the first offending node (nil when all is well).
func (n *Node) AsStrings(single bool) ([]string, []diag.Pos, *Node) {
	if n == nil || n.Kind == Null {
		return nil, nil, nil
	}
	if n.Kind == Scalar {
		if single {
			return []string{n.Value}, []diag.Pos{n.Pos}, nil
		}
		return nil, nil, n
	}
	if n.Kind != List {
		return nil, nil, n
	}
	out := make([]string, 0, len(n.Items))
	pos := make([]diag.Pos, 0, len(n.Items))
	for _, it := range n.Items {
		if it.Kind != Scalar {
			return nil, nil, it
		}
		out = append(out, it.Value)
		pos = append(pos, it.Pos)
	}
	return out, pos, nil
}

// SyntaxError is a parse error at a position in the file.
type SyntaxError struct {
	Pos diag.Pos
	Msg string
}

// Error returns "line L col C: msg".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d col %d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
}

// lineStarts holds the byte offset of the start of each line of a
// document, to turn offsets into positions by binary search (a scan from
// the start for each key made many-key documents quadratic).
type lineStarts []int

// newLineStarts indexes the lines of data.
func newLineStarts(data []byte) lineStarts {
	ls := make(lineStarts, 1, bytes.Count(data, []byte{'\n'})+1)
	for off, i := 0, 0; ; off += i + 1 {
		if i = bytes.IndexByte(data[off:], '\n'); i < 0 {
			return ls
		}
		ls = append(ls, off+i+1)
	}
}

// at returns the 1-based line and byte column of offset off.
func (ls lineStarts) at(off int) (line, col int) {
	i := sort.Search(len(ls), func(i int) bool { return ls[i] > off }) - 1
	return i + 1, off - ls[i] + 1
}
