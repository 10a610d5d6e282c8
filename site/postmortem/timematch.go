package postmortem

// The times that start timeline entries, matched by hand. The matchers
// give exactly what these regular expressions give with
// FindStringSubmatchIndex (leftmost-first, greedy: the backtracking order),
// which TestMatchTime and FuzzMatchTime check:
//
//	full:  ^\**\s*(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\**(?:\s|$|[—–:|,-])
//	clock: ^\**\s*(\d{1,2}:\d{2}(?::\d{2})?)\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\**(?:\s|$|[—–:|,-])
//
// (\s is ASCII white space: tab, newline, form feed, carriage return,
// space; \d is an ASCII digit.) The regular expressions allocated their
// result and ran a backtracking matcher for each entry.

// timeMatch is a match: end is the end of the whole match; date, clock and
// zone are [start, end) pairs, zone {-1, -1} when absent (date too for
// the clock form).
type timeMatch struct {
	end               int
	date, clock, zone [2]int
}

// matchFullTime matches a date and time at the start of s.
func matchFullTime(s string) (timeMatch, bool) {
	i := skipLead(s)
	if !digits(s, i, 4) || !at(s, i+4, '-') || !digits(s, i+5, 2) || !at(s, i+7, '-') || !digits(s, i+8, 2) ||
		!(at(s, i+10, ' ') || at(s, i+10, 'T')) {
		return timeMatch{}, false
	}
	m, ok := matchClockAt(s, i+11)
	m.date = [2]int{i, i + 10}
	return m, ok
}

// matchClockTime matches a time without a date at the start of s.
func matchClockTime(s string) (timeMatch, bool) {
	m, ok := matchClockAt(s, skipLead(s))
	m.date = [2]int{-1, -1}
	return m, ok
}

// skipLead skips \**\s*. What follows must be a digit, so fewer stars or
// spaces (a backtrack) never match: this is the only way.
func skipLead(s string) int {
	i := 0
	for i < len(s) && s[i] == '*' {
		i++
	}
	for i < len(s) && isSpaceRE(s[i]) {
		i++
	}
	return i
}

func at(s string, i int, c byte) bool { return i < len(s) && s[i] == c }

// digits reports whether s[i:i+n] are n digits.
func digits(s string, i, n int) bool {
	if i+n > len(s) {
		return false
	}
	for k := i; k < i+n; k++ {
		if s[k] < '0' || s[k] > '9' {
			return false
		}
	}
	return true
}

// matchClockAt matches (\d{1,2}:\d{2}(?::\d{2})?) and the rest at i.
func matchClockAt(s string, i int) (timeMatch, bool) {
	m := timeMatch{zone: [2]int{-1, -1}}
	// \d{1,2}: two digits if there are two (one digit followed by a
	// digit cannot be followed by the ':').
	h := 0
	switch {
	case digits(s, i, 2):
		h = 2
	case digits(s, i, 1):
		h = 1
	default:
		return m, false
	}
	if !at(s, i+h, ':') || !digits(s, i+h+1, 2) {
		return m, false
	}
	j := i + h + 3
	if at(s, j, ':') && digits(s, j+1, 2) {
		// With the seconds first; without them, the ':' that starts
		// them ends the match (no space, no zone, no star, then ':').
		if end, zone, ok := matchTail(s, j+3); ok {
			m.clock, m.zone, m.end = [2]int{i, j + 3}, zone, end
			return m, true
		}
		m.clock, m.end = [2]int{i, j}, j+1
		return m, true
	}
	end, zone, ok := matchTail(s, j)
	m.clock, m.zone, m.end = [2]int{i, j}, zone, end
	return m, ok
}

// matchTail matches \s*(zone)?\**(?:\s|$|[—–:|,-]) at j0.
func matchTail(s string, j0 int) (end int, zone [2]int, ok bool) {
	zone = [2]int{-1, -1}
	j1 := j0
	for j1 < len(s) && isSpaceRE(s[j1]) {
		j1++
	}
	// All the spaces, with the zone if there is one, then without.
	if n := zoneLen(s, j1); n > 0 {
		if e, ok := matchEnd(s, j1+n); ok {
			return e, [2]int{j1, j1 + n}, true
		}
	}
	if e, ok := matchEnd(s, j1); ok {
		return e, zone, true
	}
	// One space fewer: the last space is the \s that ends the match.
	if j1 > j0 {
		return j1, zone, true
	}
	return 0, zone, false
}

// zoneLen returns the length of Z|UTC|GMT|[+-]\d{2}:?\d{2} at j, or 0.
// At most one of them can match at a place.
func zoneLen(s string, j int) int {
	if j >= len(s) {
		return 0
	}
	switch s[j] {
	case 'Z':
		return 1
	case 'U', 'G':
		if len(s)-j >= 3 && (s[j:j+3] == "UTC" || s[j:j+3] == "GMT") {
			return 3
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

// matchEnd matches \**(?:\s|$|[—–:|,-]) at j. Fewer stars would leave a
// star before the end, which none of its forms matches.
func matchEnd(s string, j int) (int, bool) {
	for j < len(s) && s[j] == '*' {
		j++
	}
	if j == len(s) {
		return j, true
	}
	switch c := s[j]; {
	case isSpaceRE(c), c == ':', c == '|', c == ',', c == '-':
		return j + 1, true
	}
	if len(s)-j >= 3 && (s[j:j+3] == "—" || s[j:j+3] == "–") {
		return j + 3, true
	}
	return 0, false
}
