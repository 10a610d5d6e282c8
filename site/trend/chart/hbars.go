package chart

import (
	"html/template"
)

// HBars is a horizontal bar chart of labelled values, largest first as
// given, with an optional note after each bar (e.g. "+3 vs previous").
type HBars struct {
	Frame
	Labels []string
	Values []float64
	// Notes are drawn after each bar's value; may be shorter than Labels.
	Notes []string
	// NoteClasses style each note (e.g. "up", "down"); may be empty.
	NoteClasses []string
	// Class is the bar colour class; empty means "s6" (blue).
	Class string
	// Width of the viewBox; zero means 540 (half a page). The height
	// follows the rows.
	Width int
}

// SVG renders the chart.
func (c HBars) SVG() template.HTML {
	W := c.Width
	if W == 0 {
		W = 540
	}
	row := 22.0
	H := int(row*float64(len(c.Labels))) + 12
	if len(c.Labels) == 0 {
		H = 60
	}
	var s svgBuilder
	s.open(c.Frame, W, H, "chart-hbars")
	if len(c.Labels) == 0 {
		s.text(float64(W)/2, 34, "middle", "empty-label", "No data")
		return s.close()
	}
	labelW := 0
	for _, l := range c.Labels {
		if w := textWidth(l); w > labelW {
			labelW = w
		}
	}
	if labelW > W/3 {
		labelW = W / 3
	}
	left := float64(labelW) + 12
	right := float64(W) - 110
	max := 0.0
	for _, v := range c.Values {
		if v > max {
			max = v
		}
	}
	if max == 0 {
		max = 1
	}
	class := c.Class
	if class == "" {
		class = "s6"
	}
	s.line(left, 4, left, float64(H)-4, "baseline")
	for i, l := range c.Labels {
		v := at(c.Values, i)
		y := 6 + row*float64(i)
		w := (right - left) * v / max
		s.text(left-6, y+13, "end", "bar-label", truncate(l, labelW))
		s.rect(left, y+2, w, row-8, "bar "+class, tip(l, "", v))
		s.text(left+w+6, y+13, "start", "value-label", fmtNum(v))
		if i < len(c.Notes) && c.Notes[i] != "" {
			nc := "note"
			if i < len(c.NoteClasses) && c.NoteClasses[i] != "" {
				nc += " " + c.NoteClasses[i]
			}
			s.text(left+w+14+float64(textWidth(fmtNum(v))), y+13, "start", nc, c.Notes[i])
		}
	}
	return s.close()
}

// truncate shortens t to about width units, with an ellipsis.
func truncate(t string, width int) string {
	r := []rune(t)
	max := int(float64(width) / 6.2)
	if len(r) <= max || max < 2 {
		return t
	}
	return string(r[:max-1]) + "…"
}
