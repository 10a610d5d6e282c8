package tree

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/diag"
	"gopkg.in/yaml.v3"
)

// The fast path: a hand-written parser for the YAML subset that front
// matter uses (block mappings with plain keys, block sequences, one-line
// flow collections, one-line plain and quoted scalars, comments). It
// produces exactly the tree that yamlConv builds from yaml.v3's output,
// and gives up (ok == false) on anything outside the subset or anything it
// is unsure of, so that FromYAML falls back to yaml.v3, which then also
// reports syntax errors with its own messages. Anchors (&a) and aliases
// (*a) are outside the subset ('&' and '*' may not start a key or a plain
// value here), so their expansion is always bounded by yamlConv's
// MaxAliasNodes.

// fastMaxDepth bounds the nesting the fast path accepts, well below
// maxDepth so that yaml.v3's tree is never clipped where ours is not.
const fastMaxDepth = 24

// fastMaxKey bounds key length: yaml.v3 refuses simple keys of more than
// 1024 characters.
const fastMaxKey = 256

// fastLine is one line holding content (not blank, not only a comment).
type fastLine struct {
	num    int    // 1-based line number in the file
	indent int    // leading spaces
	text   string // the line without its line break
	ascii  bool   // text has only ASCII bytes (columns are byte offsets)
}

type fastParser struct {
	lines []fastLine
	i     int
	slab  []Node // nodes are carved from here: one allocation for many
	// entries and items are carved from these the same way, with their
	// capacity capped so that an append past it cannot run into the next
	// one.
	entries []Entry
	items   []*Node
	// nEntries and nItems count what the document asked for, so that
	// the next one gets it in one piece.
	nEntries, nItems int
	// flowItems and flowEntries collect a flow collection's items or
	// entries (nested ones above them) until its end, when they are
	// copied to a slice of the right size.
	flowItems   []*Node
	flowEntries []Entry
}

// node returns a new node from the slab.
func (p *fastParser) node(n Node) *Node {
	if len(p.slab) == cap(p.slab) {
		p.slab = make([]Node, 0, 32)
	}
	p.slab = append(p.slab, n)
	return &p.slab[len(p.slab)-1]
}

// newEntries returns an empty slice with room for n entries.
func (p *fastParser) newEntries(n int) []Entry {
	p.nEntries += n
	if cap(p.entries)-len(p.entries) < n {
		p.entries = make([]Entry, 0, max(n, 32))
	}
	l := len(p.entries)
	p.entries = p.entries[:l+n]
	return p.entries[l : l : l+n]
}

// newItems returns an empty slice with room for n items.
func (p *fastParser) newItems(n int) []*Node {
	p.nItems += n
	if cap(p.items)-len(p.items) < n {
		p.items = make([]*Node, 0, max(n, 32))
	}
	l := len(p.items)
	p.items = p.items[:l+n]
	return p.items[l : l : l+n]
}

// YAMLParser is FromYAML that reuses its memory from one document to the
// next: the tree Parse returns is valid only until the next call. It
// suits a loop that reads each tree right away (a front matter decoder);
// a YAMLParser is not safe for concurrent use.
type YAMLParser struct {
	lines   []fastLine
	nodes   []Node
	entries []Entry
	items   []*Node
	// flowItems and flowEntries are fastParser's, kept for the next
	// document.
	flowItems   []*Node
	flowEntries []Entry
}

// Parse is FromYAML(data, firstLine), with the memory of the previous tree
// reused for this one.
func (y *YAMLParser) Parse(data []byte, firstLine int) (*Node, error) {
	if n, ok := y.fast(data, firstLine); ok {
		return n, nil
	}
	return fromYAMLV3(data, firstLine)
}

// fromYAMLFast parses data with the fast path. ok is false when the data is
// outside the subset; the caller then uses yaml.v3.
func fromYAMLFast(data []byte, firstLine int) (n *Node, ok bool) {
	return new(YAMLParser).fast(data, firstLine)
}

// fast parses data with the fast path, in y's memory.
func (y *YAMLParser) fast(data []byte, firstLine int) (n *Node, ok bool) {
	lines, nodes, ok := fastSplit(y.lines[:0], data, firstLine-1)
	if !ok {
		return nil, false
	}
	y.lines = lines
	if len(lines) == 0 {
		return &Node{Kind: Map, Pos: diag.Pos{Line: firstLine, Col: 1}}, true
	}
	if cap(y.nodes) < nodes {
		y.nodes = make([]Node, 0, nodes)
	}
	// The previous tree's nodes, entries and items are overwritten: clear
	// what is not, so that it does not keep the previous document alive.
	clear(y.nodes[:cap(y.nodes)])
	clear(y.entries[:cap(y.entries)])
	clear(y.items[:cap(y.items)])
	p := &fastParser{lines: lines, slab: y.nodes[:0], entries: y.entries[:0], items: y.items[:0],
		flowItems: y.flowItems[:0], flowEntries: y.flowEntries[:0]}
	first := lines[0]
	if isSeqItem(first.text, first.indent) {
		return nil, false // a root sequence: rare, leave it to yaml.v3
	}
	root, ok := p.parseMap(first.indent, first.indent, 1)
	y.flowItems, y.flowEntries = p.flowItems[:0], p.flowEntries[:0]
	clear(y.flowItems[:cap(y.flowItems)])
	clear(y.flowEntries[:cap(y.flowEntries)])
	// When this document did not fit, the next one gets room for all of
	// it in one piece (the chunks made here are left to this tree).
	if p.nEntries > cap(y.entries) {
		y.entries = make([]Entry, 0, p.nEntries+p.nEntries/4)
	}
	if p.nItems > cap(y.items) {
		y.items = make([]*Node, 0, p.nItems+p.nItems/4)
	}
	if !ok || p.i != len(p.lines) {
		return nil, false
	}
	return root, true
}

// fastSplit checks the characters of data and returns its content lines,
// and a guess of how many nodes the document makes: about one per line,
// one more per block sequence item, one per flow collection and one per
// flow item after the first.
func fastSplit(lines []fastLine, data []byte, off int) ([]fastLine, int, bool) {
	lines = slices.Grow(lines[:0], bytes.Count(data, []byte{'\n'})+1)
	nodes := 4
	num := off
	// One copy for the lines: keys and values are pieces of it. A kept
	// value keeps the whole block alive, but front matter is small and
	// most of its values are kept anyway (copying each key and value was
	// a fifth of the allocations of loading a postmortem).
	all := string(data)
	for start := 0; start < len(data); {
		end := start
		ascii := true
		for end < len(data) && data[end] != '\n' {
			c := data[end]
			switch {
			case c >= 0x80:
				ascii = false
			case c < 0x20 || c == 0x7f:
				return nil, 0, false // tabs, CR, control characters
			case c == ',' || c == '[' || c == '{':
				nodes++
			case c == '-' && end+1 < len(data) && data[end+1] == ' ':
				nodes++
			}
			end++
		}
		num++
		text := all[start:end]
		start = end + 1
		if !ascii && !fastValidText(text) {
			return nil, 0, false
		}
		indent := 0
		for indent < len(text) && text[indent] == ' ' {
			indent++
		}
		if indent == len(text) || text[indent] == '#' {
			continue // blank or comment line
		}
		if indent == 0 && len(text) >= 3 &&
			(strings.HasPrefix(text, "---") || strings.HasPrefix(text, "...")) &&
			(len(text) == 3 || text[3] == ' ') {
			return nil, 0, false // document marker
		}
		if indent == 0 && text[0] == '%' {
			return nil, 0, false // directive
		}
		lines = append(lines, fastLine{num: num, indent: indent, text: text, ascii: ascii})
		nodes++
	}
	return lines, nodes, true
}

// fastValidText reports whether the non-ASCII characters of s are ones
// yaml.v3 reads as ordinary printable characters.
func fastValidText(s string) bool {
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			return false // invalid UTF-8 (or a literal U+FFFD: fall back anyway)
		case r >= 0x80 && r < 0xA0, r == 0x2028, r == 0x2029, r == 0xFEFF, r == 0xFFFE, r == 0xFFFF:
			return false
		}
	}
	return true
}

func (p *fastParser) pos(ln *fastLine, j int) diag.Pos {
	col := j + 1
	if !ln.ascii {
		col = utf8.RuneCountInString(ln.text[:j]) + 1
	}
	return diag.Pos{Line: ln.num, Col: col}
}

func isSeqItem(text string, j int) bool {
	return j < len(text) && text[j] == '-' && (j+1 == len(text) || text[j+1] == ' ')
}

func isKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == '.' || c == '/'
}

// scanKey returns the end of a plain key starting at j, that is the
// index of its ':', which is followed by a space or the end of the line.
func scanKey(text string, j int) (int, bool) {
	if j >= len(text) {
		return 0, false
	}
	c := text[j]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
		return 0, false
	}
	k := j
	for k < len(text) && isKeyChar(text[k]) {
		k++
	}
	if k-j > fastMaxKey || k >= len(text) || text[k] != ':' || (k+1 < len(text) && text[k+1] != ' ') {
		return 0, false
	}
	return k, true
}

// parseMap parses a block mapping whose keys are at column c (0-based). The
// first key is on the current line at byte j (j == c except after "- ").
func (p *fastParser) parseMap(c, j, depth int) (*Node, bool) {
	if depth > fastMaxDepth {
		return nil, false
	}
	n := p.node(Node{Kind: Map})
	n.Entries = p.newEntries(p.count(c, false))
	var seen map[string]struct{}
	first := true
	for p.i < len(p.lines) {
		ln := &p.lines[p.i]
		kj := j
		if !first {
			if ln.indent < c {
				break
			}
			if ln.indent > c {
				return nil, false
			}
			kj = c
		}
		k, ok := scanKey(ln.text, kj)
		if !ok {
			return nil, false
		}
		key := ln.text[kj:k]
		if key == "<<" {
			return nil, false
		}
		if dupKey(n.Entries, key, &seen) {
			return nil, false // duplicate key
		}
		keyPos := p.pos(ln, kj)
		if first {
			n.Pos = keyPos
			first = false
		}
		v := k + 1
		for v < len(ln.text) && ln.text[v] == ' ' {
			v++
		}
		var val *Node
		if v == len(ln.text) || ln.text[v] == '#' {
			// Nothing on the line: a nested block or null.
			nullPos := p.pos(ln, k+1)
			p.i++
			val, ok = p.parseNested(c, nullPos, depth)
		} else {
			val, ok = p.parseInline(ln, v, depth)
			p.i++
		}
		if !ok {
			return nil, false
		}
		n.Entries = append(n.Entries, Entry{Key: key, KeyPos: keyPos, Value: val})
	}
	return n, true
}

// smallMap is the number of keys up to which dupKey compares a new key
// with each earlier one; past it, it looks keys up in a set.
const smallMap = 16

// dupKey reports whether key is already one of the keys of entries, the
// entries read so far of one mapping. Up to smallMap entries it compares;
// then it keeps every key in *seen (made on first need), so that a mapping
// of many keys (a hostile front matter of 100k keys) is read in linear
// time, not in time quadratic in its number of keys.
func dupKey(entries []Entry, key string, seen *map[string]struct{}) bool {
	if len(entries) < smallMap {
		for i := range entries {
			if entries[i].Key == key {
				return true
			}
		}
		return false
	}
	if *seen == nil {
		*seen = make(map[string]struct{}, 2*len(entries))
		for i := range entries {
			(*seen)[entries[i].Key] = struct{}{}
		}
	}
	if _, dup := (*seen)[key]; dup {
		return true
	}
	(*seen)[key] = struct{}{}
	return false
}

// count returns 1 (the current line) plus how many of the following
// lines, before the first line indented less than c, are at column c and
// are sequence items (seq) or not: the size of the block collection that
// starts on the current line, give or take (the current line may be a
// "- key: value" whose key is at column c).
func (p *fastParser) count(c int, seq bool) int {
	n := 1
	for i := p.i + 1; i < len(p.lines); i++ {
		ln := &p.lines[i]
		if ln.indent < c {
			break
		}
		if ln.indent == c && isSeqItem(ln.text, c) == seq {
			n++
		}
	}
	return n
}

// parseNested parses the value of a key at column c that has nothing on
// its own line.
func (p *fastParser) parseNested(c int, nullPos diag.Pos, depth int) (*Node, bool) {
	if p.i < len(p.lines) {
		ln := &p.lines[p.i]
		switch {
		case ln.indent > c:
			if isSeqItem(ln.text, ln.indent) {
				return p.parseSeq(ln.indent, false, depth+1)
			}
			return p.parseMap(ln.indent, ln.indent, depth+1)
		case ln.indent == c && isSeqItem(ln.text, c):
			return p.parseSeq(c, true, depth+1)
		}
	}
	return p.node(Node{Kind: Null, Pos: nullPos}), true
}

// parseSeq parses a block sequence whose "-" are at column c. An
// indentless sequence (the value of a key at the same column) ends at the
// first line at column c that is not an item.
func (p *fastParser) parseSeq(c int, indentless bool, depth int) (*Node, bool) {
	if depth > fastMaxDepth {
		return nil, false
	}
	n := p.node(Node{Kind: List, Pos: p.pos(&p.lines[p.i], c)})
	n.Items = p.newItems(p.count(c, true))
	for p.i < len(p.lines) {
		ln := &p.lines[p.i]
		if ln.indent < c {
			break
		}
		if ln.indent > c {
			return nil, false
		}
		if !isSeqItem(ln.text, c) {
			if indentless {
				break
			}
			return nil, false
		}
		j := c + 1
		for j < len(ln.text) && ln.text[j] == ' ' {
			j++
		}
		if j == len(ln.text) || ln.text[j] == '#' || j == c+1 || isSeqItem(ln.text, j) {
			return nil, false // empty item, item below, "- - x"
		}
		var item *Node
		var ok bool
		if _, isKey := scanKey(ln.text, j); isKey {
			item, ok = p.parseMap(j, j, depth+1)
		} else {
			item, ok = p.parseInline(ln, j, depth+1)
			p.i++
		}
		if !ok {
			return nil, false
		}
		n.Items = append(n.Items, item)
	}
	return n, true
}

// restIsBlank reports whether text from j on holds only spaces and maybe a
// comment after at least one space.
func restIsBlank(text string, j int) bool {
	k := j
	for k < len(text) && text[k] == ' ' {
		k++
	}
	return k == len(text) || (text[k] == '#' && k > j)
}

// isIndicator reports whether c may not start a plain scalar.
func isIndicator(c byte) bool {
	switch c {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return true
	}
	return false
}

// parseInline parses a value that starts at byte j of a line in block
// context and ends with the line.
func (p *fastParser) parseInline(ln *fastLine, j, depth int) (*Node, bool) {
	text := ln.text
	switch c := text[j]; c {
	case '"', '\'':
		val, end, ok := scanQuoted(text, j)
		if !ok || !restIsBlank(text, end) {
			return nil, false
		}
		return p.node(Node{Kind: Scalar, Pos: p.pos(ln, j), Tag: TagString, Value: val}), true
	case '[', '{':
		n, end, ok := p.parseFlow(ln, j, depth+1, 1)
		if !ok || !restIsBlank(text, end) {
			return nil, false
		}
		return n, true
	}
	if !plainStart(text, j) {
		return nil, false
	}
	end := len(text)
	if h := strings.Index(text[j:], " #"); h >= 0 {
		end = j + h
	}
	for end > j && text[end-1] == ' ' {
		end--
	}
	val := text[j:end]
	if strings.Contains(val, ": ") || val[len(val)-1] == ':' {
		return nil, false
	}
	return p.plain(ln, j, val)
}

// plainStart reports whether a plain scalar may start at text[j] in the
// subset: not an indicator, except "-" before a letter, digit or ".".
func plainStart(text string, j int) bool {
	c := text[j]
	if !isIndicator(c) {
		return true
	}
	if c == '-' && j+1 < len(text) {
		d := text[j+1]
		return d >= '0' && d <= '9' || d >= 'a' && d <= 'z' || d >= 'A' && d <= 'Z' || d == '.'
	}
	return false
}

// plain makes the node of a plain scalar, resolved as yaml.v3 does.
func (p *fastParser) plain(ln *fastLine, j int, val string) (*Node, bool) {
	if val == "<<" {
		return nil, false
	}
	pos := p.pos(ln, j)
	tag := TagString
	switch val[0] {
	case 'y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O', '~':
		// yaml.v3 only looks these up in its table of names.
		switch val {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			tag = TagBool
		case "~", "null", "Null", "NULL":
			return p.node(Node{Kind: Null, Pos: pos}), true
		}
	case '+', '-', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if isPlainDecimal(val) {
			tag = TagInt
			break
		}
		if isSimpleTimestamp(val) {
			tag = TagTimestamp
			break
		}
		if val[0] != '.' && !numberish(val) && !isSignedInf(val) {
			break // a string, such as an id "2023-05-02-edge-cert"
		}
		// Ask yaml.v3's own resolver (the other first characters always
		// resolve to !!str).
		y := yaml.Node{Kind: yaml.ScalarNode, Value: val}
		switch y.ShortTag() {
		case "!!null":
			return p.node(Node{Kind: Null, Pos: pos}), true
		case "!!int":
			tag = TagInt
		case "!!float":
			tag = TagFloat
		case "!!bool":
			tag = TagBool
		case "!!timestamp":
			tag = TagTimestamp
		case "!!str":
		default:
			return nil, false
		}
	}
	return p.node(Node{Kind: Scalar, Pos: pos, Tag: tag, Value: val}), true
}

// scanQuoted reads a quoted scalar that starts at text[j] and ends on the
// same line, returning its value and the index after the closing quote.
func scanQuoted(text string, j int) (string, int, bool) {
	q := text[j]
	k := j + 1
	// Fast case: no escapes.
	for k < len(text) && text[k] != q && text[k] != '\\' {
		k++
	}
	if k == len(text) {
		return "", 0, false
	}
	if text[k] == q && (q == '"' || k+1 >= len(text) || text[k+1] != '\'') {
		return text[j+1 : k], k + 1, true
	}
	var b strings.Builder
	b.WriteString(text[j+1 : k])
	for k < len(text) {
		c := text[k]
		switch {
		case q == '\'' && c == '\'':
			if k+1 < len(text) && text[k+1] == '\'' {
				b.WriteByte('\'')
				k += 2
				continue
			}
			return b.String(), k + 1, true
		case q == '"' && c == '"':
			return b.String(), k + 1, true
		case q == '"' && c == '\\':
			if k+1 >= len(text) {
				return "", 0, false
			}
			switch e := text[k+1]; e {
			case '"', '\\':
				b.WriteByte(e)
				k += 2
			case 'n':
				b.WriteByte('\n')
				k += 2
			case 't':
				b.WriteByte('\t')
				k += 2
			case 'u':
				if k+6 > len(text) {
					return "", 0, false
				}
				r := rune(0)
				for _, h := range []byte(text[k+2 : k+6]) {
					switch {
					case h >= '0' && h <= '9':
						r = r<<4 | rune(h-'0')
					case h >= 'a' && h <= 'f':
						r = r<<4 | rune(h-'a'+10)
					case h >= 'A' && h <= 'F':
						r = r<<4 | rune(h-'A'+10)
					default:
						return "", 0, false
					}
				}
				if r >= 0xD800 && r <= 0xDFFF {
					return "", 0, false
				}
				b.WriteRune(r)
				k += 6
			default:
				return "", 0, false
			}
		default:
			b.WriteByte(c)
			k++
		}
	}
	return "", 0, false
}

// parseFlow parses a one-line flow collection starting at text[j] ('[' or
// '{'), returning the index after its closing bracket. level counts flow
// nesting: two levels are accepted.
func (p *fastParser) parseFlow(ln *fastLine, j, depth, level int) (*Node, int, bool) {
	if level > 2 || depth > fastMaxDepth {
		return nil, 0, false
	}
	text := ln.text
	isMap := text[j] == '{'
	closer := byte(']')
	n := p.node(Node{Kind: List, Pos: p.pos(ln, j)})
	if isMap {
		closer = '}'
		n.Kind = Map
	}
	k := skipSpaces(text, j+1)
	if k < len(text) && text[k] == closer {
		return n, k + 1, true
	}
	// The items or entries go above those of the collections this one
	// is in, and are copied out at the end.
	base := len(p.flowItems)
	if isMap {
		base = len(p.flowEntries)
	}
	var seen map[string]struct{}
	done := func() {
		if isMap {
			n.Entries = append(p.newEntries(len(p.flowEntries)-base), p.flowEntries[base:]...)
			p.flowEntries = p.flowEntries[:base]
		} else {
			n.Items = append(p.newItems(len(p.flowItems)-base), p.flowItems[base:]...)
			p.flowItems = p.flowItems[:base]
		}
	}
	for {
		var keyPos diag.Pos
		var key string
		if isMap {
			e, ok := scanKey(text, k)
			if !ok || e+1 >= len(text) {
				return nil, 0, false
			}
			key = text[k:e]
			if key == "<<" {
				return nil, 0, false
			}
			if dupKey(p.flowEntries[base:], key, &seen) {
				return nil, 0, false
			}
			keyPos = p.pos(ln, k)
			k = skipSpaces(text, e+1)
		}
		item, end, ok := p.parseFlowItem(ln, k, depth, level)
		if !ok {
			return nil, 0, false
		}
		if isMap {
			p.flowEntries = append(p.flowEntries, Entry{Key: key, KeyPos: keyPos, Value: item})
		} else {
			p.flowItems = append(p.flowItems, item)
		}
		k = skipSpaces(text, end)
		if k >= len(text) {
			return nil, 0, false
		}
		if text[k] == closer {
			done()
			return n, k + 1, true
		}
		if text[k] != ',' {
			return nil, 0, false
		}
		k = skipSpaces(text, k+1)
		if k >= len(text) || text[k] == closer || text[k] == ',' {
			return nil, 0, false // trailing or doubled comma
		}
	}
}

func skipSpaces(text string, k int) int {
	for k < len(text) && text[k] == ' ' {
		k++
	}
	return k
}

// parseFlowItem parses one value inside a flow collection.
func (p *fastParser) parseFlowItem(ln *fastLine, k, depth, level int) (*Node, int, bool) {
	text := ln.text
	if k >= len(text) {
		return nil, 0, false
	}
	switch text[k] {
	case '"', '\'':
		val, end, ok := scanQuoted(text, k)
		if !ok {
			return nil, 0, false
		}
		return p.node(Node{Kind: Scalar, Pos: p.pos(ln, k), Tag: TagString, Value: val}), end, true
	case '[', '{':
		return p.parseFlow(ln, k, depth+1, level+1)
	}
	if !plainStart(text, k) {
		return nil, 0, false
	}
	e := k
	for e < len(text) {
		c := text[e]
		if c == ',' || c == ']' || c == '}' {
			break
		}
		switch c {
		case '[', '{', '?', '#', '"', '\'':
			return nil, 0, false
		case ':':
			if e+1 >= len(text) {
				return nil, 0, false
			}
			switch text[e+1] {
			case ' ', ',', ']', '}', '[', '{':
				return nil, 0, false
			}
		}
		e++
	}
	end := e
	for end > k && text[end-1] == ' ' {
		end--
	}
	n, ok := p.plain(ln, k, text[k:end])
	return n, e, ok
}

// isPlainDecimal reports whether s is an optionally signed decimal integer
// without leading zeros that fits in an int64: yaml.v3 resolves those to
// !!int (it would also for other forms, which the caller leaves to it).
func isPlainDecimal(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 18 || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isSimpleTimestamp reports whether s is a valid date "YYYY-MM-DD" or UTC
// date-time "YYYY-MM-DDTHH:MM:SSZ", two shapes that yaml.v3's
// parseTimestamp accepts exactly when the fields are in range (its
// time.Parse layouts reject day 31 of a 30-day month, hour 24, second 60).
func isSimpleTimestamp(s string) bool {
	if len(s) != 10 && len(s) != 20 {
		return false
	}
	num := func(i, n int) int {
		v := 0
		for k := i; k < i+n; k++ {
			c := s[k]
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, m, d := num(0, 4), num(5, 2), num(8, 2)
	if y < 0 || m < 1 || m > 12 || d < 1 || s[4] != '-' || s[7] != '-' {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	if d > days {
		return false
	}
	if len(s) == 10 {
		return true
	}
	h, mi, sec := num(11, 2), num(14, 2), num(17, 2)
	return s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z' &&
		h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 60
}

// numberish reports whether every byte of s may occur in a value that
// yaml.v3 resolves to an int, float or timestamp after a digit or sign:
// digits, hex digits, signs, "_", ".", base prefixes "0x" "0o" "0b"
// (either case), and the "T", "t", "Z", ":" and " " of timestamps. Any
// other byte makes it a string.
func numberish(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			switch c {
			case '+', '-', '_', '.', 'x', 'X', 'o', 'O', 'T', 't', 'Z', ':', ' ':
			default:
				return false
			}
		}
	}
	return true
}

// isSignedInf reports whether s is one of the names yaml.v3 looks up for
// signed infinities.
func isSignedInf(s string) bool {
	switch s {
	case "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return true
	}
	return false
}
