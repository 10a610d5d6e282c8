package timeline

import (
	"strings"
	"testing"
	"time"
)

// TestIsHeading compares IsHeading with the lower-cased
// comparison it stands for.
func TestIsHeading(t *testing.T) {
	names := []string{"timeline", "chronology", "zeitlinie ü", "ǆ"}
	for _, h := range []string{"Timeline", " TIMELINE ", "timeline", "Time line", "Chronology", "Zeitlinie Ü",
		"ZEITLINIE Ü", "Ǆ", "ǅ", "K", "", "Timelines", "timeline\u00a0"} {
		want := false
		for _, n := range names {
			if strings.ToLower(strings.TrimSpace(h)) == n {
				want = true
			}
		}
		if got := IsHeading(h, names); got != want {
			t.Errorf("IsHeading(%q) = %v, want %v", h, got, want)
		}
	}
	// A note in parentheses after the name; a configured name with its
	// own parentheses.
	for h, want := range map[string]bool{"Timeline (all times PT)": true, "Zeitlinie Ü (MEZ)": true, "Timeline (x) y": false,
		"(Timeline)": false, "Log (UTC)": true, "Log": false} {
		if got := IsHeading(h, append(names, "log (utc)")); got != want {
			t.Errorf("IsHeading(%q) = %v, want %v", h, got, want)
		}
	}
}

// TestReader: a Reader places entries as a person reads them, one after
// the other: the date of the entry or heading above, the previous
// entry's zone, UTC when the section says so, past midnight.
func TestReader(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	started := time.Date(2025, 3, 14, 8, 0, 0, 0, time.UTC)
	type step struct {
		context string // a heading (read before the entry) when set
		entry   string
		want    string // RFC 3339, "" when not placed
		inh     bool
	}
	for _, tc := range []struct {
		name  string
		loc   *time.Location
		steps []step
	}{
		{"dates carry over, then past midnight", time.UTC, []step{
			{"", "2025-03-14 23:50 — a", "2025-03-14T23:50:00Z", false},
			{"", "23:55 — b", "2025-03-14T23:55:00Z", true},
			{"", "00:05 — c", "2025-03-15T00:05:00Z", true},
		}},
		{"a time alone takes the day it started, in the KB's zone", berlin, []step{
			{"", "09:40 — a", "2025-03-14T09:40:00+01:00", true},
		}},
		{"a zone carries over", berlin, []step{
			{"", "2025-03-14 09:00 UTC — a", "2025-03-14T09:00:00Z", false},
			{"", "09:30 — b", "2025-03-14T09:30:00Z", true},
		}},
		{"a heading gives the date and UTC", berlin, []step{
			{"March 20, 2025 (times in UTC)", "no time — a", "2025-03-20T00:00:00Z", true},
			{"", "10:00 — b", "2025-03-20T10:00:00Z", true},
			{"", "no time — c", "", false},
		}},
		{"refused", time.UTC, []step{
			{"", "HH:MM — placeholder", "", false},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(tc.loc, started)
			for i, s := range tc.steps {
				if s.context != "" {
					r.Context(s.context, true)
				}
				e := r.Entry(s.entry, false, nil)
				got := ""
				if e.OK {
					got = e.Time.Format(time.RFC3339)
				}
				if got != s.want || e.OK && e.Inherited != s.inh {
					t.Errorf("entry %d %q: %q inherited %v, want %q %v", i, s.entry, got, e.Inherited, s.want, s.inh)
				}
				if e.Found && (e.From > e.To || e.To > e.Rest || e.Rest > len(s.entry)) {
					t.Errorf("entry %d: offsets %d %d %d", i, e.From, e.To, e.Rest)
				}
			}
		})
	}
}

// FuzzReader: reading never panics, the time as written and the entry's
// own text lie in the text, and an entry placed in time is either read
// or refused, never both. (A refused time followed by more of a word,
// "0:00+00700", leaves the entry's text whole: Rest 0.)
func FuzzReader(f *testing.F) {
	for _, s := range []string{"2025-03-14 09:12 UTC — a", "~23:50 b", "09:00-10:00 PST c", "**Mar 14, 2025**: d",
		"HH:mm e", "25:00 f", "At 6pm UTC, g", "14 March 2025 h", "2025/03/14T09:12:30+05:30 i", "(approx 14:00) j",
		"All times UTC−8", "Times in CEST (+02:00)", "Timestamps Europe/Berlin"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, table bool) {
		r := NewReader(time.UTC, time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC))
		// The text as a caption too: a zone it names heads the entries.
		if z := CaptionZone(s); z != nil {
			if _, off := time.Date(2025, 3, 14, 0, 0, 0, 0, z).Zone(); off < -14*3600 || off > 14*3600 {
				t.Fatalf("%q: a caption zone %d s from UTC", s, off)
			}
		}
		r.Context(s, table)
		for range 2 { // the second read sees the first's date and zone
			e := r.Entry(s, table, nil)
			if e.Found && (e.From < 0 || e.From > e.To || e.To > len(s) || e.Rest > len(s) || e.Rest < e.To && e.Refused == "") {
				t.Fatalf("%q: offsets %d %d %d", s, e.From, e.To, e.Rest)
			}
			if e.OK && e.Refused != "" {
				t.Fatalf("%q: placed and refused (%s)", s, e.Refused)
			}
			if !e.Found && e.OK && !e.DateOnly {
				t.Fatalf("%q: a time placed without one found", s)
			}
		}
	})
}

// TestCaptionZone: the zone a caption names for the times it heads, as
// teams write it above a timeline or in a table's header.
func TestCaptionZone(t *testing.T) {
	tests := []struct {
		caption string
		want    string // the zone's offset as time formats it (-0800), an IANA name, or "" for none
	}{
		{"All times UTC", "UTC"},
		{"All times are in UTC.", "UTC"},
		{"**2015-10-21** (all times GMT)", "UTC"},
		{"All times CET.", "+0100"},
		{"Times in CEST (+02:00).", "+0200"},
		{"Time (PST)", "-0800"},
		{"All times UTC+1", "+0100"},
		{"All times UTC +05:30", "+0530"},
		{"Timestamps are GMT-05:00", "-0500"},
		{"All times PST (UTC−8)", "-0800"},
		{"Times in CET (UTC+1)", "+0100"},
		{"(-07:00)", "-0700"},
		{"All times Europe/Berlin", "Europe/Berlin"},
		{"Times are Europe/Berlin (CET)", "Europe/Berlin"},
		{"All times UTC; the Berlin office is on CET", "UTC"},
		{"PST or EST, nobody wrote it down", ""},
		{"Europe/Berlin or America/New_York", ""},
		{"The alert fired between 09:00-10:00", ""},
		{"OUTCOME and the UTCX service", ""},
		{"No zone here", ""},
		{"UTC+15", "UTC"}, // not an offset: UTC, then a number
		{"All times PT", "America/Los_Angeles"},
		{"Times are ET (UTC-5)", "America/New_York"},
		{"PT or ET", ""},
		{"PTO and ETA are words", ""},
		{"### Plan Z", ""},
	}
	for _, tc := range tests {
		z := CaptionZone(tc.caption)
		got := ""
		switch {
		case z == nil:
		case z == time.UTC:
			got = "UTC"
		case strings.Contains(z.String(), "/"):
			got = z.String()
		default:
			got = time.Date(2024, 1, 1, 0, 0, 0, 0, z).Format("-0700")
		}
		if got != tc.want {
			t.Errorf("CaptionZone(%q) = %q, want %q", tc.caption, got, tc.want)
		}
	}
}
