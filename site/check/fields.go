package check

import (
	"fmt"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Fixed enums of SPEC §2.
var (
	statuses       = []string{"draft", "in-review", "published"}
	visibilities   = []string{"internal", "public"}
	reputations    = []string{"low", "medium", "high"}
	actionStatuses = []string{"open", "in-progress", "done", "wont-do"}
)

// Statuses returns the statuses a postmortem may have, for the CLI's
// completion.
func Statuses() []string { return append([]string(nil), statuses...) }

// ActionStatuses returns the statuses a corrective action may have, for
// the CLI's flags and completion.
func ActionStatuses() []string { return append([]string(nil), actionStatuses...) }

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// missingField reports required keys that are absent or empty.
type missingField struct{}

func (missingField) ID() string { return "missing-field" }

func (missingField) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	if !frontMatterOK(p) {
		return nil
	}
	cfg := c.Config
	bad := invalidKeys(p)
	var out []diag.Diagnostic
	missing := func(key, hint string) {
		out = append(out, errorf(p.Path, p.FrontMatter, "missing-field",
			fmt.Sprintf("required key %q is missing from the front matter; add %s", key, hint)))
	}
	// The hint is hint or, when that is empty, "key: one of" the values
	// of list; it is made only for a report (most files miss nothing).
	str := func(key, val, hint string, list []string) {
		if bad[key] || (p.HasField(key) && val != "") {
			return
		}
		if hint == "" {
			hint = key + ": one of " + strings.Join(list, ", ")
		}
		if !p.HasField(key) {
			missing(key, hint)
			return
		}
		out = append(out, errorf(p.Path, p.PosOf(key), "missing-field",
			fmt.Sprintf("%s is empty; set %s", key, hint)))
	}
	list := func(key string, n int, hint string) {
		switch {
		case bad[key]:
		case !p.HasField(key):
			missing(key, hint)
		case n == 0:
			out = append(out, errorf(p.Path, p.PosOf(key), "missing-field",
				fmt.Sprintf("%s lists nothing; it needs at least one entry, e.g. %s", key, hint)))
		}
	}
	str("title", p.Title, `title: "What broke, in one line"`, nil)
	str("severity", p.Severity, "", cfg.Severities)
	str("status", p.Status, "", statuses)
	str("category", p.Category, "", cfg.Categories)
	dt := func(key string, when string) {
		if !bad[key] && !p.HasField(key) {
			missing(key, key+": "+when+` (RFC 3339 such as 2025-03-14T09:12:00Z, or "2025-03-14 09:12" in the config timezone)`)
		}
	}
	dt("started", "the first moment of the incident")
	dt("detected", "when it was noticed")
	if !p.IsDraft() {
		dt("resolved", "when it was over (required once status is not draft)")
	}
	list("root_causes", len(p.RootCauses), "root_causes: [expired-certificate]")
	list("systems", len(p.Systems), "systems: [login-api]")
	list("authors", len(p.Authors), `authors: ["@alice"]`)
	if !p.IsDraft() {
		list("actions", len(p.Actions), "actions: [{title: …, owner: …, priority: P1, due: 2025-04-30}] (required once status is not draft)")
	}
	return out
}

// invalidValue reports values outside their enum: severity, status,
// category, visibility, impact.reputation, action priorities.
type invalidValue struct{}

func (invalidValue) ID() string { return "invalid-value" }

func (invalidValue) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	if !frontMatterOK(p) {
		return nil
	}
	cfg := c.Config
	var out []diag.Diagnostic
	report := func(key, msg string) {
		out = append(out, errorf(p.Path, p.PosOf(key), "invalid-value", msg))
	}
	enum := func(key, val string, list []string, where string) {
		if val == "" || !p.HasField(key) || oneOf(val, list) {
			return
		}
		report(key, fmt.Sprintf("%s %q is not one of %s%s%s", key, val, strings.Join(list, ", "), diag.DidYouMean(val, list), where))
	}
	enum("severity", p.Severity, cfg.Severities, "; severities are set by severities: in hindsight.yaml")
	enum("status", p.Status, statuses, "")
	enum("category", p.Category, cfg.Categories, "; categories are set by categories: in hindsight.yaml")
	enum("visibility", p.Visibility, visibilities, "")
	enum("impact.reputation", p.Impact.Reputation, reputations, "")
	for i, a := range p.Actions {
		if a.Priority == "" || oneOf(a.Priority, cfg.Priorities) {
			continue // (what enum would find, without making the key)
		}
		enum(fmt.Sprintf("actions[%d].priority", i), a.Priority, cfg.Priorities, "; priorities are set by priorities: in hindsight.yaml")
	}
	// Ids, ATT&CK ids and taxonomy slugs are checked by the parser,
	// which drops a bad one whatever the rule settings (postmortem.IsID,
	// config.IsSlug): it reports them as invalid-value problems.
	for i, r := range p.Related {
		if r == "" {
			report(fmt.Sprintf("related[%d]", i), fmt.Sprintf("related: entry %d is empty; remove it or write a postmortem id", i+1))
		}
	}
	return out
}

// dateOrder reports started <= detected <= contained <= resolved broken.
type dateOrder struct{}

func (dateOrder) ID() string { return "date-order" }

func (dateOrder) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	if !frontMatterOK(p) {
		return nil
	}
	times := []struct {
		key string
		v   time.Time
	}{{"started", p.Started}, {"detected", p.Detected}, {"contained", p.Contained}, {"resolved", p.Resolved}}
	var out []diag.Diagnostic
	prev := -1
	for i, x := range times {
		if x.v.IsZero() || !p.HasField(x.key) {
			continue
		}
		if prev >= 0 && x.v.Before(times[prev].v) {
			pk := times[prev].key
			out = append(out, errorf(p.Path, p.PosOf(x.key), "date-order",
				fmt.Sprintf("%s (%s) is before %s (%s, line %d); the order must be started <= detected <= contained <= resolved: fix whichever date is wrong",
					x.key, fmtTime(x.v, c.Config.Location), pk, fmtTime(times[prev].v, c.Config.Location), p.PosOf(pk).Line)))
			continue
		}
		prev = i
	}
	return out
}

// fmtTime formats t in loc for messages.
func fmtTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// unknownTerm reports a slug absent from a configured vocabulary (causes
// or systems).
type unknownTerm struct {
	rule, key, kind string
}

func (u unknownTerm) ID() string { return u.rule }

func (u unknownTerm) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	known, list, vals := c.causes, c.causeList, p.RootCauses
	if u.kind == "systems" {
		known, list, vals = c.systems, c.sysList, p.Systems
	}
	if known == nil {
		return nil
	}
	var out []diag.Diagnostic
	for i, s := range vals {
		if known[s] || !config.IsSlug(s) {
			continue
		}
		hint := diag.DidYouMean(s, list)
		out = append(out, errorf(p.Path, p.PosOf(fmt.Sprintf("%s[%d]", u.key, i)), u.rule,
			fmt.Sprintf("%s: %q is not in the %s vocabulary of hindsight.yaml%s; use a listed slug, or add {slug: %s, title: …, description: …} under %s:", u.key, s, u.kind, hint, s, u.kind)))
	}
	return out
}
