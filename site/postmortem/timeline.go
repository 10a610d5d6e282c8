package postmortem

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem/markdown"
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
	// times reads the entries' times; markers writes them in the visual
	// timeline (site/postmortem/timeline).
	times   timeline.Reader
	markers timeline.Markers
	// blocks are the section's lists and tables, in order, when the
	// visual timeline is rendered; nodes holds each entry's nodes.
	render bool
	blocks []tlBlock
	nodes  []tlNodes
	// skipLinks are the table headers with links, which the visual
	// timeline does not show.
	skipLinks []ast.Node
}

// tlBlock is a list or table of the timeline section, or a paragraph
// that is one entry, and the range of its entries (to exclusive).
// Paragraph entries one after the other are shown as one timeline:
// joinPrev and joinNext say the block goes on from the one before it,
// or into the one after it.
type tlBlock struct {
	node               ast.Node
	from, to           int
	joinPrev, joinNext bool
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
		addItem := func(it ast.Node) {
			first := it.FirstChild()
			if first == nil {
				w.addEntry("", w.blockPos(it), false, nil, tlNodes{item: it})
				return
			}
			nd := tlNodes{item: it}
			switch first.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				if w.tl.render { // (the nodes are kept only to render)
					nd.parts = []ast.Node{first}
				}
			}
			w.addEntry(w.plainString(first, md, false), w.blockPos(first), false, nil, nd)
		}
		for it := x.FirstChild(); it != nil; it = it.NextSibling() {
			if day, sub := w.dayItem(it, md); sub != nil {
				// "- **May 9**" over a list of that day's times: the
				// day is a heading, its items the entries.
				w.tl.times.Context(day, true)
				for s := sub.FirstChild(); s != nil; s = s.NextSibling() {
					addItem(s)
				}
				continue
			}
			addItem(it)
		}
	case *ast.Paragraph:
		// A paragraph that starts with a time (timelines pasted from a
		// document, one paragraph an entry), or lines that each start
		// with one: an entry a line (a line that does not goes on the
		// entry above it).
		var groups [][]ast.Node
		for _, l := range paragraphLines(x) {
			if len(groups) == 0 || timeline.StartsWithClock(linePlain(l, md)) {
				groups = append(groups, l)
			} else {
				groups[len(groups)-1] = append(groups[len(groups)-1], l...)
			}
		}
		if len(groups) <= 1 {
			var nd tlNodes
			if w.tl.render {
				nd.parts = []ast.Node{x}
			}
			w.addEntry(w.plainString(x, md, false), w.blockPos(x), false, nil, nd)
			break
		}
		for _, g := range groups {
			pos := w.blockPos(x)
			if t, ok := g[0].(*ast.Text); ok {
				pos = w.pos(t.Segment.Start)
			}
			var nd tlNodes
			if w.tl.render {
				// The line's nodes move into a block of their own
				// under the paragraph, which the timeline shows (and
				// links are resolved in) instead of the paragraph.
				tb := ast.NewTextBlock()
				for _, n := range g {
					x.RemoveChild(x, n)
					tb.AppendChild(tb, n)
				}
				if t, ok := g[len(g)-1].(*ast.Text); ok {
					// The line's own break ends the entry.
					t.SetSoftLineBreak(false)
					t.SetHardLineBreak(false)
				}
				x.AppendChild(x, tb)
				nd.parts = []ast.Node{tb}
			}
			w.addEntry(linePlain(g, md), pos, false, nil, nd)
		}
	case *east.Table:
		var zone *time.Location // the header's (Time (UTC), Time (CET))
		for row := x.FirstChild(); row != nil; row = row.NextSibling() {
			if _, ok := row.(*east.TableHeader); ok {
				w.inl = w.blockLines(w.inl[:0], row, md)
				zone = timeline.CaptionZone(string(w.inl))
				if w.tl.render && markdown.HasLink(row) {
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
				if t == "" && !markdown.HasLink(c) {
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
			w.addEntry(b.String(), w.blockPos(cell), true, zone, nd)
		}
	}
	if w.tl.render {
		b := tlBlock{node: n, from: from, to: len(w.entries)}
		if _, para := n.(*ast.Paragraph); para && len(w.tl.blocks) > 0 {
			prev := &w.tl.blocks[len(w.tl.blocks)-1]
			if _, prevPara := prev.node.(*ast.Paragraph); prevPara && prev.node.NextSibling() == n {
				prev.joinNext, b.joinPrev = true, true
			}
		}
		w.tl.blocks = append(w.tl.blocks, b)
	}
}

// dayItem reports whether the list item it only gives a day ("May 9",
// "**Tuesday 2024-03-12**", "Day 2") over a list whose first item starts
// with a clock: it then returns the day's text and that list.
func (w *walker) dayItem(it ast.Node, md []byte) (string, *ast.List) {
	first := it.FirstChild()
	if first == nil || first.NextSibling() == nil || first.NextSibling().NextSibling() != nil {
		return "", nil
	}
	sub, ok := first.NextSibling().(*ast.List)
	if !ok || sub.FirstChild() == nil || sub.FirstChild().FirstChild() == nil {
		return "", nil
	}
	switch first.(type) {
	case *ast.Paragraph, *ast.TextBlock:
	default:
		return "", nil
	}
	day := w.plainString(first, md, false)
	if !timeline.IsDayLine(day) || !timeline.StartsWithClock(w.plainString(sub.FirstChild().FirstChild(), md, false)) {
		return "", nil
	}
	return strings.Clone(day), sub
}

// paragraphLines returns the inline nodes of p by line: a line ends
// after a text that ends in a line break (a node that holds a break
// inside it, emphasis over two lines, stays on its first line).
func paragraphLines(p ast.Node) [][]ast.Node {
	var lines [][]ast.Node
	var cur []ast.Node
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		cur = append(cur, c)
		if t, ok := c.(*ast.Text); ok && (t.SoftLineBreak() || t.HardLineBreak()) {
			lines = append(lines, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return lines
}

// linePlain returns the trimmed inline text of nodes.
func linePlain(nodes []ast.Node, md []byte) string {
	var b []byte
	for _, n := range nodes {
		b = markdown.AppendInline(b, n, md)
	}
	return strings.TrimSpace(string(b))
}

// addEntry reads the time of an entry whose plain text is txt.
func (w *walker) addEntry(txt string, pos diag.Pos, table bool, zone *time.Location, nd tlNodes) {
	if !table {
		// A copy, of which the time and the text are pieces: a list
		// item's text may be a piece of the body's (a table row's is
		// made for the entry).
		txt = strings.Clone(txt)
	}
	t := w.tl.times.Entry(txt, table, zone)
	e := TimelineEntry{Pos: pos, Placed: t.Placed}
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
	if !b.joinPrev {
		w.hw.Buf = append(w.hw.Buf, `<ol class="timeline">`+"\n"...)
	}
	for i := b.from; i < b.to; i++ {
		e := &w.entries[i]
		w.hw.Buf = w.tl.markers.Append(w.hw.Buf, timeline.Marker{OK: e.OK, Approx: e.Approx, DateOnly: e.DateOnly,
			TimeText: e.TimeText, Time: e.Time, End: e.End})
		w.hw.Buf = append(w.hw.Buf, ` <span class="tl-text">`...)
		nd := w.tl.nodes[i]
		parts := markdown.StripParts(nd.parts, nd.skip, entrySep, md)
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
	if !b.joinNext {
		w.hw.Buf = append(w.hw.Buf, "</ol>\n"...)
	}
	return nil
}

// Latest is the latest moment the entry may stand for: its time, or the
// end of its day for a date-only entry.
func (e *TimelineEntry) Latest() time.Time {
	if e.DateOnly {
		return e.Time.AddDate(0, 0, 1).Add(-time.Nanosecond)
	}
	return e.Time
}
