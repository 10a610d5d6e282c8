package site

import (
	"html"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// timelineBody returns p's rendered body with the timeline section's list
// (or table) replaced by a visual timeline built from Body.Timeline. The
// entries keep their plain text; inline formatting inside timeline
// entries is not carried over.
func timelineBody(p *postmortem.Postmortem, loc *time.Location) string {
	b := &p.Body
	if len(b.Timeline) == 0 {
		return b.HTML
	}
	pre, parts, ok := splitSections(b.HTML, b.Sections)
	if !ok {
		return b.HTML
	}
	first := b.Timeline[0].Pos.Line
	sec := -1
	for i, s := range b.Sections {
		if first >= s.Pos.Line && (s.EndLine == 0 || first <= s.EndLine) {
			sec = i
		}
	}
	if sec < 0 {
		return b.HTML
	}
	part := parts[sec]
	start, end := firstBlock(part)
	if start < 0 {
		return b.HTML
	}
	var out strings.Builder
	out.Grow(len(b.HTML) + 512)
	out.WriteString(pre)
	for i := 0; i < sec; i++ {
		out.WriteString(parts[i])
	}
	out.WriteString(part[:start])
	writeTimeline(&out, b.Timeline, loc)
	out.WriteString(part[end:])
	for i := sec + 1; i < len(parts); i++ {
		out.WriteString(parts[i])
	}
	return out.String()
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

// writeTimeline writes the visual timeline: an ordered list with a time
// marker per entry, days grouped.
func writeTimeline(w *strings.Builder, entries []postmortem.TimelineEntry, loc *time.Location) {
	w.WriteString(`<ol class="timeline">` + "\n")
	lastDay := ""
	for _, e := range entries {
		cls := "tl-entry"
		if !e.OK {
			cls += " tl-unparsed"
		}
		w.WriteString(`<li class="` + cls + `">`)
		if e.OK {
			t := e.Time.In(loc)
			day := t.Format("2006-01-02")
			w.WriteString(`<time class="tl-time" datetime="` + t.Format(time.RFC3339) + `">`)
			if day != lastDay {
				w.WriteString(`<span class="tl-day">` + t.Format("Mon 2 Jan 2006") + `</span> `)
				lastDay = day
			}
			w.WriteString(`<span class="tl-clock">` + t.Format("15:04 MST") + `</span></time>`)
		} else if e.TimeText != "" {
			w.WriteString(`<span class="tl-time">` + html.EscapeString(e.TimeText) + `</span>`)
		}
		w.WriteString(` <span class="tl-text">` + html.EscapeString(e.Text) + "</span></li>\n")
	}
	w.WriteString("</ol>\n")
}
