package check_test

import (
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/check"
)

// TestTimelineRules: the timeline rules on timelines as real postmortems
// write them (lines 27 to 29 of base are its timeline); refused entries
// are quoted, with a fix that uses the file's own date.
func TestTimelineRules(t *testing.T) {
	e := func(old, new string) string { return edit(t, base, old, new) }
	const tl = "- 2025-03-14 09:00 UTC — Certificate expired\n- 09:12 — Alert fired\n- 11:00 — Rotated\n"
	timeline := func(s string) string { return e(tl, s) }
	tests := []struct {
		name, src, rule string
		want            []string
		msgs            []string // in the first diagnostic
		not             string   // in no diagnostic
	}{
		{name: "placeholder", src: timeline("- 2025-03-14 09:00 UTC — Certificate expired\n- HH:mm — Alert fired\n"), rule: "timeline-time",
			want: at("28:3"), msgs: []string{`"HH:mm — Alert fired"`, "placeholder", `"2025-03-14 09:00 UTC — Alert fired"`}},
		{name: "five-digit year", src: timeline("- 20205-03-14 09:00 UTC — Certificate expired\n"), rule: "timeline-time",
			want: at("27:3"), msgs: []string{`"20205-03-14 09:00 UTC" is not a time`, "four digits", `"2025-03-14 09:00 UTC — Certificate expired"`}},
		{name: "no time", src: timeline("- 2025-03-14 09:00 UTC — Certificate expired\n- later — Rotated\n"), rule: "timeline-time",
			want: at("28:3"), msgs: []string{`"later — Rotated"`, "does not start with a time", "2025-03-14 09:00 UTC"}},
		{name: "time alone, no date anywhere", src: edit(t, timeline("- 09:40 UTC — Rotated\n"), "started: 2025-03-14T09:00:00Z\n", ""), rule: "timeline-time",
			want: at("26:3"), msgs: []string{`"09:40 UTC"`, "started:"}, not: "UTC UTC"},
		{name: "unknown zone", src: timeline("- 2025-03-14 09:00 UTC — Certificate expired\n- 2025-03-14 14:42 IST — Alert fired\n"), rule: "timeline-time",
			want: at("28:3"), msgs: []string{`"IST"`, "offset", `"2025-03-14 14:42 +05:30 — …"`}},
		{name: "day and month that could be either", src: timeline("- 2025-03-14 09:00 UTC — Certificate expired\n- 05/09/2025 14:42 UTC — Alert fired\n"), rule: "timeline-time",
			want: at("28:3"), msgs: []string{`"05/09/2025"`, "day/month or month/day", "year first"}},
		{name: "accepted formats", src: timeline("**2025-03-14** (all times UTC)\n\n| Time | Event |\n|---|---|\n| 2025-03-14   09:00 | Certificate expired |\n| ~09:12 | Alert fired |\n| 09:30-10:00 | Window |\n| 11:00 | Rotated |\n| 2025-03-15 | Published |\n\n### Mar 15, 2025\n\n- **12:00 UTC:** Review\n- 12:32 UTC – Closed\n"), rule: "timeline-time"},
		{name: "range is its start", src: timeline("- 2025-03-14 09:00-10:00 — Window\n- 2025-03-14 09:30 UTC — Inside it\n"), rule: "timeline-order"},
		{name: "date-only after times of its day", src: timeline(tl + "- 2025-03-14 — Postmortem drafted\n- 2025-03-15 09:00 UTC — Published\n"), rule: "timeline-order"},
		{name: "date-only is a time", src: timeline(tl + "- 2025-03-14 — Postmortem drafted\n"), rule: "timeline-time"},
		{name: "date-only a day before", src: timeline(tl + "- 2025-03-13 — Drafted\n"), rule: "timeline-order",
			want: at("30:3"), msgs: []string{"timeline entry at 2025-03-13 is earlier", "2025-03-14 11:00 UTC"}},
		{name: "days under headings", src: timeline("### 2025-03-14\n\n- 2025-03-14 20:00 UTC — Certificate expired\n- 21:00 — Alert\n\n### 2025-03-15\n\n- 10:00 — Rotated\n"), rule: "timeline-order"},
		{name: "date-only in range", src: timeline(tl + "- 2025-03-14 — Drafted\n"), rule: "timeline-range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := runKB(t, one(tt.src), check.Options{})
			got := where(ds, tt.rule)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("%s at %v, want %v\nall: %v", tt.rule, got, tt.want, ds)
			}
			first := true
			for _, d := range ds {
				if d.Rule != tt.rule {
					continue
				}
				if tt.not != "" && strings.Contains(d.Message, tt.not) {
					t.Errorf("message %q has %q", d.Message, tt.not)
				}
				if first {
					for _, m := range tt.msgs {
						if !strings.Contains(d.Message, m) {
							t.Errorf("message %q lacks %q", d.Message, m)
						}
					}
					first = false
				}
			}
		})
	}
}
