package site

import (
	"html"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// timelineBody returns p's rendered body with the timeline section's list
// (or table) replaced by a visual timeline built from Body.Timeline. Each
// entry keeps the inline formatting it was written with (code, links,
// emphasis), taken from the rendered list (see entryHTML).
func timelineBody(p *postmortem.Postmortem, loc *time.Location) string {
	if len(p.Body.Timeline) == 0 {
		return p.Body.HTML
	}
	return string(appendTimelineBody(make([]byte, 0, len(p.Body.HTML)+512), p, loc))
}

// appendTimelineBody appends what timelineBody returns to dst (the
// compiled postmortem page writes it straight into the page).
func appendTimelineBody(dst []byte, p *postmortem.Postmortem, loc *time.Location) []byte {
	b := &p.Body
	if len(b.Timeline) == 0 {
		return append(dst, b.HTML...)
	}
	first := b.Timeline[0].Pos.Line
	sec := -1
	for i, s := range b.Sections {
		if first >= s.Pos.Line && (s.EndLine == 0 || first <= s.EndLine) {
			sec = i
		}
	}
	if sec < 0 {
		return append(dst, b.HTML...)
	}
	lo, hi, ok := b.SectionHTML(sec)
	if !ok {
		return append(dst, b.HTML...)
	}
	part := b.HTML[lo:hi]
	start, end := firstBlock(part)
	if start < 0 {
		return append(dst, b.HTML...)
	}
	dst = append(dst, b.HTML[:lo+start]...)
	dst = appendTimeline(dst, b.Timeline, entryHTML(part[start:end], b.Timeline), loc)
	return append(dst, b.HTML[lo+end:]...)
}

// firstBlock finds the first top-level <ul>, <ol> or <table> element of a
// section's HTML and returns its byte range (end exclusive, trailing
// newline included).
func firstBlock(h string) (int, int) {
	start, tag := -1, ""
	for _, t := range []string{"ul", "ol", "table"} {
		for off := 0; ; {
			i := strings.Index(h[off:], "<"+t)
			if i < 0 {
				break
			}
			i += off
			c := h[i+1+len(t)]
			if c == '>' || c == ' ' {
				if start < 0 || i < start {
					start, tag = i, t
				}
				break
			}
			off = i + 1
		}
	}
	if start < 0 {
		return -1, -1
	}
	depth := 0
	open, closing := "<"+tag, "</"+tag+">"
	for i := start; i < len(h); {
		switch {
		case strings.HasPrefix(h[i:], closing):
			depth--
			i += len(closing)
			if depth == 0 {
				if i < len(h) && h[i] == '\n' {
					i++
				}
				return start, i
			}
		case strings.HasPrefix(h[i:], open) && (h[i+len(open)] == '>' || h[i+len(open)] == ' '):
			depth++
			i += len(open)
		default:
			i++
		}
	}
	return -1, -1
}

// appendTimeline appends the visual timeline: an ordered list with a
// time marker per entry, days grouped.
// texts, when not nil, holds each entry's description as HTML ("" for
// one that falls back to its escaped plain text).
func appendTimeline(w []byte, entries []postmortem.TimelineEntry, texts []string, loc *time.Location) []byte {
	w = append(w, `<ol class="timeline">`+"\n"...)
	type day struct {
		y    int
		m    time.Month
		d    int
		seen bool
	}
	var lastDay day
	for i, e := range entries {
		w = append(w, `<li class="tl-entry`...)
		if !e.OK {
			w = append(w, ` tl-unparsed`...)
		}
		w = append(w, `">`...)
		if e.OK {
			t := e.Time.In(loc)
			w = append(w, `<time class="tl-time" datetime="`...)
			w = t.AppendFormat(w, time.RFC3339)
			w = append(w, `">`...)
			y, m, d := t.Date()
			if today := (day{y, m, d, true}); today != lastDay {
				w = append(w, `<span class="tl-day">`...)
				w = t.AppendFormat(w, "Mon 2 Jan 2006")
				w = append(w, `</span> `...)
				lastDay = today
			}
			w = append(w, `<span class="tl-clock">`...)
			w = t.AppendFormat(w, "15:04 MST")
			w = append(w, `</span></time>`...)
		} else if e.TimeText != "" {
			w = append(w, `<span class="tl-time">`...)
			w = append(w, html.EscapeString(e.TimeText)...)
			w = append(w, `</span>`...)
		}
		w = append(w, ` <span class="tl-text">`...)
		if i < len(texts) && texts[i] != "" {
			w = append(w, texts[i]...)
		} else {
			w = append(w, html.EscapeString(e.Text)...)
		}
		w = append(w, "</span></li>\n"...)
	}
	return append(w, "</ol>\n"...)
}

// entryHTML returns each timeline entry's description as HTML, with the
// inline formatting the author wrote, cut out of block (the rendered list
// or table the entries were read from): the item's first paragraph (for a
// table, its first two cells joined by " — ", as the parser reads them)
// without the visible text of its time. An entry whose HTML does not show
// exactly its plain description gets "" (the caller escapes the plain
// text); when the items and the entries do not pair up, the result is nil.
func entryHTML(block string, entries []postmortem.TimelineEntry) []string {
	items := timelineItems(block)
	if len(items) != len(entries) {
		return nil
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		want := collapseSpace(e.Text)
		vis := collapseSpace(visibleText(items[i]))
		if !strings.HasSuffix(vis, want) {
			continue
		}
		skip := 0 // non-space runes of the time and separator before the text
		for _, r := range vis[:len(vis)-len(want)] {
			if r != ' ' {
				skip++
			}
		}
		h := stripVisible(items[i], skip)
		if collapseSpace(visibleText(h)) == want {
			out[i] = strings.TrimSpace(h)
		}
	}
	return out
}

// collapseSpace is strings.Join(strings.Fields(s), " "), without
// allocating when s is already collapsed (the common case).
func collapseSpace(s string) string {
	prevSpace := true // a leading space must go
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case ' ':
				if prevSpace {
					return strings.Join(strings.Fields(s), " ")
				}
				prevSpace = true
			case '\t', '\n', '\v', '\f', '\r':
				return strings.Join(strings.Fields(s), " ")
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return strings.Join(strings.Fields(s), " ")
		}
		prevSpace = false
		i += w
	}
	if prevSpace && s != "" { // a trailing space
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

// timelineItems returns the HTML of each entry of a rendered list (each
// top-level item's first paragraph) or table (each body row's first two
// cells, joined by " — ").
func timelineItems(block string) []string {
	var out []string
	if strings.HasPrefix(block, "<table") {
		body := block
		if i := strings.Index(block, "<tbody>"); i >= 0 {
			body = block[i:]
		} else {
			return nil
		}
		for _, row := range between(body, "<tr>", "</tr>") {
			cells := between(row, "<td", "</td>")
			if len(cells) == 0 {
				continue
			}
			for k, c := range cells {
				if j := strings.IndexByte(c, '>'); j >= 0 { // the rest of <td …>
					cells[k] = c[j+1:]
				}
			}
			item := cells[0]
			if len(cells) > 1 {
				item += " — " + cells[1]
			}
			out = append(out, item)
		}
		return out
	}
	// A list: top-level <li> elements (nested lists are skipped).
	depth := 0
	start := -1
	for i := 0; i < len(block); {
		switch {
		case strings.HasPrefix(block[i:], "<ul") || strings.HasPrefix(block[i:], "<ol"):
			depth++
			i += 3
		case strings.HasPrefix(block[i:], "</ul>") || strings.HasPrefix(block[i:], "</ol>"):
			depth--
			i += 5
		case depth == 1 && strings.HasPrefix(block[i:], "<li"):
			j := strings.IndexByte(block[i:], '>')
			if j < 0 {
				return nil
			}
			start = i + j + 1
			i = start
		case depth == 1 && strings.HasPrefix(block[i:], "</li>"):
			if start < 0 {
				return nil
			}
			out = append(out, firstParagraph(block[start:i]))
			start = -1
			i += 5
		default:
			i++
		}
	}
	return out
}

// between returns the texts between each open and the next close.
func between(s, open, close string) []string {
	var out []string
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return out
		}
		s = s[i+len(open):]
		j := strings.Index(s, close)
		if j < 0 {
			return out
		}
		out = append(out, s[:j])
		s = s[j+len(close):]
	}
}

// firstParagraph returns the inline HTML of a list item's first block:
// the content of its first <p> in a loose list, else everything before
// the first nested block.
func firstParagraph(li string) string {
	t := strings.TrimLeft(li, "\n")
	if strings.HasPrefix(t, "<p>") {
		if j := strings.Index(t, "</p>"); j >= 0 {
			return t[3:j]
		}
	}
	for _, b := range []string{"\n<ul", "\n<ol", "\n<p>", "\n<pre", "\n<blockquote", "\n<table", "\n<div"} {
		if j := strings.Index(t, b); j >= 0 {
			t = t[:j]
		}
	}
	return t
}

// visibleText returns the text of an HTML fragment: tags dropped,
// character references decoded.
func visibleText(h string) string {
	if strings.IndexByte(h, '<') < 0 {
		return html.UnescapeString(h) // h itself when it has no references
	}
	var b strings.Builder
	b.Grow(len(h))
	for i := 0; i < len(h); {
		if h[i] == '<' {
			j := strings.IndexByte(h[i:], '>')
			if j < 0 {
				break
			}
			i += j + 1
			continue
		}
		j := strings.IndexByte(h[i:], '<')
		if j < 0 {
			j = len(h) - i
		}
		b.WriteString(html.UnescapeString(h[i : i+j]))
		i += j
	}
	return b.String()
}

// stripVisible removes from h its first n visible non-space characters
// (with the white space and the tags among them), then the white space and
// the closing tags right after. Elements opened in the removed part and
// still open are opened again in front, so the result stays balanced.
func stripVisible(h string, n int) string {
	var open []string // tags opened in the removed part, as written
	i := 0
	done := func() bool { return n <= 0 }
	for i < len(h) && !done() {
		if h[i] == '<' {
			j := strings.IndexByte(h[i:], '>')
			if j < 0 {
				return h
			}
			tag := h[i : i+j+1]
			i += j + 1
			switch {
			case strings.HasPrefix(tag, "</"):
				if len(open) > 0 {
					open = open[:len(open)-1]
				}
			case strings.HasSuffix(tag, "/>") || isVoid(tag):
			default:
				open = append(open, tag)
			}
			continue
		}
		if h[i] == '&' {
			if j := strings.IndexByte(h[i:], ';'); j > 0 && j < 12 {
				i += j + 1
				n--
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(h[i:])
		if !unicode.IsSpace(r) {
			n--
		}
		i += size
	}
	// White space and closing tags of what was removed.
	for i < len(h) {
		if r, size := utf8.DecodeRuneInString(h[i:]); unicode.IsSpace(r) {
			i += size
			continue
		}
		if strings.HasPrefix(h[i:], "</") && len(open) > 0 {
			j := strings.IndexByte(h[i:], '>')
			if j < 0 {
				break
			}
			open = open[:len(open)-1]
			i += j + 1
			continue
		}
		break
	}
	return strings.Join(open, "") + h[i:]
}

// isVoid reports an opening tag of an element without content.
func isVoid(tag string) bool {
	for _, v := range []string{"<br", "<img", "<input", "<hr", "<wbr"} {
		if strings.HasPrefix(tag, v) && (len(tag) == len(v)+1 || tag[len(v)] == ' ' || tag[len(v)] == '>' || tag[len(v)] == '/') {
			return true
		}
	}
	return false
}
