package check_test

import (
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/check"
)

// TestUnknownFieldAliases: keys that other postmortem templates use are
// answered with the schema key they mean, where edit distance alone
// would suggest nothing or the wrong key.
func TestUnknownFieldAliases(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"start_time", "started"}, {"start", "started"}, {"begin", "started"},
		{"end_time", "resolved"}, {"end", "resolved"}, {"resolved_at", "resolved"}, {"fixed", "resolved"},
		{"detected_at", "detected"}, {"detection_time", "detected"},
		{"keywords", "tags"}, {"labels", "tags"},
		{"uuid", "id"}, {"incident_id", "id"},
		{"owner", "authors"}, {"owners", "authors"}, {"author", "authors"},
		{"impact_summary", "impact"},
		{"service", "systems"}, {"services", "systems"}, {"components", "systems"},
		{"root_cause", "root_causes"}, {"cause", "root_causes"}, {"causes", "root_causes"},
		{"mitigated", "contained"}, {"mitigated_at", "contained"},
		{"sev", "severity"}, {"priority", "severity"},
		{"state", "status"}, {"type", "category"},
		{"links", "related"}, {"see_also", "related"},
		{"Start-Time", "started"}, {"See Also", "related"},
	} {
		src := edit(t, base, "authors:", tc.key+": x\nauthors:")
		var msgs []string
		for _, d := range runKB(t, one(src), check.Options{}) {
			if d.Rule == "unknown-field" {
				msgs = append(msgs, d.Where()+" "+d.Message)
			}
		}
		want := `(did you mean "` + tc.want + `"?)`
		if len(msgs) != 1 || !strings.Contains(msgs[0], pmA+":11:1 ") || !strings.Contains(msgs[0], want) {
			t.Errorf("%s: %q, want one unknown-field at 11:1 saying %s", tc.key, msgs, want)
		}
	}
}

// TestUnknownFieldAliasInContext: an alias is suggested only where its
// key is allowed (an action has its own priority, and no severity).
func TestUnknownFieldAliasInContext(t *testing.T) {
	for _, tc := range []struct{ name, old, new, want, not string }{
		{"action state", "    status: done\n", "    status: done\n    state: done\n", `(did you mean "status"?)`, ""},
		{"impact priority", "resolved:", "impact: {priority: high}\nresolved:", "impact takes", `"severity"`},
	} {
		var msgs []string
		for _, d := range runKB(t, one(edit(t, base, tc.old, tc.new)), check.Options{}) {
			if d.Rule == "unknown-field" {
				msgs = append(msgs, d.Message)
			}
		}
		if len(msgs) != 1 || !strings.Contains(msgs[0], tc.want) || tc.not != "" && strings.Contains(msgs[0], tc.not) {
			t.Errorf("%s: %q, want one unknown-field with %s and without %s", tc.name, msgs, tc.want, tc.not)
		}
	}
}
