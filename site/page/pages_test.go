package page

import (
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// TestBySeverity: the by-severity list is worst first in the configured
// order, unknown severities last, newest first (the given order) within a
// severity.
func TestBySeverity(t *testing.T) {
	for _, c := range []struct {
		name string
		sevs []string
		in   string // id:severity …, newest first
		want string
	}{
		{"worst first, stable", []string{"SEV1", "SEV2"}, "a:SEV2 b:SEV1 c:SEV2 d:SEV1", "b d a c"},
		{"unknown last", []string{"SEV1", "SEV2"}, "a:X b:SEV2 c:SEV1 d:Y", "c b a d"},
		{"no severities configured", nil, "a:X b:Y", "a b"},
		{"a repeated severity ranks where it is last", []string{"SEV1", "SEV2", "SEV1"}, "a:SEV1 b:SEV2 c:X", "b a c"},
		{"none", []string{"SEV1"}, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var in []*postmortem.Postmortem
			for _, f := range strings.Fields(c.in) {
				id, sev, _ := strings.Cut(f, ":")
				in = append(in, &postmortem.Postmortem{ID: id, Severity: sev})
			}
			s := &Set{Input: Input{Config: &config.Config{Severities: c.sevs}, Postmortems: in}}
			var got []string
			for _, p := range s.bySeverity() {
				got = append(got, p.ID)
			}
			if g := strings.Join(got, " "); g != c.want {
				t.Errorf("got %q, want %q", g, c.want)
			}
		})
	}
}
