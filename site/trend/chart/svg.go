package chart

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Palette classes: series i (0-based) gets Class(i). The theme maps s1…s8
// to the Okabe–Ito colours: s1 vermillion, s2 orange, s3 sky blue, s4
// bluish green, s5 yellow, s6 blue, s7 reddish purple, s8 grey.
const paletteSize = 8

// Class returns the palette class of series i ("s1"…"s8", cycling).
func Class(i int) string { return "s" + strconv.Itoa(i%paletteSize+1) }

// Frame is what every chart has: an id unique on the page (used for the
// title and desc ids), a title and a description for screen readers.
type Frame struct {
	// ID is unique on the page, e.g. "chart-severity".
	ID string
	// Title is read as the chart's name.
	Title string
	// Desc summarises what the chart shows (and says the table beside it
	// holds the numbers).
	Desc string
}

// svgBuilder accumulates markup.
type svgBuilder struct{ b strings.Builder }

func (s *svgBuilder) open(f Frame, w, h int, class string) {
	id := esc(f.ID)
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" class="chart-svg %s" role="img" aria-labelledby="%s-title %s-desc" preserveAspectRatio="xMidYMid meet">`, w, h, class, id, id)
	fmt.Fprintf(&s.b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(f.Title), id, esc(f.Desc))
}

func (s *svgBuilder) close() template.HTML {
	s.b.WriteString("</svg>")
	return template.HTML(s.b.String())
}

func (s *svgBuilder) printf(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

// text writes a text element; anchor is start, middle or end.
func (s *svgBuilder) text(x, y float64, anchor, class, t string) {
	s.printf(`<text x="%s" y="%s" text-anchor="%s" class="%s">%s</text>`, num(x), num(y), anchor, class, esc(t))
}

// rect writes a rectangle with an optional tooltip.
func (s *svgBuilder) rect(x, y, w, h float64, class, tip string) {
	if h < 0 {
		y, h = y+h, -h
	}
	if tip == "" {
		s.printf(`<rect x="%s" y="%s" width="%s" height="%s" class="%s"/>`, num(x), num(y), num(w), num(h), class)
		return
	}
	s.printf(`<rect x="%s" y="%s" width="%s" height="%s" class="%s"><title>%s</title></rect>`, num(x), num(y), num(w), num(h), class, esc(tip))
}

func (s *svgBuilder) line(x1, y1, x2, y2 float64, class string) {
	s.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" class="%s"/>`, num(x1), num(y1), num(x2), num(y2), class)
}

// legend draws swatches and names in a row starting at (x, y), wrapping
// at maxX. It returns the y below the legend.
func (s *svgBuilder) legend(x, y, maxX float64, names, classes []string, kind string) float64 {
	if len(names) == 0 {
		return y
	}
	s.b.WriteString(`<g class="legend">`)
	cx, cy := x, y
	for i, n := range names {
		w := 18 + float64(textWidth(n)) + 14
		if cx+w > maxX && cx > x {
			cx, cy = x, cy+16
		}
		switch kind {
		case "line":
			s.line(cx, cy-4, cx+12, cy-4, "series-line "+classes[i])
		default:
			s.rect(cx, cy-10, 12, 12, "swatch "+classes[i], "")
		}
		s.text(cx+16, cy, "start", "legend-label", n)
		cx += w
	}
	s.b.WriteString(`</g>`)
	return cy + 12
}

// textWidth estimates the width in user units of t in the 11px label font.
func textWidth(t string) int { return int(math.Ceil(float64(len([]rune(t))) * 6.2)) }

func esc(s string) string { return template.HTMLEscapeString(s) }

// num formats a coordinate with at most one decimal.
func num(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

// niceScale returns a rounded maximum and a tick step covering max with
// about n ticks. Counts use integer steps.
func niceScale(max float64, n int, integer bool) (top, step float64) {
	if max <= 0 {
		return 1, 1
	}
	raw := max / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step = m * mag
		if step >= raw {
			break
		}
	}
	if integer && step < 1 {
		step = 1
	}
	if integer {
		step = math.Ceil(step)
	}
	top = math.Ceil(max/step) * step
	return top, step
}

// fmtNum formats an axis or value label: integers without decimals,
// others with up to one.
func fmtNum(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// labelEvery returns k so that showing every k-th of n labels, each about
// width units wide, fits in span.
func labelEvery(n int, width, span float64) int {
	if n == 0 {
		return 1
	}
	k := 1
	for float64(n)/float64(k)*width > span {
		k++
	}
	return k
}

// Minutes formats a duration in minutes for axes and tooltips: "45 min",
// "2.5 h", "3 d".
func Minutes(m float64) string {
	switch {
	case m < 1:
		return fmtNum(m*60) + " s"
	case m < 60:
		return fmtNum(m) + " min"
	case m < 24*60:
		return fmtNum(m/60) + " h"
	default:
		return fmtNum(m/(24*60)) + " d"
	}
}

// size returns w×h, or the defaults where they are zero.
func size(w, h, defW, defH int) (int, int) {
	if w == 0 {
		w = defW
	}
	if h == 0 {
		h = defH
	}
	return w, h
}

// legendOf returns the names and CSS classes of series, for the legend.
func legendOf(series []Series) (names, classes []string) {
	names, classes = make([]string, len(series)), make([]string, len(series))
	for i, se := range series {
		names[i], classes[i] = se.Name, se.class(i)
	}
	return names, classes
}

// xLabels draws the x axis labels (thinned to fit between left and right)
// with a tick at x(i) for label i.
func (s *svgBuilder) xLabels(labels []string, left, right, bottom float64, x func(i int) float64) {
	every := labelEvery(len(labels), float64(textWidth(longest(labels))+8), right-left)
	s.b.WriteString(`<g class="axis x-axis">`)
	for i, label := range labels {
		if i%every != 0 {
			continue
		}
		s.line(x(i), bottom, x(i), bottom+4, "tick")
		s.text(x(i), bottom+16, "middle", "tick-label", label)
	}
	s.b.WriteString(`</g>`)
}
