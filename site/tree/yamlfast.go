package tree

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/diag"
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
// MaxAliasNodes. This file reads the block structure (lines, mappings,
// sequences); yamlfast_value.go reads the values.

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
	nodes := 4 + bytes.Count(data, []byte{','}) + bytes.Count(data, []byte{'['}) + bytes.Count(data, []byte{'{'}) +
		bytes.Count(data, []byte("- "))
	num := off
	// One copy for the lines: keys and values are pieces of it. A kept
	// value keeps the whole block alive, but front matter is small and
	// most of its values are kept anyway (copying each key and value was
	// a fifth of the allocations of loading a postmortem).
	all := string(data)
	for start := 0; start < len(data); {
		end := len(data)
		if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
			end = start + i
		}
		ascii := true
		for _, c := range data[start:end] {
			if c < 0x20 || c >= 0x7f {
				if c < 0x80 {
					return nil, 0, false // tabs, CR, control characters
				}
				ascii = false
			}
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
// with each earlier one; past it, it looks keys up in a set. A front
// matter has 15 to 25 keys: at 32 its top mapping needs no set (a set
// was the largest allocation of reading one, 3 KB), and a key is still
// compared with at most 31 others.
const smallMap = 32

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
