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
	// utc is set when a heading or paragraph of the section says its
	// times are UTC.
	utc bool
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
// utc when its table's header says its times are UTC. An entry without
// a time, under a heading or line that gives the day, takes that day.
func (r *Reader) Entry(txt string, table, utc bool) Entry {
	var e Entry
	if et, ok := readEntryTime(txt, table); ok {
		e.Found, e.From, e.To, e.Rest = true, et.start, et.end, et.rest
		if !et.bad {
			r.place(&e, et, utc)
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
		e.Time = time.Date(r.y, time.Month(r.mo), r.d, 0, 0, 0, 0, r.entryLoc(entryTime{}, utc))
	}
	return e
}

// place sets e's time from et: a time without a date takes the last date
// written above it (an entry's, a heading's or a paragraph's), else the
// day the incident started; a time without a zone takes the previous
// entry's zone, else UTC when the section says so, else the KB's.
func (r *Reader) place(e *Entry, et entryTime, utc bool) {
	tl := r
	loc := r.entryLoc(et, utc)
	y, mo, d := et.y, et.mo, et.d
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

// entryLoc is where the clock of an entry without a date is read: its
// own zone, else the previous entry's, else UTC when the section or the
// table's header says so, else the KB's.
func (r *Reader) entryLoc(et entryTime, utc bool) *time.Location {
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
	case utc || r.utc:
		return time.UTC
	case r.zone != nil:
		return r.zone
	}
	return r.loc
}

// Context reads a heading or paragraph of the timeline section
// (its plain text): a heading with a date, or a paragraph that starts
// with one, gives the date of the times below it; one that names UTC
// makes the times without a zone UTC.
func (r *Reader) Context(plain string, heading bool) {
	var y, mo, d int
	ok := false
	if heading {
		y, mo, d, ok = findDate(plain)
	} else if yy, mm, dd, _, st := dateAt(plain, skipStars(plain, 0)); st == dateOK {
		y, mo, d, ok = yy, mm, dd, true
	}
	if ok {
		r.y, r.mo, r.d = y, mo, d
		r.fromEntry = false
	}
	if SaysUTC(plain) {
		r.utc = true
	}
}

// SaysUTC reports whether s names UTC (or GMT) as a word.
func SaysUTC(s string) bool { return hasWord(s, "UTC") || hasWord(s, "GMT") }

// hasWord reports whether word is in s with no letter on either side.
func hasWord(s, word string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], word)
		if i < 0 {
			return false
		}
		i += off
		e := i + len(word)
		if (i == 0 || !isLetter(s[i-1])) && (e == len(s) || !isLetter(s[e])) {
			return true
		}
		off = i + 1
	}
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

// IsHeading reports whether a section title names the timeline;
// names are lower-cased.
func IsHeading(title string, names []string) bool {
	t := strings.TrimSpace(title)
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
