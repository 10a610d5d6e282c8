package postmortem

import (
	"math"
	"slices"
	"strings"
	"unicode"
)

// NestedHeading is a heading inside a block quote or a list: it starts no
// section, and Without cuts the whole top-level block holding it.
type NestedHeading struct {
	Title string
	Level int
	// Line and EndLine are the first and last lines of the top-level
	// block.
	Line, EndLine int
	// Text and HTML are the byte ranges of the top-level block in
	// Body.Text and Body.HTML (HTML {-1, -1} when not rendered).
	Text, HTML [2]int
}

// Without returns a copy of b without the parts whose heading internal
// reports: each such top-level heading, at any level, with everything
// after it up to the next heading of its level or higher (or the end of
// the body); a heading inside a block quote or a list (see Nested) takes
// the top-level block that holds it. The cut is made on the parser's
// structure, never by reading the HTML: Text and HTML lose the byte ranges that start at the cut
// headings' offsets (see Heading), and the sections, headings, timeline
// entries, links and prose spans on the cut lines go. A section that
// loses a part gets its Text again from what is left of it. When the
// heading offsets do not fit the HTML (a body rendered by someone else)
// or the text (let go of), the copy has no HTML or no text rather than
// too much. b is not modified; when nothing is cut, the copy shares b's
// slices.
func (b *Body) Without(internal func(title string) bool) Body {
	cuts := headingCuts(b.Headings, internal)
	parts, nestedOK := b.cutParts(cuts, internal)
	if len(parts) == 0 {
		return *b
	}
	c := newBodyCut(b, parts, nestedOK)
	c.headings(cuts)
	c.sectionTexts()
	c.nested()
	c.rest()
	return *c.nb
}

// headingCut is a range of headings that Without cuts, to exclusive.
type headingCut struct{ from, to int }

// headingCuts returns the ranges of hs that Without cuts: each heading
// internal reports, with the deeper ones after it.
func headingCuts(hs []Heading, internal func(title string) bool) []headingCut {
	var cuts []headingCut
	for i := 0; i < len(hs); {
		if !internal(hs[i].Title) {
			i++
			continue
		}
		j := i + 1
		for j < len(hs) && hs[j].Level > hs[i].Level {
			j++
		}
		cuts = append(cuts, headingCut{i, j})
		i = j
	}
	return cuts
}

// cutPart is one part Without cuts: its ranges of the text, of the HTML
// and of lines (hi excluded).
type cutPart struct{ text, html, lines byteRange }

// cutParts returns the parts Without cuts, in order: those of the
// heading cuts, and the top-level blocks holding an internal heading
// inside a block quote or a list. nestedOK is false when such a block's
// HTML range does not fit the HTML.
func (b *Body) cutParts(cuts []headingCut, internal func(title string) bool) (parts []cutPart, nestedOK bool) {
	hs := b.Headings
	// where returns the text and HTML offsets and the first line of
	// heading i, or of the end of the body.
	where := func(i int) (text, html, line int) {
		if i == len(hs) {
			return len(b.Text), len(b.HTML), math.MaxInt
		}
		return hs[i].TextOffset, hs[i].HTMLOffset, hs[i].Pos.Line
	}
	for _, c := range cuts {
		t0, h0, l0 := where(c.from)
		t1, h1, l1 := where(c.to)
		parts = append(parts, cutPart{byteRange{t0, t1}, byteRange{h0, h1}, byteRange{l0, l1}})
	}
	// inCut reports whether nested heading n lies in a heading's cut: by
	// its HTML when it was rendered (a block's HTML is never empty), else
	// by its text.
	inCut := func(n NestedHeading) bool {
		for _, p := range parts {
			if n.HTML[0] >= 0 && p.html.lo >= 0 {
				if n.HTML[0] >= p.html.lo && n.HTML[0] < p.html.hi {
					return true
				}
			} else if n.Text[0] >= p.text.lo && n.Text[0] < p.text.hi {
				return true
			}
		}
		return false
	}
	// A heading inside a block quote or a list takes the whole top-level
	// block that holds it (two such headings in one block, one cut).
	nestedOK = true
	fromHeadings := len(parts)
	for _, n := range b.Nested {
		if !internal(n.Title) || inCut(n) {
			continue
		}
		parts = append(parts, cutPart{byteRange{n.Text[0], n.Text[1]}, byteRange{n.HTML[0], n.HTML[1]}, byteRange{n.Line, n.EndLine + 1}})
		if n.HTML[0] < 0 || n.HTML[0] > n.HTML[1] || n.HTML[1] > len(b.HTML) {
			nestedOK = false
		}
	}
	if len(parts) > fromHeadings {
		slices.SortFunc(parts, func(x, y cutPart) int { return x.text.lo - y.text.lo })
		parts = slices.CompactFunc(parts, func(x, y cutPart) bool { return x.text == y.text })
	}
	return parts, nestedOK
}

// bodyCut is a Without being made: the body b, its copy nb, the ranges
// cut, and where an offset of b's text or HTML falls in nb's.
type bodyCut struct {
	b, nb                     *Body
	textCut, htmlCut, lineCut []byteRange
	htmlOK                    bool
	textAt, htmlAt            func(int) int
}

// newBodyCut cuts parts out of b's text and HTML: the HTML only when
// its offsets fit (nestedOK, the headings' offsets, parts in order), the
// text likewise.
func newBodyCut(b *Body, parts []cutPart, nestedOK bool) *bodyCut {
	c := &bodyCut{b: b, nb: &Body{Line: b.Line, Ignores: b.Ignores}}
	htmlOK := b.HTML != "" && nestedOK && headingOffsetsFit(b)
	textOK := textOffsetsFit(b)
	for k, p := range parts {
		if k > 0 && (p.text.lo < parts[k-1].text.hi || p.html.lo < parts[k-1].html.hi) {
			// Overlapping cuts: offsets that do not fit.
			htmlOK, textOK = false, false
		}
		c.textCut = append(c.textCut, p.text)
		c.htmlCut = append(c.htmlCut, p.html)
		c.lineCut = append(c.lineCut, p.lines)
	}
	c.textAt = func(int) int { return 0 }
	if textOK {
		var text string
		text, c.textAt = cutString(b.Text, c.textCut)
		c.nb.Text = strings.TrimRightFunc(text, unicode.IsSpace)
	}
	if htmlOK {
		c.nb.HTML, c.htmlAt = cutString(b.HTML, c.htmlCut)
	}
	c.htmlOK = htmlOK
	return c
}

// cutLine reports whether line is cut.
func (c *bodyCut) cutLine(line int) bool {
	for _, s := range c.lineCut {
		if line >= s.lo && line < s.hi {
			return true
		}
	}
	return false
}

// headings keeps the headings and sections outside cuts, with their
// offsets moved.
func (c *bodyCut) headings(cuts []headingCut) {
	b, nb, hs := c.b, c.nb, c.b.Headings
	ci := 0
	sec := 0 // index in b.Sections of the next level-2 heading
	for i, h := range hs {
		if ci < len(cuts) && i >= cuts[ci].to {
			ci++
		}
		kept := ci >= len(cuts) || i < cuts[ci].from
		if h.Level == 2 && sec < len(b.Sections) {
			if kept {
				nb.Sections = append(nb.Sections, b.Sections[sec])
			}
			sec++
		}
		if !kept {
			continue
		}
		h.TextOffset = min(c.textAt(h.TextOffset), len(nb.Text))
		h.HTMLOffset = -1
		if c.htmlOK {
			h.HTMLOffset = c.htmlAt(hs[i].HTMLOffset)
		}
		nb.Headings = append(nb.Headings, h)
	}
}

// sectionTexts gives a kept section that lost a part the text left of
// it (between its heading's title and the next section's heading).
func (c *bodyCut) sectionTexts() {
	for i := range c.nb.Sections {
		s := &c.nb.Sections[i]
		lost := false
		for _, l := range c.lineCut {
			if l.lo > s.Pos.Line && l.lo <= s.EndLine {
				lost = true
			}
		}
		if lost {
			s.Text = sectionText(c.nb, s)
		}
	}
}

// nested keeps the nested headings outside cuts, with their ranges
// moved.
func (c *bodyCut) nested() {
	nb := c.nb
	for _, n := range c.b.Nested {
		cut := inSpan(c.textCut, n.Text[0])
		if c.htmlOK && n.HTML[0] >= 0 {
			cut = inSpan(c.htmlCut, n.HTML[0])
		}
		if cut {
			continue
		}
		html := n.HTML
		n.Text = [2]int{min(c.textAt(n.Text[0]), len(nb.Text)), min(c.textAt(n.Text[1]), len(nb.Text))}
		n.HTML = [2]int{-1, -1}
		if c.htmlOK && html[0] >= 0 {
			n.HTML = [2]int{c.htmlAt(html[0]), c.htmlAt(html[1])}
		}
		nb.Nested = append(nb.Nested, n)
	}
}

// rest keeps the timeline entries, links and prose spans on lines that
// are not cut (a link's HTML offset moved, or -1).
func (c *bodyCut) rest() {
	b, nb := c.b, c.nb
	for _, e := range b.Timeline {
		if !c.cutLine(e.Pos.Line) {
			nb.Timeline = append(nb.Timeline, e)
		}
	}
	for _, l := range b.Links {
		if c.cutLine(l.Pos.Line) {
			continue
		}
		off := l.HTMLOffset
		l.HTMLOffset = -1
		if c.htmlOK && off >= 0 {
			if inSpan(c.htmlCut, off) {
				continue
			}
			l.HTMLOffset = c.htmlAt(off)
		}
		nb.Links = append(nb.Links, l)
	}
	for _, p := range b.Prose {
		if !c.cutLine(p.Pos.Line) {
			nb.Prose = append(nb.Prose, p)
		}
	}
}

// headingOffsetsFit reports whether every heading's HTMLOffset is in
// b.HTML, in order, at the start of a heading element of its level.
func headingOffsetsFit(b *Body) bool {
	prev := 0
	for _, h := range b.Headings {
		off := h.HTMLOffset
		if off < prev || off+3 > len(b.HTML) || b.HTML[off] != '<' || b.HTML[off+1] != 'h' || int(b.HTML[off+2]-'0') != h.Level {
			return false
		}
		prev = off
	}
	return true
}

// textOffsetsFit reports whether every heading's TextOffset is in
// b.Text, in order (not so when the text was let go of).
func textOffsetsFit(b *Body) bool {
	prev := 0
	for _, h := range b.Headings {
		if h.TextOffset < prev || h.TextOffset > len(b.Text) {
			return false
		}
		prev = h.TextOffset
	}
	return true
}

// sectionText returns the text of section s of nb from nb.Text: what
// follows its title, up to the next level-2 heading.
func sectionText(nb *Body, s *Section) string {
	start, end := -1, len(nb.Text)
	for _, h := range nb.Headings {
		if h.Level != 2 {
			continue
		}
		if start >= 0 {
			end = h.TextOffset
			break
		}
		if h.Anchor == s.Anchor {
			start = min(h.TextOffset+len(h.Title), len(nb.Text))
		}
	}
	if start < 0 || end < start {
		return ""
	}
	return strings.TrimSpace(nb.Text[start:end])
}

// SectionHTML returns where section i (of Sections) lies in b.HTML: from
// its heading to the next level-2 heading or the end. ok is false when
// the body was not rendered with its heading offsets.
func (b *Body) SectionHTML(i int) (start, end int, ok bool) {
	if b.HTML == "" || !headingOffsetsFit(b) {
		return 0, 0, false
	}
	start, n := -1, 0
	for _, h := range b.Headings {
		if h.Level != 2 {
			continue
		}
		if start >= 0 {
			return start, h.HTMLOffset, true
		}
		if n == i {
			start = h.HTMLOffset
		}
		n++
	}
	if start < 0 {
		return 0, 0, false
	}
	return start, len(b.HTML), true
}

// byteRange is a byte range, hi exclusive.
type byteRange struct{ lo, hi int }

// inSpan reports whether off is in one of spans.
func inSpan(spans []byteRange, off int) bool {
	for _, s := range spans {
		if off >= s.lo && off < s.hi {
			return true
		}
	}
	return false
}

// cutString returns s without the spans cut (in order, not
// overlapping), and a function mapping an offset of s outside them to its
// offset in the result.
func cutString(s string, cut []byteRange) (string, func(int) int) {
	var sb strings.Builder
	sb.Grow(len(s))
	prev := 0
	for _, c := range cut {
		sb.WriteString(s[prev:c.lo])
		prev = c.hi
	}
	sb.WriteString(s[prev:])
	return sb.String(), func(off int) int {
		removed := 0
		for _, c := range cut {
			if off < c.hi {
				break
			}
			removed += c.hi - c.lo
		}
		return off - removed
	}
}

// Unlink returns a copy of b in which the rendered links and images that
// drop reports lead nowhere: the href (or src) of their element is
// emptied, their text stays (as goldmark does for a javascript: URL). The
// elements are found at the offsets the renderer recorded (see
// Link.HTMLOffset), never by searching the HTML; when one is not where it
// should be, the copy has no HTML rather than the link. b is not
// modified.
func (b *Body) Unlink(drop func(l Link) bool) Body {
	nb := *b
	if b.HTML == "" {
		return nb
	}
	var cuts []byteRange
	for _, l := range b.Links {
		if !drop(l) {
			continue
		}
		v, ok := urlAttr(b.HTML, l)
		if !ok {
			nb.HTML = ""
			return nb
		}
		cuts = append(cuts, v)
	}
	if len(cuts) == 0 {
		return nb
	}
	slices.SortFunc(cuts, func(x, y byteRange) int { return x.lo - y.lo })
	var at func(int) int
	nb.HTML, at = cutString(b.HTML, cuts)
	nb.Headings = slices.Clone(b.Headings)
	for i := range nb.Headings {
		if h := &nb.Headings[i]; h.HTMLOffset >= 0 {
			h.HTMLOffset = at(h.HTMLOffset)
		}
	}
	nb.Links = slices.Clone(b.Links)
	for i := range nb.Links {
		if l := &nb.Links[i]; l.HTMLOffset >= 0 {
			l.HTMLOffset = at(l.HTMLOffset)
		}
	}
	nb.Nested = slices.Clone(b.Nested)
	for i := range nb.Nested {
		if n := &nb.Nested[i]; n.HTML[0] >= 0 {
			n.HTML = [2]int{at(n.HTML[0]), at(n.HTML[1])}
		}
	}
	return nb
}

// urlAttr returns where the value of the href (or src) attribute of l's
// rendered element lies in html, which the renderer wrote first.
func urlAttr(html string, l Link) (byteRange, bool) {
	prefix := `<a href="`
	if l.Image {
		prefix = `<img src="`
	}
	off := l.HTMLOffset
	if off < 0 || off > len(html) || !strings.HasPrefix(html[off:], prefix) {
		return byteRange{}, false
	}
	start := off + len(prefix)
	end := strings.IndexByte(html[start:], '"')
	if end < 0 {
		return byteRange{}, false
	}
	return byteRange{start, start + end}, true
}
