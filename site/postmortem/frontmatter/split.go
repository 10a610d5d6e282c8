package frontmatter

import (
	"bytes"
	"fmt"

	adrg "github.com/adrg/frontmatter"
	"github.com/hindsight-kb/hindsight/site/diag"
)

// Block is the front matter found at the top of a file.
type Block struct {
	// Format is yaml, toml or json; "" when the file has no front
	// matter.
	Format string
	// Data is the front matter, a piece of the file.
	Data []byte
	// Line is the file line Data starts on.
	Line int
	// BodyOff is the byte offset where the Markdown starts.
	BodyOff int
	// Open is the position of the opening delimiter (of the first
	// non-blank line when there is none).
	Open diag.Pos
}

// delimiter is one front matter syntax: its opening and closing lines.
type delimiter struct {
	start, end string
	format     string
	// json is the "{ … }" form: the braces belong to the data, and the
	// closing brace must be followed by an empty line.
	json bool
}

// delimiters are the syntaxes adrg/frontmatter is given, in its order.
var delimiters = [...]delimiter{
	{start: "---", end: "---", format: "yaml"},
	{start: "---yaml", end: "---", format: "yaml"},
	{start: "+++", end: "+++", format: "toml"},
	{start: "---toml", end: "---", format: "toml"},
	{start: ";;;", end: ";;;", format: "json"},
	{start: "---json", end: "---", format: "json"},
	{start: "{", end: "}", format: "json", json: true},
}

// Split finds the front matter as adrg/frontmatter does, and
// adds what it does not say: where the block starts in the file, and
// whether an opening delimiter was left unclosed. The common case (an
// opening line, keys, a closing line) is found here directly; everything
// else is handed to the library.
func Split(src []byte) (*Block, *diag.Diagnostic) {
	var b Block
	// Find the first non-blank line ourselves: it tells where the block
	// starts, which adrg/frontmatter does not report.
	off, line := 0, 1
	for off < len(src) {
		end := bytes.IndexByte(src[off:], '\n')
		next := len(src)
		if end >= 0 {
			next = off + end + 1
		}
		if len(bytes.TrimSpace(src[off:next])) != 0 {
			break
		}
		off, line = next, line+1
	}
	var first []byte
	firstEnd := len(src)
	if off < len(src) {
		if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
			firstEnd = off + i + 1
		}
		first = bytes.TrimSpace(src[off:firstEnd])
	}
	var opener *delimiter
	for i := range delimiters {
		if delimiters[i].start == string(first) {
			opener = &delimiters[i]
		}
	}
	b.Open = diag.Pos{Line: line, Col: 1}
	if opener == nil {
		return &b, nil
	}
	// adrg/frontmatter copies everything it reads; hand it the front
	// matter block only (up to the first closing line, which is where it
	// stops too) so the body is not copied for nothing. An unclosed block
	// gets the whole file, for the same error as before.
	input := src
	if !opener.json {
		for off := firstEnd; off < len(src); {
			next := len(src)
			if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
				next = off + i + 1
			}
			if string(bytes.TrimSpace(src[off:next])) == opener.end {
				if src[firstEnd-1] == '\n' {
					// The common case, where the library finds what we
					// found: the data is the lines between the opening
					// line (which ends with a line break: the library
					// does not take an opening line at the end of the
					// file) and this closing line. Taken here, because
					// the library reads line by line and copies every
					// line twice. FuzzSplitFrontMatter checks this
					// against the library.
					b.Format = opener.format
					b.Data = src[firstEnd:off]
					b.Line = line + 1
					b.BodyOff = next
					return &b, nil
				}
				input = src[:next]
				break
			}
			off = next
		}
	}
	capture := func(format string) adrg.UnmarshalFunc {
		return func(data []byte, _ any) error {
			b.Format = format
			b.Data = data
			return nil
		}
	}
	formats := make([]*adrg.Format, len(delimiters))
	for i, d := range delimiters {
		formats[i] = &adrg.Format{Start: d.start, End: d.end, Unmarshal: capture(d.format),
			UnmarshalDelims: d.json, RequiresNewLine: d.json}
	}
	rest, err := adrg.Parse(bytes.NewReader(input), nil, formats...)
	if err != nil {
		return nil, &diag.Diagnostic{Pos: b.Open, Rule: "frontmatter-syntax", Severity: diag.Error,
			Message: fmt.Sprintf("front matter could not be read: %v", err)}
	}
	if b.Format == "" {
		return nil, &diag.Diagnostic{Pos: b.Open, Rule: "frontmatter-syntax", Severity: diag.Error,
			Message: fmt.Sprintf("front matter opened with %q is never closed; add a line with %q after the last key", first, opener.end)}
	}
	if opener.json {
		b.Line = line
	} else {
		b.Line = line + 1
	}
	b.BodyOff = len(input) - len(rest)
	return &b, nil
}
