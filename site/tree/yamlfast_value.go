package tree

import (
	"strings"

	"github.com/hindsight-kb/hindsight/site/diag"
	"gopkg.in/yaml.v3"
)

// The fast path's values (see yamlfast.go for its block structure): a
// value on one line in block context, plain and quoted scalars, one-line
// flow collections, and the plain scalars that yaml.v3 would resolve to a
// number, a timestamp or infinity.

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
		t, null, ok := scalarTag(y.ShortTag())
		switch {
		case !ok:
			return nil, false
		case null:
			return p.node(Node{Kind: Null, Pos: pos}), true
		}
		tag = t
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
