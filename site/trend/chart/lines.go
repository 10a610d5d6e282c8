package chart

import (
	"html/template"
	"math"
)

// Lines is a line chart of several series over categories (quarters),
// with a dot at each value. NaN values break the line.
type Lines struct {
	Frame
	Labels []string
	Series []Series
	YLabel string
	// Integer makes the axis ticks whole numbers.
	Integer       bool
	Width, Height int
}

// SVG renders the chart.
func (c Lines) SVG() template.HTML {
	W, H := size(c.Width, c.Height, 1080, 280)
	var s svgBuilder
	s.open(c.Frame, W, H, "chart-lines")
	names, classes := legendOf(c.Series)
	left, right := 48.0, float64(W)-10
	top := s.legend(left, 14, right, names, classes, "line") + 4
	bottom := float64(H) - 34
	max := 0.0
	for _, se := range c.Series {
		for _, v := range se.Values {
			if !math.IsNaN(v) && v > max {
				max = v
			}
		}
	}
	ymax, step := niceScale(max, 4, c.Integer)
	y := func(v float64) float64 { return bottom - (bottom-top)*v/ymax }
	s.b.WriteString(`<g class="axis y-axis">`)
	for v := 0.0; v <= ymax+step/2; v += step {
		s.line(left, y(v), right, y(v), "grid")
		s.text(left-6, y(v)+4, "end", "tick-label", fmtNum(v))
	}
	if c.YLabel != "" {
		mid := num((top + bottom) / 2)
		s.printf(`<text x="12" y="%s" text-anchor="middle" class="axis-label" transform="rotate(-90 12 %s)">%s</text>`, mid, mid, esc(c.YLabel))
	}
	s.b.WriteString(`</g>`)
	s.line(left, bottom, right, bottom, "baseline")
	n := len(c.Labels)
	if n == 0 {
		s.text((left+right)/2, (top+bottom)/2, "middle", "empty-label", "No data")
		return s.close()
	}
	band := (right - left) / float64(n)
	x := func(i int) float64 { return left + band*(float64(i)+0.5) }
	for j, se := range c.Series {
		cl := se.class(j)
		d := ""
		pen := false
		for i := range c.Labels {
			if i >= len(se.Values) || math.IsNaN(se.Values[i]) {
				pen = false
				continue
			}
			if pen {
				d += "L"
			} else {
				d += "M"
			}
			d += num(x(i)) + " " + num(y(se.Values[i]))
			pen = true
		}
		if d != "" {
			s.printf(`<path d="%s" class="series-line %s"/>`, d, cl)
		}
		for i := range c.Labels {
			if i >= len(se.Values) || math.IsNaN(se.Values[i]) {
				continue
			}
			s.printf(`<circle cx="%s" cy="%s" r="3" class="dot %s"><title>%s</title></circle>`, num(x(i)), num(y(se.Values[i])), cl, esc(tip(c.Labels[i], se.Name, se.Values[i])))
		}
	}
	s.xLabels(c.Labels, left, right, bottom, x)
	return s.close()
}

// Spark is a small bar chart for a term page: one bar per category
// (quarter), the first and last labels under the axis and the maximum
// beside it.
type Spark struct {
	Frame
	Labels []string
	Values []float64
	// Class is the bar colour class; empty means "s6".
	Class         string
	Width, Height int
}

// SVG renders the chart.
func (c Spark) SVG() template.HTML {
	W, H := size(c.Width, c.Height, 320, 90)
	class := c.Class
	if class == "" {
		class = "s6"
	}
	var s svgBuilder
	s.open(c.Frame, W, H, "chart-spark")
	left, right, top, bottom := 28.0, float64(W)-4, 8.0, float64(H)-20
	n := len(c.Labels)
	s.line(left, bottom, right, bottom, "baseline")
	if n == 0 {
		s.text((left+right)/2, (top+bottom)/2, "middle", "empty-label", "No data")
		return s.close()
	}
	max := 0.0
	for _, v := range c.Values {
		if v > max {
			max = v
		}
	}
	ymax, _ := niceScale(max, 1, true)
	s.line(left, top, right, top, "grid")
	s.text(left-4, top+4, "end", "tick-label", fmtNum(ymax))
	s.text(left-4, bottom+4, "end", "tick-label", "0")
	band := (right - left) / float64(n)
	gap := math.Min(band*0.2, 3)
	for i, l := range c.Labels {
		v := at(c.Values, i)
		if v <= 0 {
			continue
		}
		h := (bottom - top) * v / ymax
		s.rect(left+band*float64(i)+gap/2, bottom-h, band-gap, h, "bar "+class, tip(l, "", v))
	}
	s.text(left, bottom+14, "start", "tick-label", c.Labels[0])
	if n > 1 {
		s.text(right, bottom+14, "end", "tick-label", c.Labels[n-1])
	}
	return s.close()
}
