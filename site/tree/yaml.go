package tree

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hindsight-kb/hindsight/site/diag"
	"gopkg.in/yaml.v3"
)

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// FromYAML parses a YAML document. firstLine is the 1-based line of the
// file on which data starts, so positions are those of the file, not of the
// block. An empty document gives an empty Map.
//
// Simple documents (the usual front matter) take a hand-written fast path
// that builds the same tree; anything else goes through yaml.v3.
func FromYAML(data []byte, firstLine int) (*Node, error) {
	if n, ok := fromYAMLFast(data, firstLine); ok {
		return n, nil
	}
	return fromYAMLV3(data, firstLine)
}

// fromYAMLV3 is FromYAML through yaml.v3 only.
func fromYAMLV3(data []byte, firstLine int) (*Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(err, firstLine, data)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return &Node{Kind: Map, Pos: diag.Pos{Line: firstLine, Col: 1}}, nil
	}
	c := &yamlConv{off: firstLine - 1}
	n := c.node(doc.Content[0], 0)
	if c.err != nil {
		return nil, c.err
	}
	return n, nil
}

func yamlError(err error, firstLine int, data []byte) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	line := 0
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
		}
		msg = msg[len(m[0]):]
		// yaml.v3 numbers parser errors (unlike scanner errors) from 0:
		// "severity: [SEV2" on line 2 is reported as line 1.
		if line > 0 && yamlParserProblems[msg] {
			line++
		}
	} else if strings.HasPrefix(msg, "line ") {
		// TypeError entries: "line 3: cannot unmarshal ..."
		rest := msg[len("line "):]
		if i := strings.IndexByte(rest, ':'); i > 0 {
			line, _ = strconv.Atoi(rest[:i])
			msg = strings.TrimSpace(rest[i+1:])
		}
	}
	// A problem found at the end of the document (an unclosed "[") is
	// reported on its last line, not on the line after it.
	if last := lastLine(data); line > last {
		line = last
	}
	if line == 0 {
		line = 1
	}
	return &SyntaxError{Pos: diag.Pos{Line: firstLine + line - 1, Col: 1}, Msg: "YAML: " + msg}
}

// lastLine returns the number of the last non-blank line of data.
func lastLine(data []byte) int {
	n, last := 1, 0
	blank := true
	for _, c := range data {
		switch c {
		case '\n':
			if !blank {
				last = n
			}
			n++
			blank = true
		case ' ', '\t', '\r':
		default:
			blank = false
		}
	}
	if !blank {
		last = n
	}
	return last
}

// yamlParserProblems are the messages of yaml.v3's parser errors, whose
// line numbers are 0-based.
var yamlParserProblems = map[string]bool{
	"did not find expected ',' or ']'": true, "did not find expected ',' or '}'": true,
	"did not find expected '-' indicator": true, "did not find expected <document start>": true,
	"did not find expected key": true, "did not find expected node content": true,
	"found duplicate %TAG directive": true, "found duplicate %YAML directive": true,
	"found incompatible YAML document": true, "found undefined tag handle": true,
}

const maxDepth = 64

// MaxAliasNodes bounds how many values the aliases of one YAML document
// may expand to, all aliases together. An alias (*name) copies the value
// of an anchor (&name), and an anchor may hold aliases itself: nine
// anchors of nine aliases each (a "billion laughs") stand for 9^9 values
// in a few hundred bytes, which would take minutes and gigabytes to build.
// Front matter and hindsight.yaml share small values through anchors if at
// all (a list of aliases, a default action); ten thousand values is far
// above that, and costs a few milliseconds to build.
const MaxAliasNodes = 10_000

// yamlConv converts yaml.v3's tree into Nodes, counting what aliases
// expand to.
type yamlConv struct {
	// off is added to yaml.v3's line numbers.
	off int
	// expanded counts the nodes made while expanding aliases.
	expanded int
	// aliases is how many aliases are being expanded, one inside
	// another: nodes made while it is above zero count in expanded.
	aliases int
	// outer is where the outermost alias being expanded is written: the
	// place an error points at (the nodes made are the anchor's, which
	// may be anywhere).
	outer diag.Pos
	// err is the first alias that went over MaxAliasNodes.
	err error
}

func (c *yamlConv) node(y *yaml.Node, depth int) *Node {
	if c.err != nil {
		return &Node{Kind: Null}
	}
	pos := diag.Pos{Line: y.Line + c.off, Col: y.Column}
	if c.aliases > 0 {
		c.expanded++
		if c.expanded > MaxAliasNodes {
			c.err = &SyntaxError{Pos: c.outer, Msg: fmt.Sprintf("YAML: the aliases (*name) of this document expand to more than %d values by this one; "+
				"write the values out instead of repeating anchors inside anchors", MaxAliasNodes)}
			return &Node{Kind: Null, Pos: pos}
		}
	}
	if depth > maxDepth {
		return &Node{Kind: Null, Pos: pos}
	}
	switch y.Kind {
	case yaml.AliasNode:
		if y.Alias != nil {
			if c.aliases == 0 {
				c.outer = pos
			}
			c.aliases++
			n := c.node(y.Alias, depth+1)
			c.aliases--
			n.Pos = pos
			return n
		}
		return &Node{Kind: Null, Pos: pos}
	case yaml.DocumentNode:
		if len(y.Content) > 0 {
			return c.node(y.Content[0], depth+1)
		}
		return &Node{Kind: Null, Pos: pos}
	case yaml.MappingNode:
		n := &Node{Kind: Map, Pos: pos}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Tag == "!!merge" {
				continue
			}
			n.Entries = append(n.Entries, Entry{
				Key:    k.Value,
				KeyPos: diag.Pos{Line: k.Line + c.off, Col: k.Column},
				Value:  c.node(v, depth+1),
			})
		}
		return n
	case yaml.SequenceNode:
		n := &Node{Kind: List, Pos: pos}
		for _, it := range y.Content {
			n.Items = append(n.Items, c.node(it, depth+1))
		}
		return n
	case yaml.ScalarNode:
		// A tag the tree has no kind for (!!binary) reads as a string.
		tag, null, _ := scalarTag(y.ShortTag())
		if null {
			return &Node{Kind: Null, Pos: pos}
		}
		return &Node{Kind: Scalar, Pos: pos, Tag: tag, Value: y.Value}
	}
	return &Node{Kind: Null, Pos: pos}
}

// scalarTag maps yaml.v3's resolved tag of a scalar to the tree's; null
// reports !!null, and ok is false for a tag the tree has no kind for
// (given TagString). The decoder and the fast path (yamlfast_value.go)
// share it.
func scalarTag(short string) (tag string, null, ok bool) {
	switch short {
	case "!!null":
		return "", true, true
	case "!!int":
		return TagInt, false, true
	case "!!float":
		return TagFloat, false, true
	case "!!bool":
		return TagBool, false, true
	case "!!timestamp":
		return TagTimestamp, false, true
	case "!!str":
		return TagString, false, true
	}
	return TagString, false, false
}
