package postmortem

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// The regular expressions the matchers replace: the reference.
var (
	fullTimeRE = regexp.MustCompile(`^\**\s*(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\**(?:\s|$|[—–:|,-])`)
	timeOnlyRE = regexp.MustCompile(`^\**\s*(\d{1,2}:\d{2}(?::\d{2})?)\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\**(?:\s|$|[—–:|,-])`)
	sepRE      = regexp.MustCompile(`^[\s*]*[—–:|,-]?\s*`)
)

var timeSeeds = []string{
	"2025-03-14 09:12 UTC — Alert fired",
	"2025-03-14T09:12:30Z: x",
	"**2025-03-14 09:12** — bold",
	"* 2025-03-14 9:05 +0530 | a",
	"09:40 — Rotated",
	"9:40",
	"09:40:61 x",
	"09:40:30x",
	"09:40 +0100x",
	"09:40  +01:00 — y",
	"09:40 \t Z** - z",
	"09:40 GMT,",
	"09:40UTC",
	"09:40 UT",
	"09:40 -08:0",
	"09:40 -0800",
	"123:45 x",
	"1:2 x",
	"09:40–a",
	"09:40—a",
	"09:40:",
	"09:40:3",
	"09:40:30",
	"09:40:30 ",
	"09:40 ",
	"09:40  x",
	"09:40*",
	"09:40**x",
	"2025-03-14",
	"2025-03-14 09",
	"2025-3-14 09:00 x",
	"sometime — nothing",
	"",
	" ",
	"**",
	"\x80 09:00",
	"09:00\xe2\x80",
	"09:00 \xe2\x80\x94",
}

func reMatch(re *regexp.Regexp, s string, full bool) (timeMatch, bool) {
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return timeMatch{}, false
	}
	if !full {
		m = append(m[:2], append([]int{-1, -1}, m[2:]...)...)
	}
	return timeMatch{end: m[1], date: [2]int{m[2], m[3]}, clock: [2]int{m[4], m[5]}, zone: [2]int{m[6], m[7]}}, true
}

func checkTimeMatch(t *testing.T, s string) {
	t.Helper()
	for _, full := range []bool{true, false} {
		re, match := timeOnlyRE, matchClockTime
		if full {
			re, match = fullTimeRE, matchFullTime
		}
		want, wok := reMatch(re, s, full)
		got, gok := match(s)
		if wok != gok || (wok && got != want) {
			t.Fatalf("%q full=%v: got %v %+v, want %v %+v", s, full, gok, got, wok, want)
		}
	}
	if got, want := trimSep(s), sepRE.ReplaceAllString(s, ""); got != want {
		t.Fatalf("trimSep(%q) = %q, want %q", s, got, want)
	}
}

// TestMatchTime compares the matchers and trimSep with the regular
// expressions they replace.
func TestMatchTime(t *testing.T) {
	for _, s := range timeSeeds {
		checkTimeMatch(t, s)
		for _, p := range []string{"*", " ", "** ", "\t"} {
			checkTimeMatch(t, p+s)
		}
	}
}

func FuzzMatchTime(f *testing.F) {
	for _, s := range timeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkTimeMatch(t, s) })
}

// refReadClock is what readClock did before it read the numbers itself.
func refReadClock(date, clock, zone string, loc *time.Location) (time.Time, bool) {
	if strings.Count(clock, ":") == 1 {
		clock += ":00"
	}
	if len(clock) == 7 {
		clock = "0" + clock
	}
	s := date + "T" + clock
	switch {
	case zone == "":
		t, err := time.ParseInLocation("2006-01-02T15:04:05", s, loc)
		return t, err == nil
	case zone == "Z" || zone == "UTC" || zone == "GMT":
		t, err := time.ParseInLocation("2006-01-02T15:04:05", s, time.UTC)
		return t, err == nil
	default:
		if !strings.Contains(zone, ":") {
			zone = zone[:3] + ":" + zone[3:]
		}
		t, err := time.Parse(time.RFC3339, s+zone)
		return t, err == nil
	}
}

// TestReadClock compares readClock with time.Parse for dates and clocks
// as the matchers deliver them, valid or not, in several zones.
func TestReadClock(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	dates := []string{"2025-03-14", "2024-02-29", "2025-02-29", "2025-04-31", "2025-12-31", "2025-00-10",
		"2025-13-01", "2025-01-00", "0000-01-01", "9999-12-31", "2025-03-30", "2025-10-26", "1900-02-29", "2000-02-29"}
	clocks := []string{"9:05", "09:05", "0:00", "23:59", "24:00", "23:60", "12:34:56", "12:34:60", "1:02:03", "02:30", "2:30:00", "99:99"}
	zones := []string{"", "Z", "UTC", "GMT", "+0530", "-08:00", "+2400", "+00:00"}
	for _, loc := range []*time.Location{time.UTC, berlin} {
		for _, d := range dates {
			for _, c := range clocks {
				for _, z := range zones {
					got, gok := readClock(d, c, z, loc)
					want, wok := refReadClock(d, c, z, loc)
					gn, gOff := got.Zone()
					wn, wOff := want.Zone()
					// Numeric zones get a new fixed zone each time.
					same := got == want || (z != "" && got.Location() != time.UTC && got.Equal(want) && gn == wn && gOff == wOff)
					if gok != wok || !same || got.Location().String() != want.Location().String() {
						t.Errorf("readClock(%q, %q, %q, %v) = %v %v, want %v %v", d, c, z, loc, got, gok, want, wok)
					}
				}
			}
		}
	}
}
