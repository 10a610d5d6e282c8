package markdown

import (
	"bytes"
	"fmt"
)

// The complexity budget. goldmark takes time quadratic in the size of some
// inputs well inside the 1 MiB file limit (docs/goldmark-quadratic.md):
// deeply nested lists and block quotes, many unclosed "[" or emphasis
// markers in one paragraph, many "](" on one long line. CheckComplexity
// measures these in one linear pass before goldmark runs, and refuses a
// body past any of the limits below. The limits are far above what people
// write (a postmortem nests lists three or four deep and has a few dozen
// markers a paragraph) and low enough that a 1 MiB body at any of them
// parses in well under a second.
const (
	// MaxNesting bounds how many lists and block quotes a line is inside:
	// the list items still open (by their indentation) plus the list and
	// quote markers at the start of the line. goldmark's work on a line
	// grows faster than its depth; 16 levels over a whole 1 MiB file take
	// about half a second.
	MaxNesting = 16
	// MaxInlineWork bounds the sum, over the runs of non-blank lines (a
	// paragraph never spans a blank line), of active × all markers: active
	// are the markers that make goldmark search back through the
	// paragraph (runs of '*', '~' and '`', runs of '_' not inside a word,
	// and '[' left open at the end of its line), all are those plus the
	// passive ones ('_' inside a word, '[' closed on its line). One
	// paragraph of 5,000 active markers reaches it; a long real paragraph
	// has fewer than a hundred.
	MaxInlineWork = 25_000_000
	// MaxLinkScan bounds the sum, over lines, of the number of "](" on
	// the line times the line's length: goldmark reads a link destination
	// to the end of its line when it is not closed. A line of 2,000
	// characters with 50 links counts 100,000.
	MaxLinkScan = 100_000_000
	// MaxMarkers bounds the number of inline markers (all of those
	// MaxInlineWork counts) in a file: each costs goldmark a few
	// microseconds even when nothing is quadratic, and 200,000 of them
	// take about half a second. A long postmortem has a few thousand.
	MaxMarkers = 200_000
)

// CheckComplexity measures md in one pass over its lines. When it is over
// a limit it returns the offset of the line where the limit was passed and
// a message saying what was exceeded and how to fix it; else msg is "".
//
// It does not parse Markdown: every measure is an upper bound of what
// goldmark does, whatever the blocks are (fenced code is counted as if it
// were text, a run of non-blank lines as if it were one paragraph), so that
// no block structure can hide work from it.
func CheckComplexity(md []byte) (off int, msg string) {
	return scanComplexity(md, !inlineWithin(md))
}

// inlineWithin reports whether the inline limits (MaxMarkers,
// MaxInlineWork, MaxLinkScan) cannot be reached in md, from counts of
// bytes alone: with m bytes among '*', '~', '`', '_' and '[', a body has
// at most m markers and at most m² inline work (active ≤ all in each
// run, and the sum of squares is at most the square of the sum), and its
// link scan is at most the number of "](" times its length. A body of a
// few thousand markers (every postmortem people write) then needs only
// the nesting part of the line scan.
func inlineWithin(md []byte) bool {
	if n := len(md); n*n <= MaxInlineWork && n*n <= MaxLinkScan {
		// A body of at most 5,000 bytes is within without counting:
		// m ≤ n, and "](" takes two bytes, so the link scan is at most
		// n²/2.
		return true
	}
	m := 0
	for _, c := range [...]byte{'*', '~', '`', '_', '['} {
		m += bytes.Count(md, []byte{c})
	}
	return m <= MaxMarkers && m*m <= MaxInlineWork &&
		bytes.Count(md, []byte("](")) <= MaxLinkScan/max(len(md), 1)
}

// scanComplexity is CheckComplexity's pass over the lines of md: the
// nesting of every line, and its inline markers when inline is set.
func scanComplexity(md []byte, inline bool) (off int, msg string) {
	var (
		// stack holds the content columns of the list items that may
		// still be open.
		stack      []int
		afterBlank = true
		// active and all count the markers of the current run of
		// non-blank lines; work is the inline work of the runs before it.
		active, all, work int
		// total counts all markers so far, scan the link scan.
		total, scan int
		// items is the memory of each line's markers.items.
		items []int
	)
	for start := 0; start < len(md); {
		end := len(md)
		if i := bytes.IndexByte(md[start:], '\n'); i >= 0 {
			end = start + i
		}
		line := md[start:end]
		lineOff := start
		start = end + 1
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		i, col := skipBlank(line, 0, 0)
		if i == len(line) {
			// A paragraph ends at a blank line: the run's work is done.
			work += active * all
			active, all = 0, 0
			afterBlank = true
			continue
		}

		m := markers{indent: col, rest: i}
		if markerStart(line[i]) {
			m = lineMarkers(line, i, col, items[:0])
			items = m.items
		}
		if m.newItem {
			// The paragraph before has ended (each item of a long
			// timeline is a paragraph of its own).
			work += active * all
			active, all = 0, 0
		}

		// Nesting. A line that may continue a paragraph lazily (text,
		// or a list marker that cannot interrupt one) closes nothing.
		switch {
		case afterBlank || m.interrupts:
			// The items indented deeper than this line are closed.
			stack = append(popDeeper(stack, m.indent), m.items...)
		case len(m.items) > 0:
			// A list marker that cannot interrupt a paragraph ("2."
			// after text) is either lazy text (nothing changes) or a new
			// item (deeper items close, its own open): keep whichever
			// is deeper.
			if kept := popDeeper(stack, m.indent); len(kept)+len(m.items) >= len(stack) {
				stack = append(kept, m.items...)
			}
		}
		if depth := m.quotes + len(stack); depth > MaxNesting {
			return lineOff, fmt.Sprintf("this line is %d lists and block quotes deep, over the limit of %d; flatten the list or the quote",
				depth, MaxNesting)
		}
		afterBlank = false
		if !inline {
			continue
		}

		// Markers.
		a, t, links := inlineMarkers(line[m.rest:])
		active += a
		all += t
		if total += t; total > MaxMarkers {
			return lineOff, fmt.Sprintf("the file has more than %d emphasis, code and link markers up to this line; move quoted logs or data to an attachment",
				MaxMarkers)
		}
		if work+active*all > MaxInlineWork {
			return lineOff, fmt.Sprintf("the paragraph ending on this line has %d emphasis, code and unclosed link markers among %d, "+
				"too many for the Markdown parser (active × all markers, summed over paragraphs, may reach %d); "+
				"split the paragraph with blank lines, or close its [ and *",
				active, all, MaxInlineWork)
		}
		scan += links * len(line)
		if scan > MaxLinkScan {
			return lineOff, fmt.Sprintf("this line has %d link destinations \"](\" in %d characters, too many for the Markdown parser "+
				"(links × line length, summed over lines, may reach %d); break the line or close the links' parentheses",
				links, len(line), MaxLinkScan)
		}
	}
	return 0, ""
}

// popDeeper returns stack without its entries deeper than indent: the
// list items a line at indent closes.
func popDeeper(stack []int, indent int) []int {
	for len(stack) > 0 && stack[len(stack)-1] > indent {
		stack = stack[:len(stack)-1]
	}
	return stack
}

// markers are the container markers at the start of a line.
type markers struct {
	// indent is the column of the line's first non-blank character.
	indent int
	// quotes counts the '>' markers.
	quotes int
	// items holds the content column of each list marker.
	items []int
	// interrupts is true when the first marker closes list items
	// indented deeper: a '>' or a list item that may interrupt a
	// paragraph (a bullet or "1." with text after it).
	interrupts bool
	// newItem is true when the first marker is such a list item, indented
	// at most three columns: whatever came before, the line starts a new
	// block, so a paragraph before it has ended.
	newItem bool
	// rest is the byte offset of the text after the markers.
	rest int
}

// markerStart reports whether a line whose first non-blank byte is c
// may start with a marker: '>', a bullet or a digit. Any other line has
// none, and lineMarkers is not needed.
func markerStart(c byte) bool {
	return c == '>' || c == '-' || c == '+' || c == '*' || c >= '0' && c <= '9'
}

// lineMarkers reads the '>' and list markers at the start of line, whose
// first non-blank byte is line[i], at column col, up to one more than
// MaxNesting. A thematic break ("- - -", "* * *") is not a list. The list
// markers are appended to items (for its memory).
func lineMarkers(line []byte, i, col int, items []int) markers {
	m := markers{items: items}
	m.indent = col
	first := true
	for i < len(line) && m.quotes+len(m.items) <= MaxNesting {
		c := line[i]
		if c == '>' {
			m.quotes++
			if first {
				m.interrupts = true
			}
			i, col = skipBlank(line, i+1, col+1)
			first = false
			continue
		}
		if len(m.items) == 0 && isThematicBreak(line[i:]) {
			break
		}
		w, one := listMarker(line[i:])
		if w == 0 {
			break
		}
		j, next := skipBlank(line, i+w, col+w)
		if first && (c == '-' || c == '+' || c == '*' || one) && j < len(line) {
			m.interrupts = true
			m.newItem = m.indent <= 3
		}
		m.items = append(m.items, next)
		i, col = j, next
		first = false
	}
	m.rest = i
	return m
}

// skipBlank skips spaces and tabs from line[i], at column col, and returns
// the index and the column after them (a tab goes to the next multiple of
// four).
func skipBlank(line []byte, i, col int) (int, int) {
	for ; i < len(line); i++ {
		switch line[i] {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return i, col
		}
	}
	return i, col
}

// listMarker returns the width of the list marker s starts with ("-",
// "+", "*", or up to nine digits and "." or ")", followed by a blank or
// the end of the line), 0 when there is none; one is true for "1." and
// "1)".
func listMarker(s []byte) (width int, one bool) {
	if len(s) == 0 {
		return 0, false
	}
	w := 0
	switch c := s[0]; {
	case c == '-' || c == '+' || c == '*':
		w = 1
	case c >= '0' && c <= '9':
		for w < len(s) && w < 9 && s[w] >= '0' && s[w] <= '9' {
			w++
		}
		if w == len(s) || (s[w] != '.' && s[w] != ')') {
			return 0, false
		}
		one = w == 1 && s[0] == '1'
		w++
	default:
		return 0, false
	}
	if w < len(s) && s[w] != ' ' && s[w] != '\t' {
		return 0, false
	}
	return w, one
}

// isThematicBreak reports whether s is three or more of one of '-', '*',
// '_' with only blanks between.
func isThematicBreak(s []byte) bool {
	var c byte
	n := 0
	for _, b := range s {
		switch {
		case b == ' ' || b == '\t':
		case c == 0 && (b == '-' || b == '*' || b == '_'):
			c = b
			n++
		case b == c:
			n++
		default:
			return false
		}
	}
	return n >= 3
}

// inlineMarkers counts the inline markers of one line (see MaxInlineWork):
// active and all, and the "](" that start a link destination.
func inlineMarkers(s []byte) (active, all, links int) {
	open := 0 // '[' not closed yet on this line
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			i++ // an escaped character is text
		case '*', '~', '`', '_':
			j := i
			for j+1 < len(s) && s[j+1] == c {
				j++
			}
			all++
			if c != '_' || i == 0 || j+1 == len(s) || !isWordByte(s[i-1]) || !isWordByte(s[j+1]) {
				active++
			}
			i = j
		case '[':
			open++
			all++
		case ']':
			if open > 0 {
				open--
			}
			if i+1 < len(s) && s[i+1] == '(' {
				links++
			}
		}
	}
	return active + open, all, links
}

// isWordByte reports whether b is an ASCII letter or digit. A byte of a
// multi-byte character is not: it may be punctuation (an em dash), next to
// which goldmark's '_' may open or close, so it is counted as active.
func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}
