package timeline

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Reader reads the times of one timeline section's entries, in order:
// an entry without a date takes the last one written above it, one
// without a zone the previous entry's (see Entry). Its zero value is not
// ready: make it with NewReader.
type Reader struct {
	loc     *time.Location
	started time.Time
	// y, mo, d is the last date written above the current entry (y 0:
	// none yet): a time alone takes it.
	y, mo, d int
	// zone is the location of the last entry read, which an entry
	// without a zone of its own takes (nil: none yet).
	zone *time.Location
	// caption is the zone a heading or paragraph of the section names
	// for its times ("All times CET"; nil: none).
	caption *time.Location
	// prev is the time of the last entry placed; fromEntry is set when
	// the date above is that entry's (not a heading's).
	prev      time.Time
	fromEntry bool
}

// NewReader returns a Reader of a section whose times without a zone are
// read in loc, and whose times without a date fall back to the day the
// incident started (zero: none).
func NewReader(loc *time.Location, started time.Time) Reader {
	return Reader{loc: loc, started: started}
}

// Entry is when one timeline entry happened, as its text says.
type Entry struct {
	// Found is set when the text starts with a time or with something
	// that looks like one; From and To are then where the time as
	// written lies in the text, Rest where the entry's own text starts.
	Found          bool
	From, To, Rest int
	Placed
}

// Placed is where an entry lies in time, as read: what
// postmortem.TimelineEntry keeps of it.
type Placed struct {
	// Time is the parsed time; zero when the time as written did not
	// parse or is missing (see OK).
	Time time.Time
	OK   bool
	// Inherited is true when the entry gave only a time and took the date
	// written above it (the previous entry's, or a heading's or a
	// paragraph's in the section), or else the day the incident started.
	Inherited bool
	// Approx is set for an approximate time ("~19:30", "approx. 14:00",
	// "14:??").
	Approx bool
	// DateOnly is set for an entry that gives a day and no time: Time is
	// the start of that day.
	DateOnly bool
	// End is the end of a time range ("09:00-10:00"); zero when the
	// entry gives one time. Time is the range's start.
	End time.Time
	// Refused says why the time as written, which looks like a time, was
	// not read: RefusedValue, RefusedPlaceholder or RefusedZone; ""
	// otherwise.
	Refused string
}

// Entry reads the time at the start of txt, the plain text of the next
// entry; table is set for a table row (whose cells are joined by " — "),
// zone when its table's header names the zone of its times (CaptionZone;
// nil: none). An entry without a time, under a heading or line that
// gives the day, takes that day.
func (r *Reader) Entry(txt string, table bool, zone *time.Location) Entry {
	var e Entry
	if et, ok := readEntryTime(txt, table); ok {
		e.Found, e.From, e.To, e.Rest = true, et.start, et.end, et.rest
		if !et.bad {
			r.place(&e, et, zone)
		} else {
			e.Refused = et.refused
			if e.Refused == "" {
				e.Refused = RefusedValue
			}
		}
	} else if r.y != 0 && !r.fromEntry {
		// No time, under a heading or line that gives the day: that
		// day.
		e.OK, e.DateOnly, e.Inherited = true, true, true
		e.Time = time.Date(r.y, time.Month(r.mo), r.d, 0, 0, 0, 0, r.entryLoc(entryTime{}, zone))
	}
	return e
}

// place sets e's time from et: a time without a date takes the last date
// written above it (an entry's, a heading's or a paragraph's), else the
// day the incident started; a time without a zone takes the zone its
// table's header or the section names, else the previous entry's, else
// the KB's.
func (r *Reader) place(e *Entry, et entryTime, zone *time.Location) {
	tl := r
	loc := r.entryLoc(et, zone)
	y, mo, d := et.y, et.mo, et.d
	if et.noYear || et.relDay > 0 {
		var ok bool
		if y, mo, d, ok = tl.relativeDate(et, loc); !ok {
			// No year or first day to count from: not placed, and
			// reported as a time that needs the date above it.
			e.Inherited = true
			return
		}
	}
	if !et.hasDate {
		e.Inherited = true
		switch {
		case tl.y != 0:
			y, mo, d = tl.y, tl.mo, tl.d
		case !tl.started.IsZero():
			// The day it started where the entry's clock is.
			var m time.Month
			y, m, d = tl.started.In(loc).Date()
			mo = int(m)
		default:
			return
		}
	}
	e.Approx = et.approx
	if et.hasClock {
		e.Time, e.End = et.times(y, mo, d, loc)
		if !et.hasDate && tl.fromEntry && e.Time.Before(tl.prev.Add(-12*time.Hour)) {
			// 23:55 then 00:05: past midnight, as a reader takes it.
			e.Time, e.End = et.times(y, mo, d+1, loc)
			y, mo, d = e.Time.Year(), int(e.Time.Month()), e.Time.Day()
		}
		tl.zone = e.Time.Location()
	} else {
		e.DateOnly = true
		e.Time = time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
	}
	e.OK = true
	tl.y, tl.mo, tl.d = y, mo, d
	tl.prev, tl.fromEntry = e.Time, true
}

// entryLoc is where the clock of an entry is read: its own zone, else
// the one its table's header (zone) or the section names, else the
// previous entry's, else the KB's.
func (r *Reader) entryLoc(et entryTime, zone *time.Location) *time.Location {
	switch {
	case et.utc:
		return time.UTC
	case et.iana != nil:
		return et.iana
	case et.zone != "":
		z := ""
		if isLetter(et.zone[0]) {
			z = et.zone
		}
		return time.FixedZone(z, et.offset)
	case zone != nil:
		return zone
	case r.caption != nil:
		return r.caption
	case r.zone != nil:
		return r.zone
	}
	return r.loc
}

// Context reads a heading or paragraph of the timeline section
// (its plain text): a heading with a date, or a paragraph that starts
// with one, gives the date of the times below it; one that names the
// zone of its times (CaptionZone; a paragraph must speak of times: "All
// times CET", "Timestamps are in PST") makes it the zone of the times
// below it that give none.
func (r *Reader) Context(plain string, heading bool) {
	var y, mo, d int
	ok := false
	if heading {
		y, mo, d, ok = findDate(plain)
	} else if yy, mm, dd, _, st := dateAt(plain, skipStars(plain, 0)); st == dateOK {
		y, mo, d, ok = yy, mm, dd, true
	}
	if !ok && !r.started.IsZero() {
		// Days written without their year, as headings and date lines
		// of one incident often are, take the year that puts them
		// nearest the day it started, where the times above were read:
		// "Sunday 3 March", "**March 3**"; and "Day 2 (Wednesday)" is
		// the day after the one it started.
		start := r.started.In(r.entryLoc(entryTime{}, nil))
		var m, dd int
		found := false
		if heading {
			m, dd, found = findDayMonth(plain)
		} else {
			var n int
			m, dd, n = dayMonthAt(plain, skipStars(plain, 0))
			found = n > 0
		}
		switch n, isDay := dayNumber(plain); {
		case found:
			y, mo, d, ok = nearestYear(start, m, dd), m, dd, true
		case heading && isDay:
			t := time.Date(start.Year(), start.Month(), start.Day()+n-1, 0, 0, 0, 0, time.UTC)
			y, mo, d, ok = t.Year(), int(t.Month()), t.Day(), true
		}
	}
	if ok {
		r.y, r.mo, r.d = y, mo, d
		r.fromEntry = false
	}
	if z := CaptionZone(plain); z != nil && (heading || z == time.UTC || speaksOfTimes(plain)) {
		r.caption = z
	}
}

// IsDayLine reports whether s gives a day and nothing else but a short
// note: a date ("2024-03-12", "Tuesday 12 March 2024"), a day without
// its year ("May 9", "Sunday 3 March") or "Day 2", with no clock, then
// at most a parenthesis or a weekday ("May 9 (Tuesday)").
func IsDayLine(s string) bool {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "*_"))
	if s == "" || len(s) > 60 {
		return false
	}
	if et, ok := readEntryTime(s, false); ok && et.hasClock {
		return false
	}
	_, _, _, full := findDate(s)
	_, _, short := findDayMonth(s)
	_, day := dayNumber(s)
	return full || short || day
}

// StartsWithClock reports whether s starts with a time of day (an entry
// with a clock, as Entry reads it).
func StartsWithClock(s string) bool {
	et, ok := readEntryTime(s, false)
	return ok && et.hasClock && !et.bad
}

// relativeDate completes a date written without its year ("Mar 3": the
// year that puts it nearest the date above, else the day the incident
// started) or as "Day N" (the N-th day from the one it started), as
// read in loc; false when there is nothing to count from.
func (r *Reader) relativeDate(et entryTime, loc *time.Location) (y, mo, d int, ok bool) {
	var base time.Time
	switch {
	case et.noYear && r.y != 0:
		base = time.Date(r.y, time.Month(r.mo), r.d, 0, 0, 0, 0, time.UTC)
	case !r.started.IsZero():
		base = r.started.In(loc)
	default:
		return 0, 0, 0, false
	}
	if et.relDay > 0 {
		t := time.Date(base.Year(), base.Month(), base.Day()+et.relDay-1, 0, 0, 0, 0, time.UTC)
		return t.Year(), int(t.Month()), t.Day(), true
	}
	return nearestYear(base, et.mo, et.d), et.mo, et.d, true
}

// nearestYear returns the year in which month mo, day d lies nearest
// start's day.
func nearestYear(start time.Time, mo, d int) int {
	day := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	best, bestGap := 0, time.Duration(-1)
	for y := start.Year() - 1; y <= start.Year()+1; y++ {
		gap := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC).Sub(day).Abs()
		if bestGap < 0 || gap < bestGap {
			best, bestGap = y, gap
		}
	}
	return best
}

// dayNumber reads a heading that starts with "Day N" (N from 1 to 99):
// the incident's N-th day.
func dayNumber(s string) (int, bool) {
	n, k := dayNumberAt(s, skipStars(s, 0))
	return n, k > 0
}

// speaksOfTimes reports whether s has a word that starts with "time"
// (time, times, timestamps, timezone) or the word "zone".
func speaksOfTimes(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if (i == 0 || !isLetter(s[i-1])) && (equalLowerASCII(s[i:i+4], "time") || equalLowerASCII(s[i:i+4], "zone")) {
			return true
		}
	}
	return false
}

// CaptionZone returns the zone a caption names for the times it heads (a
// heading or paragraph of a timeline, or a table's header row): UTC
// when it names UTC or GMT alone; else the one zone it names, an
// abbreviation hindsight reads in entries (CET, PDT), an offset (UTC+1,
// GMT-05:00, (+02:00)) or an IANA name (Europe/Berlin), which wins over
// the others; nil when it names none. Zones that disagree ("UTC; the
// Berlin office is on CET") give UTC when UTC is among them, else nil.
func CaptionZone(s string) *time.Location {
	var fixed, iana *time.Location
	offset, clash, utc := 0, false, false
	addFixed := func(name string, off int) {
		switch {
		case fixed == nil:
			fixed, offset = time.FixedZone(name, off), off
		case off != offset:
			clash = true
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i > 0 && (isLetter(s[i-1]) || s[i-1] >= '0' && s[i-1] <= '9') {
			continue // inside a word or a number (09:00-10:00)
		}
		switch {
		case c >= 'A' && c <= 'Z':
			if off, n := utcOffsetAt(s, i); n > 0 {
				addFixed(s[i:i+n], off) // UTC+1
				i += n - 1
				continue
			}
			var z entryTime // a zone as an entry gives it (not a lone Z: "Plan Z")
			n := z.zoneAt(s, i, false)
			switch {
			case n < 2 || z.bad:
			case z.iana != nil:
				if iana != nil && iana.String() != z.iana.String() {
					return nil // two places
				}
				iana = z.iana
			case z.utc:
				utc = true
				addFixed("UTC", 0)
			default:
				addFixed(z.zone, z.offset)
			}
			i += max(n, 1) - 1
		case c == '+' || c == '-' || strings.HasPrefix(s[i:], "−"):
			if i > 0 && s[i-1] != ' ' && s[i-1] != '(' {
				break
			}
			if off, n := offsetAt(s, i); n > 0 {
				addFixed(s[i:i+n], off)
				i += n - 1
			}
		}
	}
	switch {
	case iana != nil:
		return iana
	case clash && utc:
		return time.UTC
	case clash || fixed == nil:
		return nil
	case utc && offset == 0:
		return time.UTC
	}
	return fixed
}

// offsetAt reads an offset from UTC at i: a sign (+, - or −) and an hour
// of one or two digits, then optionally :MM or MM. It returns the
// offset in seconds and its length, or 0, 0.
func offsetAt(s string, i int) (int, int) {
	sign, j := 1, i
	switch {
	case at(s, i, '+'):
		j++
	case at(s, i, '-'):
		sign, j = -1, j+1
	case strings.HasPrefix(s[min(i, len(s)):], "−"):
		sign, j = -1, j+len("−")
	default:
		return 0, 0
	}
	h, n := numAt(s, j, 2)
	if n == 0 || h > 14 {
		return 0, 0
	}
	j += n
	m := 0
	if at(s, j, ':') && digits(s, j+1, 2) {
		m, j = num(s[j+1:j+3]), j+3
	} else if n == 2 && digits(s, j, 2) {
		m, j = num(s[j:j+2]), j+2
	}
	if m > 59 || j < len(s) && (isLetter(s[j]) || s[j] >= '0' && s[j] <= '9' || s[j] == ':') {
		return 0, 0
	}
	return sign * (h*3600 + m*60), j - i
}

// trimSep removes what separates an entry's time from its text: what
// the regular expression ^[\s*]*[—–:|,-]?\s* matches (\s is ASCII white
// space: tab, newline, form feed, carriage return and space).
func trimSep(s string) string {
	i := 0
	for i < len(s) && (isSpaceRE(s[i]) || s[i] == '*') {
		i++
	}
	if i < len(s) {
		switch {
		case strings.HasPrefix(s[i:], "—"), strings.HasPrefix(s[i:], "–"):
			i += len("—")
		case s[i] == ':' || s[i] == '|' || s[i] == ',' || s[i] == '-':
			i++
		}
	}
	for i < len(s) && isSpaceRE(s[i]) {
		i++
	}
	return s[i:]
}

// isSpaceRE reports whether c is in the \s class of Go's regular
// expressions.
func isSpaceRE(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// IsHeading reports whether a section title names the timeline, a note
// in parentheses after it allowed; names are lower-cased.
func IsHeading(title string, names []string) bool {
	t := strings.TrimSpace(title)
	if isHeadingName(t, names) {
		return true // (a configured name may have its own parentheses)
	}
	if strings.HasSuffix(t, ")") {
		// A note in parentheses: "Timeline (all times PT)".
		if i := strings.LastIndex(t, " ("); i > 0 {
			return isHeadingName(strings.TrimSpace(t[:i]), names)
		}
	}
	return false
}

// isHeadingName reports whether t, lower-cased, is one of names.
func isHeadingName(t string, names []string) bool {
	ascii := true
	for i := 0; i < len(t); i++ {
		if t[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		t = strings.ToLower(t)
	}
	for _, n := range names {
		if ascii && equalLowerASCII(t, n) || !ascii && t == n {
			return true
		}
	}
	return false
}

// equalLowerASCII reports whether the ASCII text t lower-cased equals
// lower, without making the lower-cased copy.
func equalLowerASCII(t, lower string) bool {
	if len(t) != len(lower) {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
