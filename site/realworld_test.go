package site

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// realWorldKB is a knowledge base of postmortems shaped like the ones teams
// write and import from other templates (timelines split by day, tables
// under a date line, footnotes, alerts, TOML and JSON front matter, times
// in local zones or approximate). docs/writing-formats.md says which
// timeline formats hindsight places in time.
const realWorldKB = "testdata/realworld"

// realWorldGolden holds the diagnostics of `hindsight check` on realWorldKB,
// one per line: today's behaviour, gaps included.
const realWorldGolden = "testdata/realworld.check.golden"

// realWorldTimeline holds where each timeline entry of realWorldKB was
// placed (in UTC), so that a time read wrongly without a diagnostic
// ("08:00 PST" as 08:00 UTC, "9:05 PM" as 09:05) shows too.
const realWorldTimeline = "testdata/realworld.timeline.golden"

// timelineEntry names one postmortem of realWorldKB (its path under
// content/postmortems/) and, optionally, one line of it by a piece of its
// text; an empty text means the whole file. at, when set, is where that
// line's entry must be placed (RFC 3339, UTC). pending, when set, skips a
// mustReject entry that is not refused yet, saying why.
type timelineEntry struct {
	file, text, at, pending string
}

func (e timelineEntry) String() string {
	if e.text == "" {
		return e.file
	}
	return fmt.Sprintf("%s (%q)", e.file, e.text)
}

// mustAccept are the timelines written in formats the issue "Real
// postmortems, as people actually write them" asks hindsight to read: none
// may get a timeline-time or timeline-order error, and the entries with an
// at must be placed there.
var mustAccept = []timelineEntry{
	{file: "2015/2015-10-21-lyrics-search-overload.md"},      // **2015-10-21** (all times UTC) above a table of times
	{file: "2020/2020-02-21-object-store-outage.md"},         // ### 2020-02-21 per day
	{file: "2020/2020-02-21-feb-headings.md"},                // ### Feb 20, 2020 per day, "23:40 UTC — …"
	{file: "2020/2020-03-05-vpn-concentrator-saturation.md"}, // ### Mar 16, 2020 per day
	{file: "2021/2021-06-08-cdn-config-bug.md"},              // - **09:47 UTC:** text
	{file: "2021/2021-10-04-bgp-withdrawal.md"},              // - 15:39 UTC: text
	{file: "2022/2022-06-21-network-change-en-dash.md"},      // - 03:56 UTC – text
	{file: "2021/2021-12-10-log4j-exposure.md"},              // | 2021-12-09   18:00 | and a date-only row
	{file: "2021/2021-12-12-maintenance-range.md"},           // 09:00-10:00 and 10:00–11:00 ranges
	{file: "2022/2022-03-14-approximate-times.md"},           // ~17:00, approx. 21:00, 21:4?
	{file: "2023/2023-05-09-lab-power-cut.md"},               // 10:45~, 14:??
	{file: "2023/2023-11-02-pst-times.md"},                   // 6:10 PM PDT (12-hour clock with a zone)
	{file: "2023/2023-01-17-pst-zone.md"},                    // 2023-01-17 08:00 PST
	{file: "2024/2024-04-18-offset-times.md"},                // +02:00, 09:40+02:00, +0200
	{file: "2021/2021-03-04-iso-timestamps.md"},              // 2021-03-04T10:11:00Z, fractions, +00:00
	{file: "2022/2022-09-13-links-and-code.md"},              // links, code spans, bold, &
	{file: "2023/2023-02-06-two-lists.md"},                   // two lists under captions
	{file: "2023/2023-06-20-list-and-table.md"},              // a list, then a table
	{file: "2024/2024-02-29-footnotes.md"},                   // footnote references in entries
	{file: "2024/2024-05-15-github-alerts.md"},               // > [!NOTE] alerts around the list
	{file: "2024/2024-07-09-nested-lists.md"},                // nested lists under entries
	{file: "2025/2025-01-22-html-comments-template.md"},      // template HTML comments in the section
	{file: "2025/2025-03-03-images.md"},                      // images and a centred table
	{file: "2024/2024-10-02-ransomware-tabletop.md"},         // drill: times only, date from started
	{file: "2025/2025-09-01-draft-in-progress.md"},           // draft with 14:??
	{file: "2023/2023-04-11-toml-k8s-dns.md"},                // TOML; padded table of times
	{file: "2022/2022-11-28-toml-registry.md"},               // TOML; **2022-11-28 06:10** then **06:55**
	{file: "2024/2024-06-04-toml-phishing.md"},               // TOML; 08:12 +02:00 without a date
	{file: "2023/2023-09-19-json-frontmatter.md"},            // JSON; right-aligned time column
	{file: "2023/2023-08-15-crates-style.md"},                // ### 2023-08-15 and **10:00** text
	{file: "2022/2022-01-11-npm-style.md"},                   // 19:12 UTC - text
	{file: "1628/1628-08-10-warship-capsized.md", text: "~16:00"},
	{file: "1628/1628-08-10-warship-capsized.md", text: "~16:20"},
	{file: "1628/1628-08-10-warship-capsized.md", text: "17:00 — Survivors"},
	// Placed where the writer meant, not merely without an error.
	{file: "2015/2015-10-21-lyrics-search-overload.md", text: "| 14:51 |", at: "2015-10-21T14:51:00Z"},
	{file: "2020/2020-02-21-feb-headings.md", text: "00:35 UTC", at: "2020-02-21T00:35:00Z"},
	{file: "2021/2021-12-10-log4j-exposure.md", text: "| 2021-12-10         |", at: "2021-12-10T00:00:00Z"},
	{file: "2021/2021-12-12-maintenance-range.md", text: "09:00-10:00", at: "2021-12-12T09:00:00Z"},
	{file: "2022/2022-03-14-approximate-times.md", text: "approx. 21:00", at: "2022-03-14T21:00:00Z"},
	{file: "2023/2023-01-17-pst-zone.md", text: "08:00 PST", at: "2023-01-17T16:00:00Z"},
	{file: "2023/2023-11-02-pst-times.md", text: "6:10 PM PDT", at: "2023-11-03T01:10:00Z"},
	{file: "2023/2023-11-02-pst-times.md", text: "9:05 PM PDT", at: "2023-11-03T04:05:00Z"},
	{file: "2024/2024-04-18-offset-times.md", text: "+0200", at: "2024-04-18T09:10:00Z"},
	{file: "2024/2024-06-04-toml-phishing.md", text: "08:12 +02:00", at: "2024-06-04T06:12:00Z"},
	{file: "2023/2023-08-15-crates-style.md", text: "**09:00**", at: "2023-08-16T09:00:00Z"},
}

// shouldAccept are real formats beyond the list that
// docs/writing-formats.md also describes as readable (midnight roll-over,
// weekday dates, slashed dates, a date column). They are reported, never
// failed.
var shouldAccept = []timelineEntry{
	{file: "2017/2017-02-01-replica-directory-removed.md"}, // 1. 2017/02/01 17:20 UTC:, 23:00-ish
	{file: "1996/1996-09-14-open-mail-relay.md"},           // Fri 13 Sep 1996 22:00
	{file: "2019/2019-11-19-human-error-mechanisms.md"},    // 21:10 PST then 01:54 PST (next day)
	{file: "2024/2024-08-27-twelve-hour-clock.md"},         // 11:55 PM then 12:05 AM (next day)
	{file: "2021/2021-09-30-date-time-columns.md"},         // | Date | Time (UTC) | Event |
	{file: "2024/2024-11-19-long-day-headings.md"},         // ### Monday 25 November 2024
	{file: "2019/2019-07-02-waf-regex-cpu.md"},             // | :--- | table, times only
	{file: "2017/2017-02-01-replica-directory-removed.md", text: "~21:00", at: "2017-02-01T21:00:00Z"},
	{file: "2019/2019-11-19-human-error-mechanisms.md", text: "17:37 PST", at: "2019-11-20T01:37:00Z"},
	{file: "2019/2019-11-19-human-error-mechanisms.md", text: "01:54 PST", at: "2019-11-20T09:54:00Z"},
	{file: "2024/2024-08-27-twelve-hour-clock.md", text: "12:05 AM", at: "2024-08-29T00:05:00Z"},
	{file: "1628/1628-08-10-warship-capsized.md", text: "Inquiry held", at: "1628-09-05T00:00:00Z"},
	{file: "2024/2024-03-12-ist-times.md", text: "Europe/Berlin", at: "2024-03-12T14:00:00Z"},
	{file: "2022/2022-05-17-at-6pm-prose.md"},        // At 6pm UTC, …; At 11:27pm UTC, …; on the 18th
	{file: "2023/2023-10-03-scribe-log-table.md"},    // | 14:22:15 | SYSTEM | … | (time, actor, event)
	{file: "2021/2021-08-19-pasted-log-timeline.md"}, // the router's log in a code block: no entries
	{file: "2022/2022-05-17-at-6pm-prose.md", text: "At 6pm UTC", at: "2022-05-17T18:00:00Z"},
	{file: "2022/2022-05-17-at-6pm-prose.md", text: "2:10am", at: "2022-05-18T02:10:00Z"},
}

// mustReject are template leftovers, typos and ambiguous zones: each must
// stay a timeline-time error.
var mustReject = []timelineEntry{
	{file: "2025/2025-10-20-draft-template-leftovers.md", text: "- HH:mm"},
	{file: "2025/2025-10-20-draft-template-leftovers.md", text: "- --:--"},
	{file: "2025/2025-10-20-draft-template-leftovers.md", text: "- YYYY-MM-DD HH:MM"},
	{file: "2025/2025-02-14-template-leftovers-published.md", text: "| HH:mm"},
	{file: "2025/2025-02-14-template-leftovers-published.md", text: "| --:--"},
	{file: "2025/2025-11-05-year-typo.md", text: "20205-11-05"},
	// An ambiguous zone (India, Ireland or Israel) must not be read as UTC.
	{file: "2024/2024-03-12-ist-times.md", text: "18:30 IST"},
}

// refused are the files of realWorldKB that check must refuse, and why:
// nothing else of the KB may get an error (the issue's "passes check except
// for entries that are truly unplaceable").
var refused = map[string]string{
	"2025/2025-10-20-draft-template-leftovers.md":     "a draft still holding the template's HH:mm, --:-- and TBD",
	"2025/2025-02-14-template-leftovers-published.md": "a published postmortem with the template's HH:mm and --:--",
	"2025/2025-09-01-draft-in-progress.md":            "a draft whose sections are still TBD or TODO (its 14:?? is read)",
	"2025/2025-11-05-year-typo.md":                    "the year 20205",
	"2024/2024-03-12-ist-times.md":                    "IST: India, Ireland or Israel; the writer must give the offset",
	"1628/1628-08-10-warship-capsized.md":             "an inquiry 25 days after resolved, past timeline_slack (timeline-range)",
}

// TestRealWorldBuilds builds realWorldKB without the refused files, as
// `hindsight build` would (check first, every page, the search export and
// the trends): no error, and every other postmortem gets its page.
func TestRealWorldBuilds(t *testing.T) {
	root := t.TempDir()
	err := filepath.WalkDir(realWorldKB, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(realWorldKB, p)
		if _, ok := refused[strings.TrimPrefix(filepath.ToSlash(rel), "content/postmortems/")]; ok {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	s, out := build(t, root, Options{Drafts: true})
	for _, d := range s.Diagnostics {
		if d.Severity == diag.Error {
			t.Errorf("%s", d)
		}
	}
	for _, p := range s.Postmortems {
		if _, err := os.Stat(filepath.Join(out, "postmortems", strings.ToLower(p.ID), "index.html")); err != nil {
			t.Errorf("%s: no page: %v", p.Path, err)
		}
	}
}

// TestRealWorld checks realWorldKB as `hindsight check` does and compares
// the diagnostics with realWorldGolden and the placed timeline entries with
// realWorldTimeline (go test ./site/ -run RealWorld -update rewrites both);
// then it asserts mustAccept and mustReject and reports shouldAccept.
func TestRealWorld(t *testing.T) {
	k, ds := checkRealWorld(t)

	t.Run("golden", func(t *testing.T) {
		var got bytes.Buffer
		for _, d := range ds {
			fmt.Fprintln(&got, d.String())
		}
		compareGolden(t, realWorldGolden, got.Bytes())
	})

	t.Run("timeline", func(t *testing.T) {
		var got bytes.Buffer
		for _, p := range k.Postmortems {
			for _, e := range p.Body.Timeline {
				at := "not placed"
				if e.OK {
					at = e.Time.UTC().Format(time.RFC3339)
				}
				fmt.Fprintf(&got, "%s:%d: %q → %s\n", p.Path, e.Pos.Line, e.TimeText, at)
			}
		}
		compareGolden(t, realWorldTimeline, got.Bytes())
	})

	t.Run("mustAccept", func(t *testing.T) {
		var failed []string
		for _, e := range mustAccept {
			if bad := timelineErrors(t, k, ds, e); len(bad) > 0 {
				failed = append(failed, fmt.Sprintf("%s:\n\t%s", e, strings.Join(bad, "\n\t")))
			}
		}
		if len(failed) > 0 {
			t.Errorf("%d of %d entries get timeline errors or are placed wrongly (docs/writing-formats.md says how they are read):\n%s", len(failed), len(mustAccept), strings.Join(failed, "\n"))
		}
	})

	t.Run("shouldAccept", func(t *testing.T) {
		for _, e := range shouldAccept {
			if bad := timelineErrors(t, k, ds, e); len(bad) > 0 {
				t.Logf("not read yet: %s:\n\t%s", e, strings.Join(bad, "\n\t"))
			}
		}
	})

	t.Run("onlyRefusedFail", func(t *testing.T) {
		for _, d := range ds {
			if d.Severity != diag.Error {
				continue
			}
			if _, ok := refused[strings.TrimPrefix(d.File, "content/postmortems/")]; !ok {
				t.Errorf("%s: an error in a file that is not in refused", d)
			}
		}
		for f := range refused {
			found := false
			for _, d := range ds {
				found = found || d.File == realWorldPath(f) && d.Severity == diag.Error
			}
			if !found {
				t.Errorf("%s is in refused (%s) but gets no error", f, refused[f])
			}
		}
	})

	t.Run("mustReject", func(t *testing.T) {
		for _, e := range mustReject {
			t.Run(e.String(), func(t *testing.T) {
				line := entryLine(t, e)
				for _, d := range ds {
					if d.File == realWorldPath(e.file) && d.Pos.Line == line && d.Rule == "timeline-time" && d.Severity == diag.Error {
						return
					}
				}
				if e.pending != "" {
					t.Skipf("line %d is not refused yet: %s", line, e.pending)
				}
				t.Errorf("line %d: no timeline-time error; a template leftover, an impossible date or an ambiguous zone must be refused", line)
			})
		}
	})
}

// compareGolden compares got with the golden file path, or rewrites it
// with -update.
func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./site/ -run RealWorld -update)", err)
	}
	if d := lineDiff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (- want, + got); run go test ./site/ -run RealWorld -update if the change is intended:\n%s", path, d)
	}
}

// checkRealWorld loads realWorldKB with its config and runs every check, as
// `hindsight check` does, with the tests' fixed clock; it returns the KB
// (postmortems sorted by path) and the diagnostics.
func checkRealWorld(t *testing.T) (*kb.KB, []diag.Diagnostic) {
	t.Helper()
	cfg, cfgDiags, err := config.Load(realWorldKB)
	if err != nil {
		t.Fatal(err)
	}
	k, err := kb.Load(realWorldKB, cfg, kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(k.Postmortems); n < 40 {
		t.Fatalf("%s has %d postmortems, want at least 40", realWorldKB, n)
	}
	ds := append(cfgDiags, check.Run(k, check.Options{Now: testNow, Workers: 1})...)
	diag.Sort(ds)
	sort.Slice(k.Postmortems, func(i, j int) bool { return k.Postmortems[i].Path < k.Postmortems[j].Path })
	return k, ds
}

// realWorldPath is the KB-relative path of a postmortem of realWorldKB.
func realWorldPath(file string) string { return "content/postmortems/" + file }

// entryLine returns the 1-based line of e.text in e.file (0 for the whole
// file); the text must be on exactly one line.
func entryLine(t *testing.T, e timelineEntry) int {
	t.Helper()
	if e.text == "" {
		return 0
	}
	b, err := os.ReadFile(filepath.Join(realWorldKB, filepath.FromSlash(realWorldPath(e.file))))
	if err != nil {
		t.Fatal(err)
	}
	line := 0
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, e.text) {
			if line != 0 {
				t.Fatalf("%s: the text is on lines %d and %d; make it unique", e, line, i+1)
			}
			line = i + 1
		}
	}
	if line == 0 {
		t.Fatalf("%s: no line has this text", e)
	}
	return line
}

// timelineErrors returns the timeline-time and timeline-order diagnostics
// of e (its file, or its line), and says so when its entry is not placed at
// e.at.
func timelineErrors(t *testing.T, k *kb.KB, ds []diag.Diagnostic, e timelineEntry) []string {
	t.Helper()
	line := entryLine(t, e)
	path := realWorldPath(e.file)
	var bad []string
	for _, d := range ds {
		if d.File != path || (d.Rule != "timeline-time" && d.Rule != "timeline-order") {
			continue
		}
		if line == 0 || d.Pos.Line == line {
			bad = append(bad, d.String())
		}
	}
	if e.at == "" {
		return bad
	}
	placed := "no timeline entry"
	for _, p := range k.Postmortems {
		if p.Path != path {
			continue
		}
		for _, te := range p.Body.Timeline {
			if te.Pos.Line == line {
				placed = "not placed"
				if te.OK {
					placed = te.Time.UTC().Format(time.RFC3339)
				}
			}
		}
	}
	if placed != e.at {
		bad = append(bad, fmt.Sprintf("%s:%d: placed: got %s, want %s", path, line, placed, e.at))
	}
	return bad
}

// lineDiff returns the lines only in want ("- ") and only in got ("+ "),
// in order; "" when they hold the same lines.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range linesNotIn(w, g) {
		fmt.Fprintf(&b, "- %s\n", l)
	}
	for _, l := range linesNotIn(g, w) {
		fmt.Fprintf(&b, "+ %s\n", l)
	}
	return b.String()
}

// linesNotIn returns the lines of a that b does not hold (as many times).
func linesNotIn(a, b []string) []string {
	n := map[string]int{}
	for _, l := range b {
		n[l]++
	}
	var out []string
	for _, l := range a {
		if n[l] > 0 {
			n[l]--
			continue
		}
		out = append(out, l)
	}
	return out
}
