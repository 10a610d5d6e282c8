package check

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/postmortem/timeline"
)

// The timeline rules: timeline-time (an entry that cannot be placed in
// time), timeline-order and timeline-range.

// timelineTime reports a timeline entry that cannot be placed in time: no
// time, a template's placeholder, an impossible value, or a time alone
// with no date above it.
type timelineTime struct{}

func (timelineTime) ID() string { return "timeline-time" }

func (timelineTime) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	var out []diag.Diagnostic
	loc := c.Config.Location
	var last time.Time // the last entry placed
	for _, e := range p.Body.Timeline {
		if e.OK {
			last = e.Time
			continue
		}
		quoted := quoteEntry(e)
		fix := "e.g. " + strconv.Quote(example(last, p.Started, loc, e.Text))
		var msg string
		switch {
		case e.TimeText == "":
			msg = fmt.Sprintf("timeline entry %s does not start with a time; begin it with when it happened, %s", quoted, fix)
		case e.Inherited:
			fix = "write its date, " + fix
			if p.Started.IsZero() {
				fix += ", or set started: in the front matter (a time alone then takes its day)"
			}
			msg = fmt.Sprintf("timeline entry %s gives only a time (%q) and no date is written above it; %s", quoted, e.TimeText, fix)
		case e.Refused == timeline.RefusedZone:
			z := e.TimeText[strings.LastIndexByte(e.TimeText, ' ')+1:]
			bare := strings.Trim(z, "()")
			msg = fmt.Sprintf("timeline entry %s: hindsight does not know the zone %q (it reads UTC, GMT, numeric offsets, IANA names such as Europe/Berlin and the abbreviations the README lists; IST or BST could mean more than one); write the offset instead, e.g. %q",
				quoted, bare, strings.TrimSpace(strings.TrimSuffix(e.TimeText, z))+" +05:30 — …")
		case e.Refused == timeline.RefusedAmbiguous:
			date, _, _ := strings.Cut(e.TimeText, " ")
			msg = fmt.Sprintf("timeline entry %s: the date %q could be day/month or month/day; write it year first, %s", quoted, date, fix)
		case e.Refused == timeline.RefusedPlaceholder:
			msg = fmt.Sprintf("timeline entry %s has a template's placeholder (%q) for its time; write when it happened, %s", quoted, e.TimeText, fix)
		default:
			msg = fmt.Sprintf("timeline entry %s: %q is not a time (the year has four digits, the month 01-12, the day must exist, the hour 00-23, the minutes 00-59); %s", quoted, e.TimeText, fix)
		}
		out = append(out, errorf(p.Path, e.Pos, "timeline-time", msg))
	}
	return out
}

// quoteEntry quotes the start of an entry as written.
func quoteEntry(e postmortem.TimelineEntry) string {
	s := e.Text
	if e.TimeText != "" {
		s = e.TimeText + " — " + s
	}
	if utf8.RuneCountInString(s) > 60 {
		r := []rune(s)
		s = string(r[:59]) + "…"
	}
	return strconv.Quote(s)
}

// example is a fixed entry for a message: the time of the last entry
// placed (else the time the incident started) with its date, then the
// entry's text (shortened).
func example(last, started time.Time, loc *time.Location, text string) string {
	t := last
	if t.IsZero() {
		t = started
	}
	if utf8.RuneCountInString(text) > 30 {
		text = string([]rune(text)[:29]) + "…"
	}
	if text == "" {
		text = "…"
	}
	if t.IsZero() {
		return "2025-03-14 09:12 UTC — " + text
	}
	return t.In(loc).Format("2006-01-02 15:04 MST") + " — " + text
}

// when formats an entry's time for messages: its day alone for a
// date-only entry.
func when(e *postmortem.TimelineEntry, loc *time.Location) string {
	if e.DateOnly {
		return e.Time.Format(time.DateOnly)
	}
	return fmtTime(e.Time, loc)
}

// timelineOrder reports a timeline entry earlier than the one before it
// (a date-only entry: a day before the previous entry's).
type timelineOrder struct{}

func (timelineOrder) ID() string { return "timeline-order" }

func (timelineOrder) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	var out []diag.Diagnostic
	var prev *postmortem.TimelineEntry
	for i := range p.Body.Timeline {
		e := &p.Body.Timeline[i]
		if !e.OK {
			continue
		}
		latest := e.Latest()
		if prev != nil && latest.Before(prev.Time) {
			hint := "put the entries in time order"
			if e.Inherited {
				hint += ", or give this entry its date (a time alone takes the date written above it)"
			}
			out = append(out, errorf(p.Path, e.Pos, "timeline-order",
				fmt.Sprintf("timeline entry at %s is earlier than the entry before it (%s, line %d); %s",
					when(e, c.Config.Location), when(prev, c.Config.Location), prev.Pos.Line, hint)))
			continue
		}
		if prev == nil || !e.Time.Before(prev.Time) {
			prev = e
		}
	}
	return out
}

// timelineRange reports a timeline entry far outside started..resolved.
type timelineRange struct{}

func (timelineRange) ID() string { return "timeline-range" }

func (timelineRange) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	if p.Started.IsZero() {
		return nil
	}
	slack := c.Config.TimelineSlack
	lo := p.Started.Add(-slack)
	var hi time.Time
	if !p.Resolved.IsZero() {
		hi = p.Resolved.Add(slack)
	}
	loc := c.Config.Location
	var out []diag.Diagnostic
	for i := range p.Body.Timeline {
		e := &p.Body.Timeline[i]
		if !e.OK {
			continue
		}
		latest := e.Latest()
		switch {
		case latest.Before(lo):
			out = append(out, errorf(p.Path, e.Pos, "timeline-range",
				fmt.Sprintf("timeline entry at %s is %s before started (%s); fix the entry's date, or move started: earlier if the incident began then (allowed slack: %s, timeline_slack in hindsight.yaml)",
					when(e, loc), human(p.Started.Sub(latest)), fmtTime(p.Started, loc), human(slack))))
		case !hi.IsZero() && e.Time.After(hi):
			out = append(out, errorf(p.Path, e.Pos, "timeline-range",
				fmt.Sprintf("timeline entry at %s is %s after resolved (%s); fix the entry's date, or move resolved: later (allowed slack: %s, timeline_slack in hindsight.yaml)",
					when(e, loc), human(e.Time.Sub(p.Resolved)), fmtTime(p.Resolved, loc), human(slack))))
		}
	}
	return out
}

// human formats a duration as days or hours.
func human(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d/time.Hour))
	}
	return fmt.Sprintf("%d minutes", int(d/time.Minute))
}
