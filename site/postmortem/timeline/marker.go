package timeline

import (
	"html"
	"time"
)

// Marker is what the visual timeline shows of one entry's time (see
// postmortem.TimelineEntry for the fields).
type Marker struct {
	OK, Approx, DateOnly bool
	TimeText             string
	Time, End            time.Time
}

// Markers writes the time markers of one body's visual timeline, in
// order: a marker shows its day only when it is not the previous one's.
type Markers struct {
	// Loc is where the times show (the KB's location).
	Loc *time.Location
	// lastDay is the day of the last time shown.
	lastDay [3]int
}

// Append appends an entry's <li> and its time marker: the day when
// it is not the previous marker's, the clock ("≈" before an approximate
// one, a range's end after it); a date-only entry shows its day.
func (ms *Markers) Append(dst []byte, e Marker) []byte {
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
	t := e.Time.In(ms.Loc)
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
	if today := [3]int{y, int(m), d}; today != ms.lastDay || e.DateOnly {
		dst = append(dst, `<span class="tl-day">`...)
		dst = t.AppendFormat(dst, "Mon 2 Jan 2006")
		dst = append(dst, `</span>`...)
		ms.lastDay = today
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
			dst = e.End.In(ms.Loc).AppendFormat(dst, "15:04 MST")
		}
		dst = append(dst, `</span>`...)
	}
	return append(dst, `</time>`...)
}
