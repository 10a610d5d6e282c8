package postmortem

import (
	"bytes"
	"html"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem/timeline"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
)

// The timeline: every list and table of the timeline section, under any
// sub-heading, gives entries (collectTimeline); the headings and
// paragraphs between them may give the date of the times below them
// (timeline.Reader.Context). When the body is rendered, each of those blocks is
// rendered as a visual timeline (renderTimeline) from the entries and
// their own nodes: the entry's Markdown is rendered once, by the same
// renderer as the rest of the body.

// timelineState is what the walk knows of the timeline as it reads it.
type timelineState struct {
	// times reads the entries' times (site/postmortem/timeline); loc is
	// the KB's location, in which the markers show times.
	times timeline.Reader
	loc   *time.Location
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
				utc = timeline.SaysUTC(string(w.inl))
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
	t := w.tl.times.Entry(txt, table, utc)
	e := TimelineEntry{Pos: pos, Time: t.Time, End: t.End, OK: t.OK, Inherited: t.Inherited,
		Approx: t.Approx, DateOnly: t.DateOnly, Refused: t.Refused}
	if t.Found {
		e.TimeText = strings.TrimSpace(txt[t.From:t.To])
		txt = txt[t.Rest:]
		nd.skip = t.Rest
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
