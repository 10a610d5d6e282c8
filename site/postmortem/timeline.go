package postmortem

import (
	"bytes"
	"html"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
)

// The timeline: every list and table of the timeline section, under any
// sub-heading, gives entries (collectTimeline); the headings and
// paragraphs between them may give the date of the times below them
// (timelineContext). When the body is rendered, each of those blocks is
// rendered as a visual timeline (renderTimeline) from the entries and
// their own nodes: the entry's Markdown is rendered once, by the same
// renderer as the rest of the body.

// timelineState is what the walk knows of the timeline as it reads it.
type timelineState struct {
	loc     *time.Location
	started time.Time
	// y, mo, d is the last date written above the current entry (y 0:
	// none yet): a time alone takes it.
	y, mo, d int
	// zone is the location of the last entry read, which an entry
	// without a zone of its own takes (nil: none yet).
	zone *time.Location
	// utc is set when a heading or paragraph of the section says its
	// times are UTC.
	utc bool
	// prev is the time of the last entry placed; fromEntry is set when
	// the date above is that entry's (not a heading's).
	prev      time.Time
	fromEntry bool
	// blocks are the section's lists and tables, in order, when the
	// visual timeline is rendered; nodes holds each entry's nodes.
	render bool
	blocks []tlBlock
	nodes  []tlNodes
	// skipLinks are the table headers with links, which the visual
	// timeline does not show.
	skipLinks []ast.Node
	// lastDay is the day of the last time shown (see appendMarker).
	lastDay [3]int
}

// tlBlock is a list or table of the timeline section and the range of
// its entries (to exclusive).
type tlBlock struct {
	node     ast.Node
	from, to int
}

// tlNodes are the nodes of one entry: parts hold its text (a list item's
// first paragraph, or the cells of a table row), of which the time takes
// the first skip bytes (the parts' plain texts joined with " — "); item
// is a list item, whose other blocks follow the text.
type tlNodes struct {
	parts []ast.Node
	skip  int
	item  ast.Node
}

// entrySep joins the cells of a table row in an entry.
const entrySep = " — "

// collectTimeline records the entries of a list or table of the timeline
// section.
func (w *walker) collectTimeline(n ast.Node, md []byte) {
	from := len(w.entries)
	switch x := n.(type) {
	case *ast.List:
		for it := x.FirstChild(); it != nil; it = it.NextSibling() {
			first := it.FirstChild()
			if first == nil {
				w.addEntry("", w.blockPos(it), false, false, tlNodes{item: it})
				continue
			}
			nd := tlNodes{item: it}
			switch first.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				if w.tl.render { // (the nodes are kept only to render)
					nd.parts = []ast.Node{first}
				}
			}
			w.addEntry(w.plainString(first, md, false), w.blockPos(first), false, false, nd)
		}
	case *east.Table:
		utc := false
		for row := x.FirstChild(); row != nil; row = row.NextSibling() {
			if _, ok := row.(*east.TableHeader); ok {
				w.inl = w.blockLines(w.inl[:0], row, md)
				utc = hasWord(string(w.inl), "UTC") || hasWord(string(w.inl), "GMT")
				if w.tl.render && hasLink(row) {
					// Not shown: its links are not rendered.
					w.tl.skipLinks = append(w.tl.skipLinks, row)
				}
				continue
			}
			cell := row.FirstChild()
			if cell == nil {
				continue
			}
			var nd tlNodes
			var b strings.Builder
			cells := 0
			for c := cell; c != nil; c = c.NextSibling() {
				t := w.plainString(c, md, false)
				if t == "" && !hasLink(c) {
					continue
				}
				if cells > 0 {
					b.WriteString(entrySep)
				}
				b.WriteString(t)
				cells++
				if w.tl.render {
					nd.parts = append(nd.parts, c)
				}
			}
			w.addEntry(b.String(), w.blockPos(cell), true, utc, nd)
		}
	}
	if w.tl.render {
		w.tl.blocks = append(w.tl.blocks, tlBlock{node: n, from: from, to: len(w.entries)})
	}
}

// addEntry reads the time of an entry whose plain text is txt.
func (w *walker) addEntry(txt string, pos diag.Pos, table, utc bool, nd tlNodes) {
	if !table {
		// A copy, of which the time and the text are pieces: a list
		// item's text may be a piece of the body's (a table row's is
		// made for the entry).
		txt = strings.Clone(txt)
	}
	e := TimelineEntry{Pos: pos}
	if et, ok := readEntryTime(txt, table); ok {
		e.TimeText = strings.TrimSpace(txt[et.start:et.end])
		txt = txt[et.rest:]
		nd.skip = et.rest
		if !et.bad {
			w.place(&e, et, utc)
		} else {
			e.Refused = et.refused
			if e.Refused == "" {
				e.Refused = RefusedValue
			}
		}
	} else if w.tl.y != 0 && !w.tl.fromEntry {
		// No time, under a heading or line that gives the day: that
		// day.
		e.OK, e.DateOnly, e.Inherited = true, true, true
		e.Time = time.Date(w.tl.y, time.Month(w.tl.mo), w.tl.d, 0, 0, 0, 0, w.entryLoc(entryTime{}, utc))
	}
	if !utf8.ValidString(txt) {
		txt = strings.ToValidUTF8(txt, "\uFFFD")
	}
	e.Text = txt
	w.entries = append(w.entries, e)
	if w.tl.render {
		w.tl.nodes = append(w.tl.nodes, nd)
	}
}

// place sets e's time from et: a time without a date takes the last date
// written above it (an entry's, a heading's or a paragraph's), else the
// day the incident started; a time without a zone takes the previous
// entry's zone, else UTC when the section says so, else the KB's.
func (w *walker) place(e *TimelineEntry, et entryTime, utc bool) {
	tl := &w.tl
	loc := w.entryLoc(et, utc)
	y, mo, d := et.y, et.mo, et.d
	if !et.hasDate {
		e.Inherited = true
		switch {
		case tl.y != 0:
			y, mo, d = tl.y, tl.mo, tl.d
		case !tl.started.IsZero():
			// The day it started where the entry's clock is.
			var m time.Month
			y, m, d = tl.started.In(loc).Date()
			mo = int(m)
		default:
			return
		}
	}
	e.Approx = et.approx
	if et.hasClock {
		e.Time, e.End = et.times(y, mo, d, loc)
		if !et.hasDate && tl.fromEntry && e.Time.Before(tl.prev.Add(-12*time.Hour)) {
			// 23:55 then 00:05: past midnight, as a reader takes it.
			e.Time, e.End = et.times(y, mo, d+1, loc)
			y, mo, d = e.Time.Year(), int(e.Time.Month()), e.Time.Day()
		}
		tl.zone = e.Time.Location()
	} else {
		e.DateOnly = true
		e.Time = time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
	}
	e.OK = true
	tl.y, tl.mo, tl.d = y, mo, d
	tl.prev, tl.fromEntry = e.Time, true
}

// entryLoc is where the clock of an entry without a date is read: its
// own zone, else the previous entry's, else UTC when the section or the
// table's header says so, else the KB's.
func (w *walker) entryLoc(et entryTime, utc bool) *time.Location {
	switch {
	case et.utc:
		return time.UTC
	case et.iana != nil:
		return et.iana
	case et.zone != "":
		z := ""
		if isLetter(et.zone[0]) {
			z = et.zone
		}
		return time.FixedZone(z, et.offset)
	case utc || w.tl.utc:
		return time.UTC
	case w.tl.zone != nil:
		return w.tl.zone
	}
	return w.tl.loc
}

// timelineContext reads a heading or paragraph of the timeline section
// (its plain text): a heading with a date, or a paragraph that starts
// with one, gives the date of the times below it; one that names UTC
// makes the times without a zone UTC.
func (w *walker) timelineContext(plain string, heading bool) {
	var y, mo, d int
	ok := false
	if heading {
		y, mo, d, ok = findDate(plain)
	} else if yy, mm, dd, _, st := dateAt(plain, skipStars(plain, 0)); st == dateOK {
		y, mo, d, ok = yy, mm, dd, true
	}
	if ok {
		w.tl.y, w.tl.mo, w.tl.d = y, mo, d
		w.tl.fromEntry = false
	}
	if hasWord(plain, "UTC") || hasWord(plain, "GMT") {
		w.tl.utc = true
	}
}

// hasWord reports whether word is in s with no letter on either side.
func hasWord(s, word string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], word)
		if i < 0 {
			return false
		}
		i += off
		e := i + len(word)
		if (i == 0 || !isLetter(s[i-1])) && (e == len(s) || !isLetter(s[e])) {
			return true
		}
		off = i + 1
	}
}

// renderTimeline renders block b as a visual timeline: an ordered list
// with a time marker per entry, days grouped, each entry's text rendered
// from its own nodes without the time, then its other blocks.
func (w *walker) renderTimeline(r renderer.Renderer, md []byte, b tlBlock) error {
	for _, h := range w.tl.skipLinks {
		if h.Parent() == b.node {
			w.hw.SkipLinks(h)
		}
	}
	w.hw.Buf = append(w.hw.Buf, `<ol class="timeline">`+"\n"...)
	for i := b.from; i < b.to; i++ {
		w.hw.Buf = w.appendMarker(w.hw.Buf, &w.entries[i])
		w.hw.Buf = append(w.hw.Buf, ` <span class="tl-text">`...)
		nd := w.tl.nodes[i]
		parts := stripParts(nd.parts, nd.skip, md)
		for k, p := range parts {
			if k > 0 {
				w.hw.Buf = append(w.hw.Buf, entrySep...)
			}
			for c := p.FirstChild(); c != nil; c = c.NextSibling() {
				if err := r.Render(&w.hw, md, c); err != nil {
					return err
				}
			}
		}
		w.hw.Buf = append(w.hw.Buf, "</span>"...)
		if nd.item != nil {
			rest := false
			for c := nd.item.FirstChild(); c != nil; c = c.NextSibling() {
				if len(nd.parts) > 0 && c == nd.parts[0] {
					continue
				}
				if !rest {
					w.hw.Buf = append(w.hw.Buf, '\n')
					rest = true
				}
				if err := r.Render(&w.hw, md, c); err != nil {
					return err
				}
			}
		}
		w.hw.Buf = append(w.hw.Buf, "</li>\n"...)
	}
	w.hw.Buf = append(w.hw.Buf, "</ol>\n"...)
	return nil
}

// appendMarker appends an entry's <li> and its time marker: the day when
// it is not the previous marker's, the clock ("≈" before an approximate
// one, a range's end after it); a date-only entry shows its day.
func (w *walker) appendMarker(dst []byte, e *TimelineEntry) []byte {
	dst = append(dst, `<li class="tl-entry`...)
	switch {
	case !e.OK:
		dst = append(dst, ` tl-unparsed`...)
	case e.Approx:
		dst = append(dst, ` tl-approx`...)
	}
	dst = append(dst, `">`...)
	if !e.OK {
		if e.TimeText != "" {
			dst = append(dst, `<span class="tl-time">`...)
			dst = append(dst, html.EscapeString(e.TimeText)...)
			dst = append(dst, `</span>`...)
		}
		return dst
	}
	t := e.Time.In(w.tl.loc)
	if e.DateOnly {
		t = e.Time
	}
	dst = append(dst, `<time class="tl-time" datetime="`...)
	if e.DateOnly {
		dst = t.AppendFormat(dst, time.DateOnly)
	} else {
		dst = t.AppendFormat(dst, time.RFC3339)
	}
	dst = append(dst, `">`...)
	y, m, d := t.Date()
	if today := [3]int{y, int(m), d}; today != w.tl.lastDay || e.DateOnly {
		dst = append(dst, `<span class="tl-day">`...)
		dst = t.AppendFormat(dst, "Mon 2 Jan 2006")
		dst = append(dst, `</span>`...)
		w.tl.lastDay = today
		if !e.DateOnly {
			dst = append(dst, ' ')
		}
	}
	if !e.DateOnly {
		dst = append(dst, `<span class="tl-clock">`...)
		if e.Approx {
			dst = append(dst, "≈ "...)
		}
		if e.End.IsZero() {
			dst = t.AppendFormat(dst, "15:04 MST")
		} else {
			dst = t.AppendFormat(dst, "15:04")
			dst = append(dst, "–"...)
			dst = e.End.In(w.tl.loc).AppendFormat(dst, "15:04 MST")
		}
		dst = append(dst, `</span>`...)
	}
	return append(dst, `</time>`...)
}

// stripParts removes the first skip bytes of the parts' plain text (each
// part's trimmed, joined with entrySep) from their nodes, and returns the
// parts left. It stops short at a node it cannot cut (see stripLead).
func stripParts(parts []ast.Node, skip int, md []byte) []ast.Node {
	for len(parts) > 0 && skip > 0 {
		u := appendInline(nil, parts[0], md)
		lead := len(u) - len(bytes.TrimLeft(u, " \t\r\n\f\v"))
		n := len(bytes.TrimSpace(u))
		if skip >= n && !hasLink(parts[0]) {
			skip -= n + len(entrySep)
			parts = parts[1:]
			continue
		}
		stripLead(parts[0], lead+skip, md)
		break
	}
	return parts
}

// stripLead removes the first k bytes of n's inline text (as
// appendInline gives it) from n's children: whole texts and emphasis,
// and the start of a text. It stops at a node it cannot cut or drop (a
// link, an image, code, raw HTML: the rest of the time then shows) and
// returns what was left of k.
func stripLead(n ast.Node, k int, md []byte) int {
	for c := n.FirstChild(); c != nil && k > 0; {
		next := c.NextSibling()
		l := len(appendInline(nil, c, md))
		switch x := c.(type) {
		case *ast.Text:
			if k >= l {
				n.RemoveChild(n, c)
				k -= l
			} else if x.Segment.Padding == 0 && k < x.Segment.Len() {
				x.Segment = x.Segment.WithStart(x.Segment.Start + k)
				k = 0
			} else {
				return k
			}
		case *ast.String:
			if k >= l {
				n.RemoveChild(n, c)
				k -= l
			} else {
				x.Value = x.Value[k:]
				k = 0
			}
		case *ast.Emphasis, *east.Strikethrough:
			if hasLink(c) {
				return k
			}
			if k >= l {
				n.RemoveChild(n, c)
				k -= l
			} else if k = stripLead(c, k, md); k > 0 {
				return k
			}
		default:
			return k
		}
		c = next
	}
	return k
}

// hasLink reports whether n holds a link or an image.
func hasLink(n ast.Node) bool {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Link, *ast.Image:
			return true
		}
		if hasLink(c) {
			return true
		}
	}
	return false
}

// Latest is the latest moment the entry may stand for: its time, or the
// end of its day for a date-only entry.
func (e *TimelineEntry) Latest() time.Time {
	if e.DateOnly {
		return e.Time.AddDate(0, 0, 1).Add(-time.Nanosecond)
	}
	return e.Time
}
