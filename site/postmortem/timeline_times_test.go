package postmortem

import (
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/postmortem/timeline"
)

// timelineOf parses a postmortem that started at started (RFC 3339, or
// none when empty) with the given Timeline section, and returns its
// entries.
func timelineOf(t *testing.T, started, timeline string, loc *time.Location) []TimelineEntry {
	t.Helper()
	front := "---\ntitle: T\n"
	if started != "" {
		front += "started: " + started + "\n"
	}
	front += "---\n\n## Timeline\n\n"
	ps := NewParser(Options{Location: loc})
	p := ps.ParseFrontMatter("content/postmortems/x.md", []byte(front+timeline))
	ps.ParseBody(p, BodyOptions{RenderHTML: true})
	return p.Body.Timeline
}

// want is one timeline entry as a test expects it: its time in RFC 3339
// ("" when not OK), and optionally more.
type want struct {
	time, timeText, text string
	approx, dateOnly     bool
	end                  string // RFC 3339 end of a range
	refused              string // Refused, when not OK
}

func checkEntries(t *testing.T, got []TimelineEntry, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("%d entries, want %d: %+v", len(got), len(wants), got)
	}
	for i, w := range wants {
		e := got[i]
		gt := ""
		if e.OK {
			gt = e.Time.Format(time.RFC3339)
		}
		ge := ""
		if !e.End.IsZero() {
			ge = e.End.Format(time.RFC3339)
		}
		if gt != w.time || e.Approx != w.approx || e.DateOnly != w.dateOnly || ge != w.end ||
			(w.timeText != "" && e.TimeText != w.timeText) || (w.text != "" && e.Text != w.text) || (w.refused != "" && e.Refused != w.refused) {
			t.Errorf("entry %d: got time %q approx %v dateOnly %v end %q timeText %q text %q\nwant %+v",
				i, gt, e.Approx, e.DateOnly, ge, e.TimeText, e.Text, w)
		}
	}
}

// TestTimelineTimes: the time formats of real postmortems, accepted,
// approximate, date-only, ranges, and the refused ones.
func TestTimelineTimes(t *testing.T) {
	const started = "2021-12-10T15:00:00Z"
	tests := []struct {
		name, timeline string
		want           []want
	}{
		{"full and clock", "- 2021-12-10 15:40 UTC — a\n- 16:05 — b\n- 2021-12-10T16:30:15Z: c\n", []want{
			{time: "2021-12-10T15:40:00Z", timeText: "2021-12-10 15:40 UTC", text: "a"},
			{time: "2021-12-10T16:05:00Z", timeText: "16:05", text: "b"},
			{time: "2021-12-10T16:30:15Z", text: "c"}}},
		{"bold time with a colon inside", "- **21:17 UTC:** paged\n- 21:28 UTC: escalated\n", []want{
			{time: "2021-12-10T21:17:00Z", timeText: "21:17 UTC", text: "paged"},
			{time: "2021-12-10T21:28:00Z", text: "escalated"}}},
		{"en dash after the zone", "- 2021-12-10 12:32 UTC – rollback\n", []want{
			{time: "2021-12-10T12:32:00Z", text: "rollback"}}},
		{"numeric zones", "- 2021-12-10 09:05 +0530 | a\n- 2021-12-10T09:00-08:00 b\n- 09:00 -08:00 c\n", []want{
			{time: "2021-12-10T09:05:00+05:30", text: "a"},
			{time: "2021-12-10T09:00:00-08:00", text: "b"},
			{time: "2021-12-10T09:00:00-08:00", text: "c"}}},
		{"range is its start", "- 2021-12-12 09:00-10:00 — window\n- 09:30 — inside it\n- 11:00 – 11:45 UTC — second\n- 23:30 to 00:15 — overnight\n", []want{
			{time: "2021-12-12T09:00:00Z", end: "2021-12-12T10:00:00Z", timeText: "2021-12-12 09:00-10:00", text: "window"},
			{time: "2021-12-12T09:30:00Z", text: "inside it"},
			{time: "2021-12-12T11:00:00Z", end: "2021-12-12T11:45:00Z", text: "second"},
			{time: "2021-12-12T23:30:00Z", end: "2021-12-13T00:15:00Z", text: "overnight"}}},
		{"approximate", "- ~19:30 — a\n- 19:45~ — b\n- approx. 20:00 — c\n- 20:?? — d\n- around 21:00: e\n- 21:30 (approx.) — f\n", []want{
			{time: "2021-12-10T19:30:00Z", approx: true, timeText: "~19:30", text: "a"},
			{time: "2021-12-10T19:45:00Z", approx: true, text: "b"},
			{time: "2021-12-10T20:00:00Z", approx: true, text: "c"},
			{time: "2021-12-10T20:00:00Z", approx: true, timeText: "20:??", text: "d"},
			{time: "2021-12-10T21:00:00Z", approx: true, text: "e"},
			{time: "2021-12-10T21:30:00Z", approx: true, text: "f"}}},
		{"am and pm, past midnight", "- 9:05 am — a\n- 1:15pm — b\n- 11:55 PM — c\n- 12:05 AM — d\n- 12:30 AM — e\n", []want{
			{time: "2021-12-10T09:05:00Z", text: "a"},
			{time: "2021-12-10T13:15:00Z", text: "b"},
			{time: "2021-12-10T23:55:00Z", text: "c"},
			{time: "2021-12-11T00:05:00Z", text: "d"},
			{time: "2021-12-11T00:30:00Z", text: "e"}}},
		{"earlier by less than half a day stays that day", "- 21:10 — a\n- 20:00 — b\n", []want{
			{time: "2021-12-10T21:10:00Z"}, {time: "2021-12-10T20:00:00Z"}}},
		{"zone names, fractions, slashes", "- 2021/12/10 17:37 PST: a\n- 01:54 PST: b\n- 2021-12-11T10:48:12.513Z c\n- 2021/12/11 23:00-ish UTC: d\n- 21:4? — e\n", []want{
			{time: "2021-12-10T17:37:00-08:00", text: "a"},
			{time: "2021-12-11T01:54:00-08:00", text: "b"},
			{time: "2021-12-11T10:48:12Z", text: "c"},
			{time: "2021-12-11T23:00:00Z", approx: true, text: "d"},
			{time: "2021-12-11T21:40:00Z", approx: true, timeText: "21:4?", text: "e"}}},
		{"table padded, date-only row", "| When | What |\n|---|---|\n| 2021-12-10   15:40 | deployed |\n| 2021-12-11 | published |\n| 09:00 | next day |\n", []want{
			{time: "2021-12-10T15:40:00Z", text: "deployed"},
			{time: "2021-12-11T00:00:00Z", dateOnly: true, timeText: "2021-12-11", text: "published"},
			{time: "2021-12-11T09:00:00Z", text: "next day"}}},
		{"table with date and time columns", "| Date | Time | Event | Who |\n|---|---|---|---|\n| 2021-12-10 | 15:40 | deployed | ops |\n", []want{
			{time: "2021-12-10T15:40:00Z", text: "deployed — ops"}}},
		{"date line above a table", "**2015-10-21** (all times UTC)\n\n| Time | Event |\n|---|---|\n| 07:28 | a |\n| 07:40 | b |\n", []want{
			{time: "2015-10-21T07:28:00Z", text: "a"},
			{time: "2015-10-21T07:40:00Z", text: "b"}}},
		{"day headings", "### Feb 21, 2020\n\n- 23:50 — a\n\n### Saturday, 22 February 2020\n\n- 00:10 — b\n\n### 2020-02-23\n\n- 08:00 — c\n", []want{
			{time: "2020-02-21T23:50:00Z", text: "a"},
			{time: "2020-02-22T00:10:00Z", text: "b"},
			{time: "2020-02-23T08:00:00Z", text: "c"}}},
		{"started's date when nothing else, where the clock is", "- 15:10 — first\n- 2021-12-10 16:00 UTC — b\n", []want{
			{time: "2021-12-10T15:10:00Z", text: "first"}, {time: "2021-12-10T16:00:00Z"}}},
		{"started's day in the entry's zone", "- 6:10 PM PDT — a\n", []want{{time: "2021-12-10T18:10:00-07:00"}}},
		{"no time under a day heading", "- 2021-12-10 16:00 UTC — a\n\n### 5 January 2022\n\n- Inquiry held\n- 10:00 — b\n- later — c\n", []want{
			{time: "2021-12-10T16:00:00Z"}, {time: "2022-01-05T00:00:00Z", dateOnly: true, text: "Inquiry held"},
			{time: "2022-01-05T10:00:00Z"}, {text: "later — c"}}},
		{"approximate after a date", "- 2021/12/10 ~21:00 UTC: a\n- 2021-12-11 about the fix\n", []want{
			{time: "2021-12-10T21:00:00Z", approx: true, text: "a"}, {time: "2021-12-11T00:00:00Z", dateOnly: true, text: "about the fix"}}},
		{"refused", "- YYYY-MM-DD HH:MM UTC — template\n- HH:mm — template\n- --:-- — template\n- 20202-02-21 10:00 — year\n- 25:10 — hour\n- 2021-12-10 10:61 — minute\n- at some point — none\n- 2021-13-01 — month\n", []want{
			{timeText: "YYYY-MM-DD HH:MM UTC", text: "template", refused: timeline.RefusedPlaceholder},
			{timeText: "HH:mm", text: "template", refused: timeline.RefusedPlaceholder},
			{timeText: "--:--", text: "template", refused: timeline.RefusedPlaceholder},
			{timeText: "20202-02-21 10:00", text: "year", refused: timeline.RefusedValue},
			{timeText: "25:10", text: "hour"},
			{timeText: "2021-12-10 10:61", text: "minute"},
			{timeText: "", text: "at some point — none"},
			{timeText: "2021-13-01", text: "month"}}},
		{"a refused time running on into its word", "- 0:00+00700 x happened\n- 25:10x — hour\n", []want{
			{timeText: "0:00+00700", text: "x happened"},
			{timeText: "25:10x", text: "hour"}}},
		{"IANA zones, At, an hour with pm", "- 2021-12-10 15:00 Europe/Berlin — a\n- At 6pm UTC, b\n- at 11:27pm UTC, c\n- At 2:10am UTC on the 11th, d\n", []want{
			{time: "2021-12-10T15:00:00+01:00", timeText: "2021-12-10 15:00 Europe/Berlin", text: "a"},
			{time: "2021-12-10T18:00:00Z", timeText: "6pm UTC", text: "b"},
			{time: "2021-12-10T23:27:00Z", text: "c"},
			{time: "2021-12-11T02:10:00Z", text: "on the 11th, d"}}},
		{"unknown zones refused, words after a time are text", "- 2021-12-10 18:30 IST — a\n- 18:40 NZDT — b\n- 18:50 POST /login fails\n- 19:00 Mars/Olympus — c\n- 19:10 SGT: d\n", []want{
			{timeText: "2021-12-10 18:30 IST", text: "a", refused: timeline.RefusedZone},
			{timeText: "18:40 NZDT", text: "b"},
			{time: "2021-12-10T18:50:00Z", text: "POST /login fails"},
			{timeText: "19:00 Mars/Olympus", text: "c", refused: timeline.RefusedZone},
			{timeText: "19:10 SGT", text: "d"}}},
		{"not a time", "- 09:40x — a\n- 123:45 — b\n- 2021-12-10x — c\n", []want{
			{text: "09:40x — a"}, {text: "123:45 — b"}, {text: "2021-12-10x — c"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkEntries(t, timelineOf(t, started, tt.timeline, nil), tt.want)
		})
	}
}

// TestTimelineZones: a time without a zone takes the previous entry's,
// else the KB's; without started, a time alone before any date is not
// placed.
func TestTimelineZones(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	checkEntries(t, timelineOf(t, "", "- 10:00 — no date yet\n- 2025-03-14 09:12 UTC — a\n- 09:40 — b\n", berlin), []want{
		{timeText: "10:00"},
		{time: "2025-03-14T09:12:00Z"},
		{time: "2025-03-14T09:40:00Z"}})
	checkEntries(t, timelineOf(t, "", "- 2025-03-14 09:12 — a\n", berlin), []want{{time: "2025-03-14T09:12:00+01:00"}})
}

// TestTimelineEntryText: the text after the time, whatever separates
// them.
func TestTimelineEntryText(t *testing.T) {
	for _, s := range []string{"09:40 — x", "09:40 – x", "09:40: x", "09:40 - x", "09:40 | x", "**09:40** x", "09:40, x", "09:40 x"} {
		got := timelineOf(t, "2021-12-10T09:00:00Z", "- "+s+"\n", nil)
		if len(got) != 1 || got[0].Text != "x" || !got[0].OK {
			t.Errorf("%q: %+v", s, got)
		}
	}
	if got := timelineOf(t, "2021-12-10T09:00:00Z", "- 09:40 — "+strings.Repeat("a", 10)+"\n", nil); got[0].Text != strings.Repeat("a", 10) {
		t.Errorf("%+v", got)
	}
}

// TestTimelineCaptionZone: a caption that names one zone ("All times
// CET", a table's "Time (PST)" header, a day heading with its zone) is
// the zone of the entries below it that give none; a paragraph that
// names a zone but does not speak of times is not a caption.
func TestTimelineCaptionZone(t *testing.T) {
	const started = "2024-03-02T22:40:00+01:00"
	tests := []struct {
		name, timeline string
		want           []want
	}{
		{"caption above day headings and a table", "All times CET.\n\n### Saturday 2 March 2024\n\n| Time | Event |\n|---|---|\n| 22:40 | a |\n\n### Sunday 3 March 2024\n\n- 00:15 — b\n", []want{
			{time: "2024-03-02T22:40:00+01:00"}, {time: "2024-03-03T00:15:00+01:00"}}},
		{"a table's header", "| Time (PST) | Event |\n|---|---|\n| 13:40 | a |\n", []want{{time: "2024-03-02T13:40:00-08:00"}}},
		{"an offset after UTC", "Times are UTC+1.\n\n- 22:40 — a\n", []want{{time: "2024-03-02T22:40:00+01:00"}}},
		{"an entry's own zone wins", "All times CET.\n\n- 21:40 UTC — a\n- 22:50 CET — b\n", []want{
			{time: "2024-03-02T21:40:00Z"}, {time: "2024-03-02T22:50:00+01:00"}}},
		{"not a caption", "The Berlin team (CET) took over.\n\n- 21:40 — a\n", []want{{time: "2024-03-02T21:40:00Z"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkEntries(t, timelineOf(t, started, tt.timeline, nil), tt.want)
		})
	}
}

// TestTimelineUSZonesAndDayHeadings: PT, ET, CT and MT are the US zones
// with their summer time; a "Day N" heading is the incident's N-th day
// (started's date, in the zone the times above it were read in).
func TestTimelineUSZonesAndDayHeadings(t *testing.T) {
	checkEntries(t, timelineOf(t, "2023-11-14T09:00:00-08:00",
		"### Day 1 (Tuesday)\n\n- 9:00am PT — a\n- 2:15pm PT — b\n\n### Day 2 (Wednesday)\n\n- 8:00am PT — c\n\n### Day 10\n\n- 07:00 — d\n", nil), []want{
		{time: "2023-11-14T09:00:00-08:00"},
		{time: "2023-11-14T14:15:00-08:00"},
		{time: "2023-11-15T08:00:00-08:00"},
		{time: "2023-11-23T07:00:00-08:00"}})
	checkEntries(t, timelineOf(t, "2024-07-01T09:00:00Z",
		"- 2024-07-01 09:00 ET — summer\n- 2024-12-02 09:00 ET — winter\n- 2024-12-02 10:00 CT — c\n- 2024-12-02 11:00 MT — m\n", nil), []want{
		{time: "2024-07-01T09:00:00-04:00"},
		{time: "2024-12-02T09:00:00-05:00"},
		{time: "2024-12-02T10:00:00-06:00"},
		{time: "2024-12-02T11:00:00-07:00"}})
	// A caption in PT; "Daylight" and "Day one" are no day numbers.
	checkEntries(t, timelineOf(t, "2023-11-14T09:00:00-08:00",
		"All times PT.\n\n### Daylight\n\n- 10:00 — a\n\n### Day one\n\n- 11:00 — b\n", nil), []want{
		{time: "2023-11-14T10:00:00-08:00"},
		{time: "2023-11-14T11:00:00-08:00"}})
}

// TestTimelineDaysWithoutYear: a heading or date line that gives a day
// without its year ("Sunday 3 March", "**March 3**") is that day in the
// year nearest the incident's start; words that only look like one are
// not.
func TestTimelineDaysWithoutYear(t *testing.T) {
	checkEntries(t, timelineOf(t, "2024-03-02T22:40:00+01:00",
		"All times CET.\n\n### Saturday 2 March\n\n- 22:40 — a\n\n### Sunday 3 March\n\n- 23:00 — b\n\n**4th of March**\n\n- 09:00 — c\n", nil), []want{
		{time: "2024-03-02T22:40:00+01:00"},
		{time: "2024-03-03T23:00:00+01:00"}, // a day later than the entry above, not an hour
		{time: "2024-03-04T09:00:00+01:00"}})
	checkEntries(t, timelineOf(t, "2023-12-31T23:00:00Z",
		"### December 31\n\n- 23:00 — a\n\n### Jan 1st\n\n- 01:00 — b\n", nil), []want{
		{time: "2023-12-31T23:00:00Z"},
		{time: "2024-01-01T01:00:00Z"}})
	// Not days: "May we", "3 services", "March 2024", a time.
	checkEntries(t, timelineOf(t, "2024-03-02T10:00:00Z",
		"- 10:00 — a\n\n### May we add\n\n- 11:00 — b\n\n### 3 services down\n\n- 12:00 — c\n\n### March 2024\n\n- 13:00 — d\n", nil), []want{
		{time: "2024-03-02T10:00:00Z"}, {time: "2024-03-02T11:00:00Z"}, {time: "2024-03-02T12:00:00Z"}, {time: "2024-03-02T13:00:00Z"}})
}

// TestTimelineDayBullets: a list item that only gives a day, over a list
// of that day's times, is a day heading: its items are the entries, and
// the page shows them as one timeline with their days. A day-only entry
// whose sub-items are details stays one entry.
func TestTimelineDayBullets(t *testing.T) {
	const tl = "- **May 9**\n  - 14:02 — push\n  - 14:10 — alerts\n- **May 10** (Tuesday)\n  - 09:00 — review\n"
	checkEntries(t, timelineOf(t, "2022-05-09T14:02:00Z", tl, nil), []want{
		{time: "2022-05-09T14:02:00Z", text: "push"}, {time: "2022-05-09T14:10:00Z", text: "alerts"}, {time: "2022-05-10T09:00:00Z", text: "review"}})
	checkEntries(t, timelineOf(t, "2023-11-14T09:00:00-08:00", "- Day 1\n  - 9:00am PT — a\n- Day 2\n  - 8:00am PT — b\n", nil), []want{
		{time: "2023-11-14T09:00:00-08:00"}, {time: "2023-11-15T08:00:00-08:00"}})
	checkEntries(t, timelineOf(t, "2021-12-10T09:00:00Z", "- 2021-12-10\n  - advisory published\n  - patch released\n", nil), []want{
		{time: "2021-12-10T00:00:00Z", dateOnly: true}})
	// A note beside the day's list: not a day heading (the item is one
	// entry, as before).
	if got := timelineOf(t, "2022-05-09T14:02:00Z", "- **May 9**\n\n  Quiet morning.\n\n  - 14:02 — push\n", nil); len(got) != 1 {
		t.Errorf("a day item with a note: %d entries, want 1", len(got))
	}

	ps := NewParser(Options{})
	p := ps.ParseFrontMatter("content/postmortems/x.md", []byte("---\ntitle: T\nstarted: 2022-05-09T14:02:00Z\n---\n\n## Timeline\n\n"+tl))
	ps.ParseBody(p, BodyOptions{RenderHTML: true})
	h := p.Body.HTML
	if n := strings.Count(h, `<li class="tl-entry">`); n != 3 {
		t.Errorf("%d timeline entries on the page, want 3:\n%s", n, h)
	}
	if !strings.Contains(h, "Tue 10 May 2022") || strings.Contains(h, "<strong>May 9</strong>") {
		t.Errorf("the page does not show the days as the timeline's days:\n%s", h)
	}
}

// TestTimelineParagraphEntries: in a timeline pasted from a document,
// each paragraph that starts with a time is an entry; paragraphs one
// after the other are shown as one timeline, a paragraph between them
// splits it. A paragraph of several lines that each start with a time
// is an entry a line.
func TestTimelineParagraphEntries(t *testing.T) {
	const tl = "All times UTC.\n\n14:02 — push\n\n14:10 — alerts\n\nThe rollback took a while.\n\n15:05 — resolved\n"
	checkEntries(t, timelineOf(t, "2022-05-09T14:02:00Z", tl, nil), []want{
		{time: "2022-05-09T14:02:00Z", text: "push"}, {time: "2022-05-09T14:10:00Z", text: "alerts"}, {time: "2022-05-09T15:05:00Z", text: "resolved"}})
	ps := NewParser(Options{})
	p := ps.ParseFrontMatter("content/postmortems/x.md", []byte("---\ntitle: T\nstarted: 2022-05-09T14:02:00Z\n---\n\n## Timeline\n\n"+tl))
	ps.ParseBody(p, BodyOptions{RenderHTML: true})
	h := p.Body.HTML
	if n, m := strings.Count(h, `<ol class="timeline">`), strings.Count(h, "</ol>"); n != 2 || m != 2 {
		t.Errorf("%d timelines opened and %d closed, want 2 (the paragraph between splits them):\n%s", n, m, h)
	}
	if !strings.Contains(h, "<p>The rollback took a while.</p>") || strings.Count(h, `<li class="tl-entry">`) != 3 {
		t.Errorf("the page:\n%s", h)
	}
	// Lines of one paragraph that each start with a time: an entry a
	// line; a line that does not goes on the entry above it.
	const lines = "14:02 push of `v2`\nwith a wrapped line\n**14:10** alerts [page](b.md)\n"
	checkEntries(t, timelineOf(t, "2022-05-09T14:02:00Z", lines, nil), []want{
		{time: "2022-05-09T14:02:00Z", text: "push of v2 with a wrapped line"}, {time: "2022-05-09T14:10:00Z", text: "alerts page"}})
	p = ps.ParseFrontMatter("content/postmortems/x.md", []byte("---\ntitle: T\nstarted: 2022-05-09T14:02:00Z\n---\n\n## Timeline\n\n"+lines))
	ps.ParseBody(p, BodyOptions{RenderHTML: true, ResolveLink: func(dest string) (string, bool) { return "resolved/", true }})
	h = p.Body.HTML
	if strings.Count(h, `<ol class="timeline">`) != 1 || strings.Count(h, `<li class="tl-entry">`) != 2 ||
		!strings.Contains(h, "<code>v2</code>") || !strings.Contains(h, `href="resolved/"`) || strings.Contains(h, "<p>") ||
		strings.Contains(h, "line\n</span>") {
		t.Errorf("the lines on the page:\n%s", h)
	}
}

// TestTimelineDayMonthDates: dates written day and month before the year
// are read when only one reading can be (25/03/2024, 03/25/2024,
// 25.03.2024, 05/05/2024); 05/09/2022 could be either and is refused as
// ambiguous.
func TestTimelineDayMonthDates(t *testing.T) {
	checkEntries(t, timelineOf(t, "", "- 25/03/2024 14:05 UTC — a\n- 03/26/2024 09:00 UTC — b\n- 27.03.2024 10:00 UTC — c\n- 05/05/2025 — d\n- 05/09/2025 11:00 UTC — e\n- 31/02/2025 — f\n", nil), []want{
		{time: "2024-03-25T14:05:00Z"},
		{time: "2024-03-26T09:00:00Z"},
		{time: "2024-03-27T10:00:00Z"},
		{time: "2025-05-05T00:00:00Z", dateOnly: true},
		{refused: timeline.RefusedAmbiguous},
		{refused: timeline.RefusedValue}})
}

// TestTimelineHeadingNote: "## Timeline (all times PT)" is the timeline
// section, and its note is the zone of its times.
func TestTimelineHeadingNote(t *testing.T) {
	ps := NewParser(Options{})
	p := ps.ParseFrontMatter("content/postmortems/x.md", []byte("---\ntitle: T\nstarted: 2023-11-14T09:00:00-08:00\n---\n\n## Timeline (all times PT)\n\n- 09:00 — a\n- 10:30 — b\n"))
	ps.ParseBody(p, BodyOptions{RenderHTML: true})
	checkEntries(t, p.Body.Timeline, []want{{time: "2023-11-14T09:00:00-08:00"}, {time: "2023-11-14T10:30:00-08:00"}})
}

// TestTimelineChatAndParenZones: a chat log's "[14:05]", and a zone in
// parentheses or written UTC+1 after the time, are read; an unknown
// abbreviation in parentheses is refused as it is without them; other
// words in parentheses are the entry's text.
func TestTimelineChatAndParenZones(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	// A KB in Berlin: "(UTC)" must not be read in the KB's zone.
	checkEntries(t, timelineOf(t, "2024-03-02T10:00:00Z",
		"- [14:05] a\n- **[14:06]** b\n- 14:07 (UTC) c\n- 14:08 UTC+1 d\n- 14:09 (UTC+1) e\n- 14:10 (PT) f\n- 14:11 (IST) g\n- 14:12 (approx.) h\n- [2024-03-02 14:13 UTC] i\n", berlin), []want{
		{time: "2024-03-02T14:05:00+01:00", timeText: "14:05", text: "a"},
		{time: "2024-03-02T14:06:00+01:00", text: "b"},
		{time: "2024-03-02T14:07:00Z", text: "c"},
		{time: "2024-03-02T14:08:00+01:00", text: "d"},
		{time: "2024-03-02T14:09:00+01:00", text: "e"},
		{time: "2024-03-02T14:10:00-08:00", text: "f"},
		{refused: timeline.RefusedZone},
		{time: "2024-03-02T14:12:00-08:00", approx: true, text: "h"},
		{time: "2024-03-02T14:13:00Z", text: "i"}})
}

// TestTimelineEntriesWithoutYear: an entry's date without its year
// ("Mar 3, 14:05", a table's "| Mar 3 | 14:05 |") takes the year nearest
// the date above it or the incident's start, and a table's "| Day 2 |"
// cell is the incident's second day; with nothing to count from the
// entry is not placed.
func TestTimelineEntriesWithoutYear(t *testing.T) {
	checkEntries(t, timelineOf(t, "2024-12-31T22:00:00Z",
		"| Date | Time | Event |\n|---|---|---|\n| Dec 31 | 22:05 | a |\n| | 23:00 | b |\n| Jan 1 | 01:00 | c |\n\n- Jan 2, 09:00 — d\n- 3 January 10:00 — e\n", nil), []want{
		{time: "2024-12-31T22:05:00Z", text: "a"}, {time: "2024-12-31T23:00:00Z", text: "b"},
		{time: "2025-01-01T01:00:00Z", text: "c"}, {time: "2025-01-02T09:00:00Z", text: "d"}, {time: "2025-01-03T10:00:00Z", text: "e"}})
	checkEntries(t, timelineOf(t, "2024-03-03T10:00:00Z",
		"| Day | Time | Event |\n|---|---|---|\n| Day 1 | 14:05 | f |\n| Day 2 | 09:00 | g |\n| Day 2 | | h |\n", nil), []want{
		{time: "2024-03-03T14:05:00Z"}, {time: "2024-03-04T09:00:00Z"}, {time: "2024-03-04T00:00:00Z", dateOnly: true}})
	got := timelineOf(t, "", "- Mar 3, 14:05 — x\n", nil)
	if len(got) != 1 || got[0].OK || !got[0].Inherited {
		t.Errorf("a date without its year and nothing to count from: %+v, want not placed, needing a date", got)
	}
}
