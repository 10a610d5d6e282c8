package tree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/hindsight-kb/hindsight/site/diag"
)

// FromJSON parses a JSON object. firstLine is the file line data starts on.
func FromJSON(data []byte, firstLine int) (*Node, error) {
	p := &jsonParser{data: data, lines: newLineStarts(data), dec: json.NewDecoder(bytes.NewReader(data)), firstLine: firstLine}
	p.dec.UseNumber()
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, p.errAt(p.dec.InputOffset(), "unexpected text after the JSON object")
	}
	if n.Kind != Map {
		return nil, &SyntaxError{Pos: n.Pos, Msg: "JSON: front matter must be an object"}
	}
	return n, nil
}

type jsonParser struct {
	data      []byte
	lines     lineStarts
	dec       *json.Decoder
	firstLine int
}

func (p *jsonParser) pos(off int64) diag.Pos {
	if off < 0 {
		off = 0 // a syntax error at the very first byte
	}
	// Skip whitespace and separators the decoder has not consumed yet.
	for off < int64(len(p.data)) {
		c := p.data[off]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ':' {
			off++
			continue
		}
		break
	}
	off = min(off, int64(len(p.data)))
	line, col := p.lines.at(int(off))
	return diag.Pos{Line: p.firstLine + line - 1, Col: col}
}

func (p *jsonParser) errAt(off int64, msg string) error {
	return &SyntaxError{Pos: p.pos(off), Msg: "JSON: " + msg}
}

func (p *jsonParser) wrap(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return p.errAt(se.Offset-1, se.Error())
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return p.errAt(int64(len(p.data)), "unexpected end of the JSON object")
	}
	return p.errAt(p.dec.InputOffset(), err.Error())
}

func (p *jsonParser) value(depth int) (*Node, error) {
	if depth > maxDepth {
		return nil, p.errAt(p.dec.InputOffset(), "nested too deeply")
	}
	start := p.pos(p.dec.InputOffset())
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.wrap(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &Node{Kind: Map, Pos: start}
			for p.dec.More() {
				kpos := p.pos(p.dec.InputOffset())
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.wrap(err)
				}
				key, ok := kt.(string)
				if !ok {
					return nil, &SyntaxError{Pos: kpos, Msg: "JSON: expected a key"}
				}
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Entries = append(n.Entries, Entry{Key: key, KeyPos: kpos, Value: v})
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.wrap(err)
			}
			return n, nil
		case '[':
			n := &Node{Kind: List, Pos: start}
			for p.dec.More() {
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Items = append(n.Items, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.wrap(err)
			}
			return n, nil
		}
		return nil, p.errAt(p.dec.InputOffset(), fmt.Sprintf("unexpected %q", t))
	case string:
		return &Node{Kind: Scalar, Pos: start, Tag: TagString, Value: t}, nil
	case json.Number:
		tag := TagInt
		if _, err := strconv.ParseInt(string(t), 10, 64); err != nil {
			tag = TagFloat
		}
		return &Node{Kind: Scalar, Pos: start, Tag: tag, Value: string(t)}, nil
	case bool:
		return &Node{Kind: Scalar, Pos: start, Tag: TagBool, Value: strconv.FormatBool(t)}, nil
	case nil:
		return &Node{Kind: Null, Pos: start}, nil
	}
	return nil, p.errAt(p.dec.InputOffset(), "unexpected token")
}
