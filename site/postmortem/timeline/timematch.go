package timeline

import (
	"strings"
	"time"
)

// The times that start timeline entries, read by hand as a person reads
// them (see readEntryTime): a date, a time, or both; a time range; an
// approximate time; a zone.

// entryTime is what the start of a timeline entry says about when it
// happened.
type entryTime struct {
	// start and end are where the time as written lies in the text (the
	// entry's TimeText); rest is where the entry's own text starts.
	start, end, rest int
	// date: y, mo, d are set when hasDate.
	hasDate  bool
	y, mo, d int
	// noYear: the date gave no year ("Mar 3"); relDay: it was "Day N"
	// (y, mo, d unset). Reader.place finds the rest.
	noYear bool
	relDay int
	// clock: hour, minute, sec are set when hasClock.
	hasClock           bool
	hour, minute, sec  int
	approx             bool
	hasEnd             bool
	endHour, endMinute int
	zone               string         // "", "UTC", a zone's name or a numeric offset as written
	iana               *time.Location // a zone written as an IANA name (Europe/Berlin)
	utc                bool           // zone is Z, UTC or GMT
	offset             int            // seconds east of UTC for a numeric zone
	// bad is set when the start looks like a time but is none: a
	// template placeholder (HH:mm, --:--), an hour 25, a five-digit year,
	// a zone hindsight does not know; refused says which (see
	// Entry.Refused).
	bad     bool
	refused string
}

// readEntryTime reads the time at the start of s, the plain text of a
// timeline entry. It returns false when s does not start with anything
// like a time; a start that looks like one but cannot be read gives
// bad. Accepted, with optional bold stars and surrounding spaces:
//
//	2025-03-14 09:12 UTC, 2025-03-14T09:12:30Z, 2025-03-14 9:05 +0530
//	2025/03/14, Mar 14, 2025, 14 March 2025 (a day alone: date-only)
//	09:40, 9:40 pm, 21:17 UTC
//	09:00-10:00, 09:00 – 10:30 UTC (a range: its start, the end kept)
//	~19:30, 10:45~, approx. 14:00, around 14:00, 14:?? (approximate)
//
// In tables (table set) the date and the time may be in two cells,
// joined by " — ".
func readEntryTime(s string, table bool) (entryTime, bool) {
	var et entryTime
	i := skipStars(s, 0)
	if at(s, i, '[') && digits(s, i+1, 1) {
		// A chat log's "[14:05] text": the brackets are read as spaces
		// (the offsets stay those of s).
		if c := strings.IndexByte(s[i:min(len(s), i+40)], ']'); c > 0 {
			b := []byte(s)
			b[i], b[i+c] = ' ', ' '
			s = string(b)
			i = skipStars(s, i)
		}
	}
	if len(s)-i > 3 && s[i]|0x20 == 'a' && strings.EqualFold(s[i:i+3], "at ") && digits(s, i+3, 1) {
		i += 3 // "At 6pm UTC, …"
	}
	et.start = i
	if n := approxPrefix(s, i); n > 0 {
		et.approx = true
		i = skipSpaces(s, i+n)
	}
	if n := placeholderLen(s, i); n > 0 {
		et.refused = RefusedPlaceholder
		return badTime(s, et, zoneAfter(s, i+n)), true
	}
	y, mo, d, n, st := dateAt(s, i)
	if st == dateNone {
		// "Mar 3, 14:05", "| Day 2 | 09:00 |": a date whose year, or
		// whose day, the Reader finds.
		if m, dd, dn := dayMonthAt(s, i); dn > 0 {
			mo, d, n, st, et.noYear = m, dd, dn, dateOK, true
		} else if k, dn := dayNumberAt(s, i); dn > 0 {
			n, st, et.relDay = dn, dateOK, k
		}
	}
	if st != dateNone {
		if st == dateAmbiguous {
			et.refused, st = RefusedAmbiguous, dateBad
		}
		if st == dateBad {
			// With the clock after it, if there is one.
			e, k := i+n, i+n+1
			if !at(s, e, 'T') {
				k = skipSpaces(s, e)
			}
			var c entryTime
			if ce, ok := c.clockAt(s, k, false); ok && k > e {
				e = ce
			}
			return badTime(s, et, e), true
		}
		et.hasDate, et.y, et.mo, et.d = true, y, mo, d
		j := i + n
		et.end = j
		// The separator between the date and the clock.
		k := -1
		switch {
		case at(s, j, 'T') && digits(s, j+1, 1):
			k = j + 1
		case table && strings.HasPrefix(s[j:], " — "):
			k = j + len(" — ")
		default:
			if m := skipSpaces(s, j); m > j {
				k = m
				if strings.HasPrefix(s[m:], "at ") {
					k = m + 3
				}
			} else if strings.HasPrefix(s[j:], ", ") {
				k = skipSpaces(s, j+1)
			}
		}
		if k >= 0 {
			approx := false
			if n := approxPrefix(s, k); n > 0 {
				approx, k = true, skipSpaces(s, k+n)
			}
			if pl := placeholderLen(s, k); pl > 0 {
				et.refused = RefusedPlaceholder
				return badTime(s, et, zoneAfter(s, k+pl)), true
			}
			if e, ok := et.clockAt(s, k, at(s, j, 'T')); ok {
				et.approx = et.approx || approx
				return et.finish(s, e)
			}
			if et.bad {
				return badTime(s, et, tokenEnd(s, k)), true
			}
		}
		// A day alone.
		return et.finish(s, j)
	}
	e, ok := et.clockAt(s, i, false)
	if !ok {
		if et.bad {
			return badTime(s, et, tokenEnd(s, i)), true
		}
		return entryTime{}, false
	}
	return et.finish(s, e)
}

// finish ends a time read up to e: optional stars, a trailing "(approx.)"
// or "~", then what separates the time from the text. A time followed by
// more of a word ("09:40x") is no time.
func (et entryTime) finish(s string, e int) (entryTime, bool) {
	j := e
	for j < len(s) && (s[j] == '*' || s[j] == '_') {
		j++
	}
	if at(s, j, '~') {
		et.approx, j = true, j+1
	}
	if m := skipSpaces(s, j); hasPrefixLowerASCII(s[m:], "(approx") {
		if c := strings.IndexByte(s[m:], ')'); c > 0 {
			et.approx, j = true, m+c+1
		}
	}
	for j < len(s) && (s[j] == '*' || s[j] == '_') {
		j++
	}
	if j < len(s) && !isSpaceRE(s[j]) && !isSep(s, j) && s[j] != ')' {
		if et.bad {
			// A refused time that runs on into the word ("0:00+00700"):
			// the whole word is what is refused, the rest the text.
			k := tokenEnd(s, j)
			et.end = max(et.end, k)
			et.rest = len(s) - len(trimSep(s[k:]))
			return et, true
		}
		return entryTime{}, false
	}
	if !et.hasClock && !et.hasDate {
		return entryTime{}, false
	}
	et.end = max(et.end, e)
	et.rest = len(s) - len(trimSep(s[j:]))
	return et, true
}

// hasPrefixLowerASCII reports whether s starts with the lower-case ASCII
// text lower in any case: what strings.HasPrefix(strings.ToLower(s),
// lower) says (no other rune lower-cases to an ASCII letter of lower, nor
// to punctuation), without lower-casing the rest of s.
func hasPrefixLowerASCII(s, lower string) bool {
	return len(s) >= len(lower) && equalLowerASCII(s[:len(lower)], lower)
}

// The reasons a time is refused (Entry.Refused).
const (
	// RefusedValue: a date or clock that cannot be (25:10, 2021-13-01,
	// a five-digit year).
	RefusedValue = "value"
	// RefusedPlaceholder: a template's placeholder (HH:mm, --:--).
	RefusedPlaceholder = "placeholder"
	// RefusedZone: a zone hindsight does not know (IST).
	RefusedZone = "zone"
	// RefusedAmbiguous: a date whose day and month could be either
	// (05/09/2022: 5 September or May 9).
	RefusedAmbiguous = "ambiguous"
)

// badTime is et made bad, with its text ending at e.
func badTime(s string, et entryTime, e int) entryTime {
	et.bad, et.end = true, e
	et.rest = len(s) - len(trimSep(s[skipStars(s, e):]))
	return et
}

// clockAt reads H:MM, HH:MM or HH:MM:SS at i (HH:?? approximate), an am
// or pm, then a range end or a zone. rfc is set after a date and "T": a
// sign then is a numeric zone, never a range.
func (et *entryTime) clockAt(s string, i int, rfc bool) (int, bool) {
	h, m, sec, n, st := clock(s, i)
	if st == dateNone {
		// An hour alone with am or pm: "6pm".
		if hour, hn := numAt(s, i, 2); hn > 0 {
			if k, hh, ok := ampm(s, i+hn, hour); ok {
				h, m, sec, n, st = hh, 0, 0, k-i, dateOK
			}
		}
	}
	switch st {
	case dateNone:
		return 0, false
	case dateBad:
		et.bad = true
		return 0, false
	}
	if st == dateApprox {
		et.approx = true
	}
	j := i + n
	if k, hour, ok := ampm(s, j, h); ok {
		j, h = k, hour
	}
	if strings.HasPrefix(s[j:], "-ish") && (j+4 == len(s) || !isLetter(s[j+4])) {
		et.approx, j = true, j+4
	}
	et.hasClock, et.hour, et.minute, et.sec = true, h, m, sec
	et.end = j
	// A range: "-" with the same spacing on both sides, an en or em
	// dash, or "to"; then a clock.
	if !rfc {
		if k, ok := rangeSep(s, j); ok {
			if eh, em, _, n, st := clock(s, k); st == dateOK || st == dateApprox {
				e := k + n
				if kk, hour, ok := ampm(s, e, eh); ok {
					e, eh = kk, hour
				}
				et.hasEnd, et.endHour, et.endMinute = true, eh, em
				j = e
				et.end = j
			}
		}
	}
	// The zone, after optional spaces.
	k := skipSpaces(s, j)
	if rfc {
		k = j
	}
	if !rfc {
		if e, ok := et.parenZone(s, k); ok {
			// "14:05 (UTC+1)", "14:05 (PT)".
			et.end = e
			return e, true
		}
		if off, n := utcOffsetAt(s, k); n > 0 {
			// "14:05 UTC+1", "GMT-05:00".
			et.zone, et.offset = s[k:k+n], off
			et.end = k + n
			return k + n, true
		}
	}
	if n := et.zoneAt(s, k, k > j); n > 0 {
		if et.bad && et.refused == "" {
			return k + n, true // an offset that cannot be (+25:00)
		}
		j = k + n
		et.end = j
	}
	return j, true
}

// utcOffsetAt reads "UTC" or "GMT" then an offset (offsetAt) at k: UTC+1,
// GMT-05:00, UTC −8. It returns the offset in seconds and the length
// read, or 0, 0.
func utcOffsetAt(s string, k int) (int, int) {
	if !strings.HasPrefix(s[min(k, len(s)):], "UTC") && !strings.HasPrefix(s[min(k, len(s)):], "GMT") {
		return 0, 0
	}
	o := k + 3
	if at(s, o, ' ') {
		o++
	}
	off, n := offsetAt(s, o)
	if n == 0 {
		return 0, 0
	}
	return off, o + n - k
}

// parenZone reads a zone in parentheses at k ("(UTC)", "(UTC+1)",
// "(CEST)", "(+02:00)", "(+2)", "(PT)", "(Europe/Berlin)") into et and
// returns where it ends; an unknown abbreviation in parentheses ("(IST)")
// is refused, as after the time. Anything else in parentheses is text.
func (et *entryTime) parenZone(s string, k int) (int, bool) {
	if !at(s, k, '(') {
		return 0, false
	}
	c := strings.IndexByte(s[k:min(len(s), k+40)], ')')
	if c < 2 {
		return 0, false
	}
	z, end := s[k+1:k+c], k+c+1
	if end < len(s) && isLetter(s[end]) {
		return 0, false
	}
	if off, n := utcOffsetAt(z, 0); n == len(z) {
		et.zone, et.offset = z, off
	} else if off, n := offsetAt(z, 0); n == len(z) {
		et.zone, et.offset = z, off
	} else {
		var t entryTime // (et stays as it is unless all of z is a zone)
		if t.zoneAt(z, 0, true) != len(z) {
			return 0, false
		}
		et.utc, et.zone, et.offset, et.iana, et.bad, et.refused = t.utc, t.zone, t.offset, t.iana, t.bad, t.refused
	}
	return end, true
}

// zoneAt reads a zone at k into et: Z, UTC or GMT, an abbreviation of
// zoneNames, a numeric offset (+HH:MM, +HHMM; one that cannot be makes
// et bad), a US zone (PT), an IANA name, or, when unknown is set, what
// looks like the abbreviation of a zone hindsight does not know (IST:
// India, Ireland or Israel?), which is refused: read as the KB's zone it
// would land hours off. It returns the zone's length, or 0.
func (et *entryTime) zoneAt(s string, k int, unknown bool) int {
	if n := zoneLen(s, k); n > 0 && (k+n == len(s) || !isLetter(s[k+n])) {
		z := s[k : k+n]
		off, named := zoneNames[z]
		switch {
		case z == "Z" || z == "UTC" || z == "GMT":
			et.utc, et.zone = true, "UTC"
		case named:
			et.zone, et.offset = z, off*60
		default:
			hh, mm := num(z[1:3]), num(z[len(z)-2:])
			if hh > 23 || mm > 59 {
				et.bad = true
				return n
			}
			et.offset = (hh*60 + mm) * 60
			if z[0] == '-' {
				et.offset = -et.offset
			}
			et.zone = z
		}
		return n
	}
	if loc, n := usZoneAt(s, k); n > 0 {
		et.zone, et.iana = s[k:k+n], loc
		return n
	}
	if n := ianaLen(s, k); n > 0 {
		loc, err := time.LoadLocation(s[k : k+n])
		if err != nil {
			et.bad, et.refused = true, RefusedZone
		}
		et.zone, et.iana = s[k:k+n], loc
		return n
	}
	if n := abbrevLen(s, k); n > 0 && unknown {
		et.bad, et.refused = true, RefusedZone
		return n
	}
	return 0
}

// ianaLen returns the length of an IANA zone name at k (Europe/Berlin,
// America/Argentina/Buenos_Aires), or 0.
func ianaLen(s string, k int) int {
	e, parts := k, 0
	for {
		if e >= len(s) || s[e] < 'A' || s[e] > 'Z' {
			return 0
		}
		for e < len(s) && (isLetter(s[e]) || s[e] == '_' || s[e] == '-') {
			e++
		}
		parts++
		if !at(s, e, '/') || parts == 3 {
			break
		}
		e++
	}
	if parts < 2 || (e < len(s) && (s[e] == '/' || digits(s, e, 1))) {
		return 0
	}
	return e - k
}

// abbrevLen returns the length of what looks like a zone's abbreviation
// at k, then no letter, or 0: three capitals ending in ST or DT (IST,
// BST), four starting with A or N (AWST, NZDT), or one of a few others
// (SGT, HKT). Words such as POST or LAST are not.
func abbrevLen(s string, k int) int {
	e := k
	for e < len(s) && s[e] >= 'A' && s[e] <= 'Z' {
		e++
	}
	if e < len(s) && isLetter(s[e]) {
		return 0
	}
	w := s[k:e]
	switch {
	case w == "SGT" || w == "HKT" || w == "ICT" || w == "PHT" || w == "KST" || w == "MSK":
	case len(w) < 3 || len(w) > 4 || !strings.HasSuffix(w, "ST") && !strings.HasSuffix(w, "DT"):
		return 0
	case len(w) == 4 && w[0] != 'A' && w[0] != 'N':
		return 0
	}
	return len(w)
}

// The states of a date or clock read.
const (
	dateNone      = iota // not there
	dateOK               // read
	dateApprox           // read, minutes unknown (14:??)
	dateBad              // looks like one, but cannot be
	dateAmbiguous        // a day and a month that could be either (05/09/2022)
)

// clock reads H:MM, HH:MM or HH:MM:SS at i; "14:??" or "14:xx" is
// approximate.
func clock(s string, i int) (h, m, sec, n, st int) {
	hd := 0
	switch {
	case digits(s, i, 2):
		hd = 2
	case digits(s, i, 1):
		hd = 1
	default:
		return 0, 0, 0, 0, dateNone
	}
	if !at(s, i+hd, ':') {
		return 0, 0, 0, 0, dateNone
	}
	h = num(s[i : i+hd])
	j := i + hd + 1
	st = dateOK
	switch {
	case digits(s, j, 2) && !digits(s, j+2, 1):
		m = num(s[j : j+2])
	case j+2 <= len(s) && (s[j:j+2] == "??" || s[j:j+2] == "xx" || s[j:j+2] == "XX"):
		st = dateApprox
	case digits(s, j, 1) && at(s, j+1, '?'):
		m, st = num(s[j:j+1])*10, dateApprox
	default:
		return 0, 0, 0, 0, dateNone
	}
	j += 2
	if st == dateOK && at(s, j, ':') && digits(s, j+1, 2) && !digits(s, j+3, 1) {
		sec = num(s[j+1 : j+3])
		j += 3
		if at(s, j, '.') && digits(s, j+1, 1) { // a fraction, dropped
			for j++; digits(s, j, 1); j++ {
			}
		}
	}
	if h > 23 || m > 59 || sec > 59 {
		return h, m, sec, j - i, dateBad
	}
	return h, m, sec, j - i, st
}

// ampm reads " am", "pm", " a.m." or "p.m." at j and gives the 24-hour
// hour for h (1 to 12).
func ampm(s string, j, h int) (int, int, bool) {
	k := skipSpaces(s, j)
	if k-j > 1 || h < 1 || h > 12 || k >= len(s) || s[k]|0x20 != 'a' && s[k]|0x20 != 'p' {
		return 0, 0, false
	}
	for _, w := range []string{"am", "a.m.", "pm", "p.m."} {
		if len(s)-k >= len(w) && strings.EqualFold(s[k:k+len(w)], w) && (k+len(w) == len(s) || !isLetter(s[k+len(w)])) {
			if w[0] == 'p' && h != 12 {
				h += 12
			} else if w[0] == 'a' && h == 12 {
				h = 0
			}
			return k + len(w), h, true
		}
	}
	return 0, 0, false
}

// rangeSep returns where the end of a range starts after a clock ending
// at j: "-" with the same spacing on both sides (" - " or "-"; "-08:00"
// after a space is a zone), "–", "—" or "to", with spaces.
func rangeSep(s string, j int) (int, bool) {
	k := skipSpaces(s, j)
	spaced := k > j
	switch {
	case at(s, k, '-'):
		e := skipSpaces(s, k+1)
		if (e > k+1) != spaced {
			return 0, false
		}
		return e, true
	case strings.HasPrefix(s[k:], "–"), strings.HasPrefix(s[k:], "—"):
		return skipSpaces(s, k+len("–")), true
	case spaced && strings.HasPrefix(s[k:], "to "):
		return skipSpaces(s, k+3), true
	}
	return 0, false
}

// dateAt reads a date at i, with an optional weekday before it:
// YYYY-MM-DD (or YYYY/MM/DD, one-digit month and day allowed),
// "Feb 21, 2020", "February 21st 2020", "21 Feb 2020". A string of
// digits and dashes that cannot be a date (a year 20202, a month 13) is
// bad, and so is a year before 1000.
func dateAt(s string, i int) (y, mo, d, n, st int) {
	j := i
	if k := weekdayLen(s, j); k > 0 {
		j = k
	}
	// Numeric.
	if digits(s, j, 4) {
		k := j + 4
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if at(s, k, '-') || at(s, k, '/') {
			sep := s[k]
			y = num(s[j:k])
			a, an := numAt(s, k+1, 2)
			ok := an > 0 && at(s, k+1+an, sep)
			b, bn := 0, 0
			if ok {
				b, bn = numAt(s, k+2+an, 2)
				ok = bn > 0 && !digits(s, k+2+an+bn, 1)
			}
			if !ok {
				return 0, 0, 0, 0, dateNone
			}
			end := k + 2 + an + bn
			if k-j != 4 || y < 1000 || a < 1 || a > 12 || b < 1 || b > daysIn(y, a) {
				return 0, 0, 0, end - i, dateBad
			}
			return y, a, b, end - i, dateOK
		}
		return 0, 0, 0, 0, dateNone
	}
	// Day and month before the year: 25/03/2024 and 25.03.2024 (day
	// first), 03/25/2024 (month first, as in the US); 05/09/2022 could
	// be either.
	if a, an := numAt(s, j, 2); an > 0 && (at(s, j+an, '/') || at(s, j+an, '.')) {
		sep := s[j+an]
		b, bn := numAt(s, j+an+1, 2)
		k := j + an + 1 + bn
		if bn == 0 || !at(s, k, sep) || !digits(s, k+1, 4) || digits(s, k+5, 1) {
			return 0, 0, 0, 0, dateNone
		}
		y, end := num(s[k+1:k+5]), k+5
		day, m := a, b
		switch {
		case sep == '/' && a <= 12 && b > 12:
			day, m = b, a
		case sep == '/' && a <= 12 && b <= 12 && a != b:
			return 0, 0, 0, end - i, dateAmbiguous
		}
		if y < 1000 || m < 1 || m > 12 || day < 1 || day > daysIn(y, m) {
			return 0, 0, 0, end - i, dateBad
		}
		return y, m, day, end - i, dateOK
	}
	// "Feb 21, 2020", "February 21st 2020".
	if m, k := monthAt(s, j); m > 0 && at(s, k, ' ') {
		day, dn := numAt(s, k+1, 2)
		e := k + 1 + dn
		e = skipOrdinal(s, e)
		if dn > 0 {
			return yearAt(s, i, e, m, day)
		}
		return 0, 0, 0, 0, dateNone
	}
	// "21 Feb 2020".
	if day, dn := numAt(s, j, 2); dn > 0 {
		e := skipOrdinal(s, j+dn)
		if at(s, e, ' ') {
			if m, k := monthAt(s, e+1); m > 0 {
				if y, mo, d, n, st := yearAt(s, i, k, m, day); st != dateNone {
					return y, mo, d, n, st
				}
			}
		}
	}
	return 0, 0, 0, 0, dateNone
}

// yearAt ends a date written with the month's name ("Feb 21, 2020", "21
// Feb 2020") whose month m and day are read and whose year should follow
// at k (after an optional comma and spaces). The date starts at i.
func yearAt(s string, i, k, m, day int) (y, mo, d, n, st int) {
	if at(s, k, ',') {
		k++
	}
	f := skipSpaces(s, k)
	if f == k || !digits(s, f, 4) || digits(s, f+4, 1) {
		return 0, 0, 0, 0, dateNone
	}
	y = num(s[f : f+4])
	if y < 1000 || day < 1 || day > daysIn(y, m) {
		return 0, 0, 0, f + 4 - i, dateBad
	}
	return y, m, day, f + 4 - i, dateOK
}

// findDate finds the first date in s (see dateAt), at a word's start.
func findDate(s string) (y, mo, d int, ok bool) {
	for i := 0; i < len(s); i++ {
		if i > 0 && (isLetter(s[i-1]) || s[i-1] >= '0' && s[i-1] <= '9') {
			continue
		}
		if y, mo, d, _, st := dateAt(s, i); st == dateOK {
			return y, mo, d, true
		}
	}
	return 0, 0, 0, false
}

// findDayMonth finds the first day and month without a year in s (see
// dayMonthAt), at a word's start.
func findDayMonth(s string) (mo, d int, ok bool) {
	for i := 0; i < len(s); i++ {
		if i > 0 && (isLetter(s[i-1]) || s[i-1] >= '0' && s[i-1] <= '9') {
			continue
		}
		if mo, d, n := dayMonthAt(s, i); n > 0 {
			return mo, d, true
		}
	}
	return 0, 0, false
}

// dayMonthAt reads a day and a month without a year at i, as day
// headings are written: "3 March", "3rd of March", "March 3", "Mar 3rd".
// The month is capitalised (so "may 3" in a sentence is not one), and
// the day is not followed by a digit, a colon or a letter (not a time,
// not "March 2024"). It returns the month, the day and the length read,
// or a zero length.
func dayMonthAt(s string, i int) (mo, d, n int) {
	valid := func(m, d int) bool { return m > 0 && d >= 1 && d <= daysIn(2024, m) }
	if day, dn := numAt(s, i, 2); dn > 0 {
		e := skipOrdinal(s, i+dn)
		k := skipSpaces(s, e)
		if k == e {
			return 0, 0, 0
		}
		if strings.HasPrefix(s[k:], "of ") {
			k += 3
		}
		if k < len(s) && s[k] >= 'A' && s[k] <= 'Z' {
			if m, me := monthAt(s, k); valid(m, day) && (me == len(s) || !isLetter(s[me])) {
				return m, day, me - i
			}
		}
		return 0, 0, 0
	}
	if i >= len(s) || s[i] < 'A' || s[i] > 'Z' {
		return 0, 0, 0
	}
	m, me := monthAt(s, i)
	k := skipSpaces(s, me)
	if m == 0 || k == me {
		return 0, 0, 0
	}
	day, dn := numAt(s, k, 2)
	if dn == 0 || !valid(m, day) {
		return 0, 0, 0
	}
	e := skipOrdinal(s, k+dn)
	if e < len(s) && (s[e] >= '0' && s[e] <= '9' || s[e] == ':' || isLetter(s[e])) {
		return 0, 0, 0
	}
	return m, day, e - i
}

// dayNumberAt reads "Day N" (N from 1 to 99) at i: the incident's N-th
// day. It returns N and the length read, or 0, 0.
func dayNumberAt(s string, i int) (int, int) {
	if len(s)-i < 5 || !equalLowerASCII(s[i:i+3], "day") || s[i+3] != ' ' {
		return 0, 0
	}
	n, k := numAt(s, i+4, 2)
	e := i + 4 + k
	if k == 0 || n < 1 || e < len(s) && (isLetter(s[e]) || s[e] >= '0' && s[e] <= '9' || s[e] == ':') {
		return 0, 0
	}
	return n, e - i
}

var monthNames = [...]string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

// monthAt reads a month's name or its first three letters ("Sept" too)
// at i, with a dot after an abbreviation; it returns the month and where
// the name ends.
func monthAt(s string, i int) (int, int) {
	if i >= len(s) || !isLetter(s[i]) {
		return 0, 0
	}
	e := i
	for e < len(s) && isLetter(s[e]) {
		e++
	}
	w := strings.ToLower(s[i:e])
	if len(w) < 3 {
		return 0, 0
	}
	for m, name := range monthNames {
		if w == name || w == name[:3] || (m == 8 && w == "sept") {
			if w != name && at(s, e, '.') {
				e++
			}
			return m + 1, e
		}
	}
	return 0, 0
}

var weekdayNames = [...]string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// weekdayLen returns where what follows a weekday's name (or its first
// three letters), a comma and spaces starts at i, or 0.
func weekdayLen(s string, i int) int {
	if i >= len(s) || !isLetter(s[i]) {
		return 0
	}
	e := i
	for e < len(s) && isLetter(s[e]) {
		e++
	}
	w := strings.ToLower(s[i:e])
	if len(w) < 3 {
		return 0
	}
	for _, name := range weekdayNames {
		if w == name || w == name[:3] {
			if at(s, e, ',') || at(s, e, '.') {
				e++
			}
			if f := skipSpaces(s, e); f > e {
				return f
			}
		}
	}
	return 0
}

// skipOrdinal skips "st", "nd", "rd" or "th" at e.
func skipOrdinal(s string, e int) int {
	if e+2 <= len(s) && isLetter(s[e]) {
		switch strings.ToLower(s[e : e+2]) {
		case "st", "nd", "rd", "th":
			if e+2 == len(s) || !isLetter(s[e+2]) {
				return e + 2
			}
		}
	}
	return e
}

// numAt reads one to max digits at i.
func numAt(s string, i, max int) (int, int) {
	n := 0
	for n < max && digits(s, i+n, 1) {
		n++
	}
	if n == 0 || digits(s, i+n, 1) {
		return 0, 0
	}
	return num(s[i : i+n]), n
}

// approxPrefix returns the length of "~", "≈", "approx.", "ca." and the
// like, with the spaces after a word, at i, or 0.
func approxPrefix(s string, i int) int {
	if at(s, i, '~') {
		return 1
	}
	if strings.HasPrefix(s[i:], "≈") {
		return len("≈")
	}
	if i >= len(s) || s[i]|0x20 != 'a' && s[i]|0x20 != 'c' {
		return 0 // (every word below starts with an a or a c)
	}
	for _, w := range []string{"approximately", "approx.", "approx", "around", "about", "circa", "ca.", "c."} {
		if len(s)-i > len(w) && strings.EqualFold(s[i:i+len(w)], w) && s[i+len(w)] == ' ' {
			return len(w) + 1
		}
	}
	return 0
}

// placeholderLen returns the length of a template's placeholder for a
// time or date at i ("HH:mm", "--:--", "XX:XX", "YYYY-MM-DD hh:mm"), or
// 0.
func placeholderLen(s string, i int) int {
	if i >= len(s) || strings.IndexByte("yYhHxX-?_", s[i]) < 0 {
		return 0 // (no placeholder below starts otherwise)
	}
	for _, p := range []string{"yyyy-mm-dd", "hh:mm:ss", "hh:mm", "--:--", "xx:xx", "??:??", "__:__"} {
		if len(s)-i >= len(p) && strings.EqualFold(s[i:i+len(p)], p) {
			e := i + len(p)
			if p == "yyyy-mm-dd" {
				if k := skipSpaces(s, e); k > e && placeholderLen(s, k) > 0 {
					return k + placeholderLen(s, k) - i
				}
			}
			if e == len(s) || !isLetter(s[e]) {
				return len(p)
			}
		}
	}
	return 0
}

// zoneAfter returns where a zone after e (and spaces) ends, or e.
func zoneAfter(s string, e int) int {
	k := skipSpaces(s, e)
	if n := zoneLen(s, k); n > 0 && (k+n == len(s) || !isLetter(s[k+n])) {
		return k + n
	}
	return e
}

// tokenEnd returns where the run of non-space bytes at i ends.
func tokenEnd(s string, i int) int {
	for i < len(s) && !isSpaceRE(s[i]) {
		i++
	}
	return i
}

// isSep reports a separator between a time and the text at j: one of
// —–:|,-.
func isSep(s string, j int) bool {
	switch s[j] {
	case ':', '|', ',', '-':
		return true
	}
	return strings.HasPrefix(s[j:], "—") || strings.HasPrefix(s[j:], "–")
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// skipStars skips stars, underscores and spaces.
func skipStars(s string, i int) int {
	for i < len(s) && (s[i] == '*' || s[i] == '_' || isSpaceRE(s[i])) {
		i++
	}
	return i
}

func skipSpaces(s string, i int) int {
	for i < len(s) && isSpaceRE(s[i]) {
		i++
	}
	return i
}

func at(s string, i int, c byte) bool { return i >= 0 && i < len(s) && s[i] == c }

// digits reports whether s[i:i+n] are n digits.
func digits(s string, i, n int) bool {
	if i < 0 || i+n > len(s) {
		return false
	}
	for k := i; k < i+n; k++ {
		if s[k] < '0' || s[k] > '9' {
			return false
		}
	}
	return true
}

// zoneNames are the zone abbreviations read, with their offsets from UTC
// in minutes: UTC and GMT, and those of North America, Europe, Japan and
// Australia's east whose meaning is not in doubt.
var zoneNames = map[string]int{
	"UTC": 0, "GMT": 0, "WET": 0, "WEST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180,
	"PST": -480, "PDT": -420, "MST": -420, "MDT": -360, "CST": -360, "CDT": -300, "EST": -300, "EDT": -240,
	"AKST": -540, "AKDT": -480, "HST": -600, "JST": 540, "AEST": 600, "AEDT": 660,
}

// usZones are the US time zones as written without standard or daylight
// (PT, ET): the place's zone, whose offset depends on the date. They are
// loaded once (a zone loaded per entry costs a file read and a copy of
// its transitions that every entry's time would keep); a zone the
// system's zoneinfo lacks is missing, and its name is then text.
var usZones = loadZones(map[string]string{"PT": "America/Los_Angeles", "MT": "America/Denver", "CT": "America/Chicago", "ET": "America/New_York"})

// loadZones returns the zones of names (abbreviation → IANA name) that
// load.
func loadZones(names map[string]string) map[string]*time.Location {
	out := make(map[string]*time.Location, len(names))
	for abbr, name := range names {
		if loc, err := time.LoadLocation(name); err == nil {
			out[abbr] = loc
		}
	}
	return out
}

// usZoneAt returns the zone of usZones named at k, then no letter, and
// the name's length, or nil, 0.
func usZoneAt(s string, k int) (*time.Location, int) {
	if k+2 > len(s) || k+2 < len(s) && isLetter(s[k+2]) {
		return nil, 0
	}
	loc, ok := usZones[s[k:k+2]]
	if !ok {
		return nil, 0
	}
	return loc, 2
}

// zoneLen returns the length of Z, a zone of zoneNames or
// [+-]\d{2}:?\d{2} at j, or 0.
func zoneLen(s string, j int) int {
	if j >= len(s) {
		return 0
	}
	switch s[j] {
	case 'Z':
		return 1
	default:
		if s[j] < 'A' || s[j] > 'Z' {
			return 0
		}
		for n := 4; n >= 3; n-- {
			if _, ok := zoneNames[s[j:min(j+n, len(s))]]; ok && j+n <= len(s) {
				return n
			}
		}
	case '+', '-':
		if !digits(s, j+1, 2) {
			return 0
		}
		if at(s, j+3, ':') && digits(s, j+4, 2) {
			return 6
		}
		if digits(s, j+3, 2) {
			return 5
		}
	}
	return 0
}

// times returns the entry's time and the end of its range (zero when
// none), on the date given (y, mo, d) and in loc unless it has a zone.
func (et entryTime) times(y, mo, d int, loc *time.Location) (time.Time, time.Time) {
	switch {
	case et.utc:
		loc = time.UTC
	case et.iana != nil:
		loc = et.iana
	case et.zone != "" && isLetter(et.zone[0]):
		loc = time.FixedZone(et.zone, et.offset)
	case et.zone != "":
		loc = time.FixedZone("", et.offset)
	}
	t := time.Date(y, time.Month(mo), d, et.hour, et.minute, et.sec, 0, loc)
	var end time.Time
	if et.hasEnd {
		end = time.Date(y, time.Month(mo), d, et.endHour, et.endMinute, 0, 0, loc)
		if end.Before(t) { // past midnight
			end = end.AddDate(0, 0, 1)
		}
	}
	return t, end
}

// num reads decimal digits.
func num(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// daysIn returns the number of days of month mo of year y.
func daysIn(y, mo int) int {
	if mo == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 29
	}
	return [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[mo]
}
