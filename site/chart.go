package site

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Bar is one bar of a small chart.
type Bar struct {
	Label string
	Value int
}

// monthBars counts ps per month (by Started, in loc) over the n months up
// to now.
func monthBars(ps []*postmortem.Postmortem, now time.Time, loc *time.Location, n int) []Bar {
	y, m, _ := now.In(loc).Date()
	end := time.Date(y, m, 1, 0, 0, 0, 0, loc)
	bars := make([]Bar, n)
	idx := map[string]int{}
	for i := 0; i < n; i++ {
		t := end.AddDate(0, i-n+1, 0)
		bars[i].Label = t.Format("2006-01")
		idx[bars[i].Label] = i
	}
	for _, p := range ps {
		if p.Started.IsZero() {
			continue
		}
		if i, ok := idx[p.Started.In(loc).Format("2006-01")]; ok {
			bars[i].Value++
		}
	}
	return bars
}

// svgBars draws a small bar chart as inline SVG with classes only (the CSP
// forbids style attributes), followed by its numbers in a table for
// screen readers and print.
func svgBars(bars []Bar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	max := 0
	for _, b := range bars {
		if b.Value > max {
			max = b.Value
		}
	}
	const w, h, gap = 12, 48, 2
	var sb strings.Builder
	width := len(bars) * (w + gap)
	fmt.Fprintf(&sb, `<figure class="spark"><svg class="chart chart-bars" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="postmortems per month">`, width, h+2, width, h+2)
	for i, b := range bars {
		bh := 0
		if max > 0 {
			bh = b.Value * h / max
		}
		if b.Value > 0 && bh < 2 {
			bh = 2
		}
		fmt.Fprintf(&sb, `<rect class="bar" x="%d" y="%d" width="%d" height="%d"><title>%s: %d</title></rect>`, i*(w+gap), h-bh+1, w, bh, html.EscapeString(b.Label), b.Value)
	}
	fmt.Fprintf(&sb, `<line class="axis" x1="0" y1="%d" x2="%d" y2="%d"/></svg>`, h+1, width, h+1)
	fmt.Fprintf(&sb, `<figcaption>%s – %s</figcaption>`, html.EscapeString(bars[0].Label), html.EscapeString(bars[len(bars)-1].Label))
	sb.WriteString(`<table class="visually-hidden"><caption>Postmortems per month</caption><thead><tr><th scope="col">Month</th><th scope="col">Postmortems</th></tr></thead><tbody>`)
	for _, b := range bars {
		fmt.Fprintf(&sb, `<tr><td>%s</td><td>%d</td></tr>`, html.EscapeString(b.Label), b.Value)
	}
	sb.WriteString(`</tbody></table></figure>`)
	return template.HTML(sb.String())
}
