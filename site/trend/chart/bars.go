package chart

import (
	"html/template"
	"math"
	"strings"
)

// Series is one named row of values, one per category.
type Series struct {
	Name string
	// Class is the palette class ("s1"…); empty means Class(index).
	Class  string
	Values []float64
}

func (s Series) class(i int) string {
	if s.Class != "" {
		return s.Class
	}
	return Class(i)
}

// Bars is a vertical bar chart over categories (months, quarters, bins):
// one stack (Stacked) or one group of bars per category.
type Bars struct {
	Frame
	// Labels name the categories along the x axis.
	Labels []string
	Series []Series
	// Stacked stacks the series; otherwise they stand side by side.
	Stacked bool
	// YLabel names the vertical axis ("incidents").
	YLabel string
	// Integer makes the axis ticks whole numbers (counts).
	Integer bool
	// Width and Height of the viewBox; zero means 1080×280 (one user
	// unit is about one CSS pixel in a full-width column).
	Width, Height int
}

// SVG renders the chart.
func (c Bars) SVG() template.HTML {
	W, H := size(c.Width, c.Height, 1080, 280)
	var s svgBuilder
	s.open(c.Frame, W, H, "chart-bars")
	names, classes := legendOf(c.Series)
	left, right := 48.0, float64(W)-10
	top := 16.0
	if len(c.Series) > 1 {
		top = s.legend(left, 14, right, names, classes, "box") + 4
	}
	bottom := float64(H) - 34
	// Maximum of the stacks or of single values.
	max := 0.0
	for i := range c.Labels {
		sum := 0.0
		for _, se := range c.Series {
			v := at(se.Values, i)
			if c.Stacked {
				sum += v
			} else if v > max {
				max = v
			}
		}
		if sum > max {
			max = sum
		}
	}
	ymax, step := niceScale(max, 4, c.Integer)
	y := func(v float64) float64 { return bottom - (bottom-top)*v/ymax }
	// Grid and y ticks.
	s.b.WriteString(`<g class="axis y-axis">`)
	for v := 0.0; v <= ymax+step/2; v += step {
		s.line(left, y(v), right, y(v), "grid")
		s.text(left-6, y(v)+4, "end", "tick-label", fmtNum(v))
	}
	if c.YLabel != "" {
		s.printf(`<text x="12" y="%s" text-anchor="middle" class="axis-label" transform="rotate(-90 12 %s)">%s</text>`, num((top+bottom)/2), num((top+bottom)/2), esc(c.YLabel))
	}
	s.b.WriteString(`</g>`)
	n := len(c.Labels)
	if n == 0 {
		s.text((left+right)/2, (top+bottom)/2, "middle", "empty-label", "No data")
		s.line(left, bottom, right, bottom, "baseline")
		return s.close()
	}
	band := (right - left) / float64(n)
	gap := math.Min(band*0.2, 6)
	s.b.WriteString(`<g class="bars">`)
	for i, label := range c.Labels {
		x0 := left + band*float64(i) + gap/2
		w := band - gap
		if c.Stacked {
			acc := 0.0
			for j, se := range c.Series {
				v := at(se.Values, i)
				if v <= 0 {
					continue
				}
				s.rect(x0, y(acc+v), w, y(acc)-y(acc+v), "bar "+se.class(j), tip(label, se.Name, v))
				acc += v
			}
			continue
		}
		bw := w / float64(max1(len(c.Series)))
		for j, se := range c.Series {
			v := at(se.Values, i)
			if v <= 0 {
				continue
			}
			s.rect(x0+bw*float64(j), y(v), bw, y(0)-y(v), "bar "+se.class(j), tip(label, se.Name, v))
		}
	}
	s.b.WriteString(`</g>`)
	s.line(left, bottom, right, bottom, "baseline")
	// X labels, thinned to fit.
	s.xLabels(c.Labels, left, right, bottom, func(i int) float64 { return left + band*(float64(i)+0.5) })
	return s.close()
}

func tip(label, series string, v float64) string {
	if series == "" {
		return label + ": " + fmtNum(v)
	}
	return label + ", " + series + ": " + fmtNum(v)
}

func at(vs []float64, i int) float64 {
	if i < len(vs) && !math.IsNaN(vs[i]) {
		return vs[i]
	}
	return 0
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

func longest(ls []string) string {
	l := ""
	for _, s := range ls {
		if len([]rune(s)) > len([]rune(l)) {
			l = s
		}
	}
	return strings.TrimSpace(l)
}
