package chart

import (
	"html/template"
	"math"
	"strconv"
)

// Box is the spread of one group of durations, in minutes.
type Box struct {
	N                               int
	Min, P25, Median, P75, P90, Max float64
}

// Boxes draws one box plot per category on a logarithmic minutes axis:
// a thin line from the minimum to the maximum, a box from the 25th to the
// 75th percentile, a thick bar at the median and a diamond at the 90th
// percentile. Categories with N = 0 are left empty. Values under one
// minute are drawn at one minute (the axis floor).
type Boxes struct {
	Frame
	Labels []string
	Boxes  []Box
	// Class is the box colour class; empty means "s3".
	Class string
	// YLabel names the vertical axis.
	YLabel        string
	Width, Height int
}

// logTicks are the axis ticks in minutes, with their labels.
var logTicks = []struct {
	m     float64
	label string
}{{1, "1 min"}, {10, "10 min"}, {60, "1 h"}, {360, "6 h"}, {1440, "1 d"}, {10080, "7 d"}, {43200, "30 d"}, {525600, "1 y"}}

// SVG renders the chart.
func (c Boxes) SVG() template.HTML {
	W, H := size(c.Width, c.Height, 1080, 280)
	class := c.Class
	if class == "" {
		class = "s3"
	}
	var s svgBuilder
	s.open(c.Frame, W, H, "chart-boxes")
	left, right := 74.0, float64(W)-10
	top := s.legend(left, 14, right, []string{"min–max", "25th–75th percentile", "median", "90th percentile"},
		[]string{"whisker", "box " + class, "median", "p90"}, "box") + 4
	bottom := float64(H) - 34
	// Axis range: from 1 min up to the tick above the largest value.
	hi := 60.0
	for _, b := range c.Boxes {
		if b.N > 0 && b.Max > hi {
			hi = b.Max
		}
	}
	lmax := math.Log10(hi) * 1.05
	y := func(m float64) float64 {
		if m < 1 {
			m = 1
		}
		return bottom - (bottom-top)*math.Log10(m)/lmax
	}
	s.b.WriteString(`<g class="axis y-axis">`)
	for _, t := range logTicks {
		if math.Log10(t.m) > lmax {
			break
		}
		s.line(left, y(t.m), right, y(t.m), "grid")
		s.text(left-6, y(t.m)+4, "end", "tick-label", t.label)
	}
	if c.YLabel != "" {
		mid := num((top + bottom) / 2)
		s.printf(`<text x="12" y="%s" text-anchor="middle" class="axis-label" transform="rotate(-90 12 %s)">%s</text>`, mid, mid, esc(c.YLabel))
	}
	s.b.WriteString(`</g>`)
	n := len(c.Labels)
	s.line(left, bottom, right, bottom, "baseline")
	if n == 0 {
		s.text((left+right)/2, (top+bottom)/2, "middle", "empty-label", "No data")
		return s.close()
	}
	band := (right - left) / float64(n)
	bw := math.Min(band*0.6, 28)
	s.b.WriteString(`<g class="boxes">`)
	for i, label := range c.Labels {
		if i >= len(c.Boxes) || c.Boxes[i].N == 0 {
			continue
		}
		b := c.Boxes[i]
		cx := left + band*(float64(i)+0.5)
		t := label + ": n=" + strconv.Itoa(b.N) + ", median " + Minutes(b.Median) + ", p90 " + Minutes(b.P90) +
			", 25th–75th " + Minutes(b.P25) + "–" + Minutes(b.P75) + ", range " + Minutes(b.Min) + "–" + Minutes(b.Max)
		s.printf(`<g class="box-group"><title>%s</title>`, esc(t))
		s.line(cx, y(b.Min), cx, y(b.Max), "whisker")
		h := y(b.P25) - y(b.P75)
		if h < 1 {
			h = 1
		}
		s.rect(cx-bw/2, y(b.P75), bw, h, "box "+class, "")
		s.line(cx-bw/2, y(b.Median), cx+bw/2, y(b.Median), "median")
		py := y(b.P90)
		s.printf(`<path d="M%s %sl4 4l-4 4l-4-4z" class="p90"/>`, num(cx), num(py-4))
		s.b.WriteString(`</g>`)
	}
	s.b.WriteString(`</g>`)
	s.xLabels(c.Labels, left, right, bottom, func(i int) float64 { return left + band*(float64(i)+0.5) })
	return s.close()
}
