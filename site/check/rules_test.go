package check_test

import (
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

// base is a postmortem with no problems; cases edit its lines. Line
// numbers are in the comments of the test cases.
const base = `---
title: Edge certificate expired
severity: SEV2
status: published
category: outage
started: 2025-03-14T09:00:00Z
detected: 2025-03-14T09:12:00Z
resolved: 2025-03-14T11:00:00Z
root_causes: [expired-certificate]
systems: [edge-proxy]
authors: ["@alice"]
actions:
  - title: Monitor expiry
    owner: team-edge
    priority: P1
    due: 2025-04-01
    status: done
    done_on: 2025-03-30
---

## Summary

The certificate expired.

## Timeline

- 2025-03-14 09:00 UTC — Certificate expired
- 09:12 — Alert fired
- 11:00 — Rotated

## Root Cause Analysis

Renewal was manual.

## Impact Assessment

Logins failed for two hours.

## Corrective Actions

Monitor expiry.

## Communication

Status page updated.
`

// edit replaces old by new in base (old must occur).
func edit(t testing.TB, src, old, new string) string {
	t.Helper()
	if !strings.Contains(src, old) {
		t.Fatalf("edit: %q not in source", old)
	}
	return strings.Replace(src, old, new, 1)
}

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// runKB writes files (paths relative to the KB root; "hindsight.yaml" is
// the config) into a temporary KB and checks it.
func runKB(t testing.TB, files map[string]string, opts check.Options) []diag.Diagnostic {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "content", "postmortems"), 0o755); err != nil {
		t.Fatal(err)
	}
	return load(t, root, opts)
}

func load(t testing.TB, root string, opts check.Options) []diag.Diagnostic {
	t.Helper()
	cfg, ds, err := config.Load(root)
	if err != nil || len(ds) > 0 {
		t.Fatalf("config: %v %v", err, ds)
	}
	k, err := kb.Load(root, cfg, kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if opts.Now.IsZero() {
		opts.Now = now
	}
	return check.Run(k, opts)
}

const pmA = "content/postmortems/2025/a.md"

func where(ds []diag.Diagnostic, rule string) []string {
	var out []string
	for _, d := range ds {
		if d.Rule == rule {
			out = append(out, d.Where())
		}
	}
	sort.Strings(out)
	return out
}

type ruleCase struct {
	name  string
	files map[string]string
	opts  check.Options
	rule  string
	// want lists "file:line:col" of the rule's diagnostics; nil means
	// none.
	want []string
	// msg, when set, must occur in the first diagnostic of the rule.
	msg string
	// sev, when set, is the expected severity of every such diagnostic.
	sev diag.Severity
}

func one(src string) map[string]string { return map[string]string{pmA: src} }

func at(pos ...string) []string {
	out := make([]string, len(pos))
	for i, p := range pos {
		out[i] = pmA + ":" + p
	}
	return out
}

func ruleCases(t testing.TB) []ruleCase {
	e := func(old, new string) string { return edit(t, base, old, new) }
	return []ruleCase{
		// frontmatter-syntax
		{name: "no front matter", files: one("# Just a heading\n"), rule: "frontmatter-syntax", want: at("1:1")},
		{name: "unclosed front matter", files: one("\n---\ntitle: x\n"), rule: "frontmatter-syntax", want: at("2:1"), msg: "never closed"},
		{name: "bad yaml line in file", files: one(e("severity: SEV2", "severity: [SEV2")), rule: "frontmatter-syntax", want: at("3:1")},
		{name: "bad yaml key line", files: one(e("status: published", "status: published\n  bad: indent")), rule: "frontmatter-syntax", want: at("5:1")},
		{name: "front matter ok", files: one(base), rule: "frontmatter-syntax"},
		{name: "toml string never closed", files: one("+++\ntitle = \"Edge cert\nseverity = \"SEV2\"\n+++\n"), rule: "frontmatter-syntax", want: at("2:9"),
			msg: `front matter is not valid TOML: the string opened here is never closed; add the closing "`},
		// missing-field
		{name: "severity missing", files: one(e("severity: SEV2\n", "")), rule: "missing-field", want: at("1:1"), msg: `"severity"`},
		{name: "authors empty", files: one(e(`authors: ["@alice"]`, "authors: []")), rule: "missing-field", want: at("11:10")},
		{name: "title empty", files: one(e("title: Edge certificate expired", `title: ""`)), rule: "missing-field", want: at("2:8")},
		{name: "published needs resolved", files: one(e("resolved: 2025-03-14T11:00:00Z\n", "")), rule: "missing-field", want: at("1:1"), msg: "resolved"},
		{name: "draft needs no resolved nor actions", files: one(edit(t, e("status: published", "status: draft"), "resolved: 2025-03-14T11:00:00Z\n", "")), rule: "missing-field"},
		{name: "wrong type is not missing", files: one(e("started: 2025-03-14T09:00:00Z", "started: [1]")), rule: "missing-field"},
		// invalid-value
		{name: "severity not in enum", files: one(e("severity: SEV2", "severity: SEV9")), rule: "invalid-value", want: at("3:11")},
		{name: "severity case", files: one(e("severity: SEV2", "severity: sev2")), rule: "invalid-value", want: at("3:11"), msg: `did you mean "SEV2"`},
		{name: "status", files: one(e("status: published", "status: publshed")), rule: "invalid-value", want: at("4:9"), msg: `"published"`},
		{name: "technique", files: one(e("authors:", "attack_techniques: [T1566.001, t1566]\nauthors:")), rule: "invalid-value", want: at("11:32"), msg: `"T1566"`},
		{name: "slug", files: one(e("systems: [edge-proxy]", "systems: [Edge Proxy]")), rule: "invalid-value", want: at("10:11"), msg: `"edge-proxy"`},
		{name: "priority", files: one(e("priority: P1", "priority: P7")), rule: "invalid-value", want: at("15:15")},
		{name: "wrong type", files: one(e("started: 2025-03-14T09:00:00Z", "started: [1]")), rule: "invalid-value", want: at("6:10")},
		{name: "valid values", files: one(base), rule: "invalid-value"},
		// unknown-field
		{name: "unknown key", files: one(e("authors:", "root_cause: x\nauthors:")), rule: "unknown-field", want: at("11:1"), msg: `"root_causes"`},
		{name: "known keys", files: one(base), rule: "unknown-field"},
		// date-order
		{name: "detected before started", files: one(e("detected: 2025-03-14T09:12:00Z", "detected: 2025-03-14T08:12:00Z")), rule: "date-order", want: at("7:11")},
		{name: "dates in order", files: one(base), rule: "date-order"},
		// duplicate-id
		{name: "duplicate id", files: map[string]string{pmA: base, "content/postmortems/2025/b.md": e("title:", "id: A\ntitle:")},
			rule: "duplicate-id", want: []string{"content/postmortems/2025/b.md:2:5"}, msg: pmA},
		{name: "distinct ids", files: map[string]string{pmA: base, "content/postmortems/2025/b.md": base}, rule: "duplicate-id"},
		// unknown-related
		{name: "unknown related", files: one(e("authors:", "related: [b, nope]\nauthors:")), rule: "unknown-related", want: at("11:11", "11:14")},
		{name: "related exists", files: map[string]string{pmA: e("authors:", "related: [b]\nauthors:"), "content/postmortems/2024/b.md": base}, rule: "unknown-related"},
		{name: "related exists outside selection", files: map[string]string{pmA: e("authors:", "related: [b]\nauthors:"), "content/postmortems/2024/b.md": base},
			opts: check.Options{Only: func(p string) bool { return p == pmA }}, rule: "unknown-related"},
		// missing-section
		{name: "missing section", files: one(e("## Communication\n\nStatus page updated.\n", "")), rule: "missing-section", want: at("20:1"), msg: "## Communication"},
		{name: "alias accepted", files: one(e("## Impact Assessment", "## Impact")), rule: "missing-section"},
		{name: "a note in parentheses after the name", files: one(e("## Impact Assessment", "## Impact (customer-facing)")), rule: "missing-section"},
		// empty-section
		{name: "placeholder section", files: one(e("The certificate expired.", "TBD")), rule: "empty-section", want: at("21:4")},
		{name: "empty section", files: one(e("Status page updated.\n", "")), rule: "empty-section", want: at("43:4")},
		{name: "todo with hint", files: one(e("Renewal was manual.", "TODO: ask the edge team")), rule: "empty-section", want: at("31:4")},
		{name: "n/a with reason is content", files: one(e("Logins failed for two hours.", "N/A — no customer was affected.")), rule: "empty-section"},
		// duplicate-section
		{name: "duplicate section", files: one(base + "\n## Timeline\n\nMore.\n"), rule: "duplicate-section", want: at("47:4")},
		{name: "no duplicate", files: one(base), rule: "duplicate-section"},
		// timeline-time
		{name: "entry without time", files: one(e("- 11:00 — Rotated", "- later — Rotated")), rule: "timeline-time", want: at("29:3")},
		{name: "bad clock", files: one(e("- 11:00 — Rotated", "- 25:61 — Rotated")), rule: "timeline-time", want: at("29:3"), msg: "is not a time"},
		{name: "times fine", files: one(base), rule: "timeline-time"},
		// timeline-order
		{name: "going backwards", files: one(e("- 11:00 — Rotated", "- 08:00 — Rotated")), rule: "timeline-order", want: at("29:3")},
		{name: "in order", files: one(base), rule: "timeline-order"},
		// timeline-range
		{name: "far before started", files: one(e("- 2025-03-14 09:00 UTC", "- 2025-01-01 09:00 UTC")), rule: "timeline-range", want: at("27:3", "28:3", "29:3")},
		{name: "within slack", files: one(e("- 2025-03-14 09:00 UTC", "- 2025-03-12 09:00 UTC")), rule: "timeline-range"},
		// action-incomplete
		{name: "no owner", files: one(e("    owner: team-edge\n", "")), rule: "action-incomplete", want: at("13:5"), msg: "owner"},
		{name: "bad status", files: one(e("status: done", "status: finished")), rule: "action-incomplete", want: at("17:13")},
		{name: "done without done_on is fine", files: one(e("    done_on: 2025-03-30\n", "")), rule: "action-incomplete"},
		// action-overdue
		{name: "overdue", files: one(e("status: done", "status: open")), rule: "action-overdue", want: at("16:10"), sev: diag.Warning},
		{name: "overdue strict", files: one(e("status: done", "status: in-progress")), opts: check.Options{Strict: true}, rule: "action-overdue", want: at("16:10"), sev: diag.Error},
		{name: "overdue re-levelled", files: map[string]string{pmA: e("status: done", "status: open"), "hindsight.yaml": "rules: {action-overdue: error}\n"},
			rule: "action-overdue", want: at("16:10"), sev: diag.Error},
		{name: "not yet due", files: one(e("status: done", "status: open")), opts: check.Options{Now: time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC)}, rule: "action-overdue"},
		// unknown-cause / unknown-system
		{name: "unknown cause", files: map[string]string{pmA: e("[expired-certificate]", "[expired-cert]"), "hindsight.yaml": "causes: [expired-certificate, weak-password]\n"},
			rule: "unknown-cause", want: at("9:15"), msg: `"expired-certificate"`},
		{name: "no vocabulary", files: one(e("[expired-certificate]", "[expired-cert]")), rule: "unknown-cause"},
		{name: "unknown system", files: map[string]string{pmA: base, "hindsight.yaml": "systems: [{slug: edge, title: Edge}]\n"}, rule: "unknown-system", want: at("10:11")},
		{name: "known system", files: map[string]string{pmA: base, "hindsight.yaml": "systems: [edge-proxy]\n"}, rule: "unknown-system"},
		// broken-link
		{name: "broken link", files: map[string]string{pmA: e("Renewal was manual.", "See [the old one](../2024/old-cert.md)."), "content/postmortems/2024/old-certs.md": base},
			rule: "broken-link", want: at("33:5"), msg: `"../2024/old-certs.md"`},
		{name: "broken image", files: one(e("Renewal was manual.", "![graph](img/graph.png)")), rule: "broken-link", want: at("33:1")},
		{name: "good links", files: map[string]string{pmA: e("Renewal was manual.", "[a](../2024/b.md) [b](https://x.example/) [c](mailto:a@b.c) [d](#timeline) [e](img/x.png) [f](../../about.md)"),
			"content/postmortems/2024/b.md": base, "content/postmortems/2025/img/x.png": "png", "content/about.md": "# About\n"}, rule: "broken-link"},
		// unsafe-attachment (more in TestSecurityUnsafeAttachment)
		{name: "svg attachment", files: map[string]string{pmA: base, "content/diagram.svg": "<svg/>"}, rule: "unsafe-attachment", want: []string{"content/diagram.svg"}, msg: "PNG"},
		{name: "png attachment", files: map[string]string{pmA: base, "content/diagram.png": "\x89PNG\x00"}, rule: "unsafe-attachment"},
		// secret
		{name: "aws key in code", files: one(e("Renewal was manual.", "```\nlog: key=AKIAZ3MSJV4WWNKWW5FG rest\n```")), rule: "secret", want: at("34:10")},
		{name: "aws key in front matter", files: one(e("title: Edge certificate expired", "title: AKIAZ3MSJV4WWNKWW5FG")), rule: "secret", want: at("2:8")},
		{name: "private key", files: one(e("Renewal was manual.", "    -----BEGIN RSA PRIVATE KEY-----\n    MIIEowIBAAKCAQEA7bq1jTNfQ2d2xZ8q9fK3mN4pL6sR8tU1vW3yX5zA7bC9dE\n    -----END RSA PRIVATE KEY-----")), rule: "secret", want: at("33:5")},
		{name: "github token", files: one(e("Renewal was manual.", "token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5 leaked")), rule: "secret", want: at("33:7")},
		{name: "password in url", files: one(e("Renewal was manual.", "`postgres://app:S3cr3tPassw0rd@db.internal:5432/app`")), rule: "secret", want: at("33:17")},
		{name: "generic assignment", files: one(e("Renewal was manual.", "```\nDB_PASSWORD=\"hX9kq2LmP4vR7tWz\"\n```")), rule: "secret", want: at("34:14")},
		{name: "slack webhook", files: one(e("Renewal was manual.", "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnop12345678")), rule: "secret", want: at("33:1")},
		{name: "redacted", files: one(e("Renewal was manual.", "AKIAIOSFODNN7EXAMPLE, AKIA****************, postgres://app:****@db, password=REDACTED, `-----BEGIN PRIVATE KEY-----` [redacted]\n\nThe password was rotated; api_key: <your-key-here>; token: abc")),
			rule: "secret"},
		{name: "suppressed secret", files: one(e("Renewal was manual.", "<!-- hindsight-ignore secret -->\n```\nAKIAZ3MSJV4WWNKWW5FG\n```")), rule: "secret"},
		// blame-language
		{name: "blame", files: one(e("Renewal was manual.", "Renewal was manual and it was\nhuman error.")), rule: "blame-language", want: at("34:1"), sev: diag.Warning},
		{name: "blame mid-line", files: one(e("Renewal was manual.", "Bob was careless.")), rule: "blame-language", want: at("33:9")},
		{name: "blame over a line break", files: one(e("Renewal was manual.", "Renewal was manual; we should\nhave known.")), rule: "blame-language", want: at("33:24"), sev: diag.Warning},
		{name: "blame in code is fine", files: one(e("Renewal was manual.", "```\nhuman error\n```\n`careless`")), rule: "blame-language"},
		{name: "blame suppressed", files: one(e("Renewal was manual.", "<!-- hindsight-ignore blame-language -->\nIt was human error.")), rule: "blame-language"},
		{name: "blame switched off", files: map[string]string{pmA: e("Renewal was manual.", "It was human error."), "hindsight.yaml": "rules: {blame-language: off}\n"}, rule: "blame-language"},
		{name: "blameless words", files: one(e("Renewal was manual.", "A default fault-tolerant path; blameless review.")), rule: "blame-language"},
		// more positions and forms
		{name: "inline suppression", files: one(e("Renewal was manual.", "It was human error <!-- hindsight-ignore blame-language --> they said.\n\nBob was careless.")), rule: "blame-language", want: at("35:9")},
		{name: "suppress all rules", files: one(e("Renewal was manual.", "<!-- hindsight-ignore -->\nIt was human error, AKIAZ3MSJV4WWNKWW5FG.")), rule: "secret"},
		{name: "toml front matter", files: one("+++\ntitle = \"Edge\"\nseverity = \"SEV0\"\nstatus = \"draft\"\ncategory = \"outage\"\nstarted = 2025-03-14T09:00:00Z\ndetected = \"2025-03-14 09:12\"\nroot_causes = [\"a\"]\nsystems = [\"b\"]\nauthors = [\"c\"]\n+++\n"), rule: "invalid-value", want: at("3:12")},
		{name: "json front matter", files: one("{\n  \"title\": \"Edge\",\n  \"severity\": \"SEV0\",\n  \"status\": \"draft\",\n  \"category\": \"outage\",\n  \"started\": \"2025-03-14T09:00:00Z\",\n  \"detected\": \"2025-03-14 09:12\",\n  \"root_causes\": [\"a\"], \"systems\": [\"b\"], \"authors\": [\"c\"]\n}\n"), rule: "invalid-value", want: at("3:15")},
		{name: "contained before detected", files: one(e("resolved:", "contained: 2025-03-14T09:05:00Z\nresolved:")), rule: "date-order", want: at("8:12"), msg: "detected"},
		{name: "times alone take started's date", files: one(e("- 2025-03-14 09:00 UTC — Certificate expired", "- 09:00 — Certificate expired")), rule: "timeline-time"},
		// file-complexity
		{name: "quotes nested too deep", files: one(e("## Summary\n", strings.Repeat("> ", 40)+"x\n\n## Summary\n")), rule: "file-complexity", want: at("21:1"), msg: "block quotes deep"},
		{name: "body simple enough", files: one(base), rule: "file-complexity"},
		// file-encoding / file-size
		{name: "not utf-8", files: one("---\ntitle: caf\xe9\n"), rule: "file-encoding", want: at("2:11")},
		{name: "too large", files: map[string]string{pmA: base, "hindsight.yaml": "max_file_size: 100B\n"}, rule: "file-size", want: []string{pmA}},
	}
}

func TestRules(t *testing.T) {
	for _, tc := range ruleCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			ds := runKB(t, tc.files, tc.opts)
			got := where(ds, tc.rule)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("%s at %v, want %v\nall: %v", tc.rule, got, tc.want, ds)
			}
			for _, d := range ds {
				if d.Rule != tc.rule {
					continue
				}
				if tc.msg != "" && !strings.Contains(d.Message, tc.msg) {
					t.Errorf("message %q lacks %q", d.Message, tc.msg)
				}
				if tc.sev != diag.Off && d.Severity != tc.sev {
					t.Errorf("severity %v, want %v", d.Severity, tc.sev)
				}
				if d.Message == "" || strings.HasSuffix(d.Message, ".") {
					t.Errorf("message should say how to fix, without a final period: %q", d.Message)
				}
			}
		})
	}
}

// TestEveryRuleHasACase keeps the table above complete.
func TestEveryRuleHasACase(t *testing.T) {
	have := map[string]int{}
	for _, tc := range ruleCases(t) {
		if len(tc.want) > 0 {
			have[tc.rule]++
		}
	}
	for _, id := range config.RuleIDs() {
		if have[id] == 0 && id != "file-unreadable" { // see TestBadInput
			t.Errorf("rule %s has no positive case", id)
		}
	}
	ids := map[string]bool{}
	for _, r := range check.Rules() {
		ids[r.ID] = true
	}
	for _, id := range config.RuleIDs() {
		if !ids[id] {
			t.Errorf("rule %s is missing from check.Rules()", id)
		}
	}
}

func TestBaseIsClean(t *testing.T) {
	if ds := runKB(t, one(base), check.Options{}); len(ds) > 0 {
		t.Fatalf("base has problems: %v", ds)
	}
}

// TestPages checks content pages get only the text rules.
func TestPages(t *testing.T) {
	ds := runKB(t, map[string]string{
		"content/about.md": "---\ntitle: About\n---\n\nIt was human error. See [x](missing.md).\n\n    AKIAZ3MSJV4WWNKWW5FG\n",
	}, check.Options{})
	var got []string
	for _, d := range ds {
		got = append(got, d.Where()+" "+d.Rule)
	}
	want := "content/about.md:5:25 broken-link content/about.md:7:5 secret"
	if strings.Join(got, " ") != want {
		t.Fatalf("got %v, want %s", got, want)
	}
}

// TestOnly checks that a selection reports only its files while
// cross-file rules still see every file.
func TestOnly(t *testing.T) {
	files := map[string]string{
		pmA:                             edit(t, base, "authors:", "related: [c]\nauthors:"),
		"content/postmortems/2024/b.md": edit(t, base, "title:", "id: a\ntitle:"),
		"content/postmortems/2024/c.md": "no front matter",
	}
	ds := runKB(t, files, check.Options{Only: func(p string) bool { return p == pmA }})
	if len(ds) != 1 || ds[0].Rule != "duplicate-id" || ds[0].File != pmA || !strings.Contains(ds[0].Message, "2024/b.md") {
		t.Fatalf("got %v", ds)
	}
}
