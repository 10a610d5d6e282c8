package site

import (
	"context"
	"strings"
	"testing"
)

// TestStages: each build runs its declared stages once, in order, and
// reports each (Site.Stages, printed by build --timings); background
// stages are reported where they are waited for (history before pages;
// the index of a lean build by IndexTime).
func TestStages(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	for _, c := range []struct {
		name string
		opts Options
		want string
	}{
		{"full", Options{}, "load publish check link+trend index history pages total"},
		{"lean", Options{Lean: true}, "load publish check link+trend history pages release-bodies total"},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := c.opts
			opts.Root, opts.Now, opts.NoGit = root, testNow, true
			s, err := Load(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := stageNames(s); got != c.want {
				t.Errorf("stages %q, want %q", got, c.want)
			}
			if s.IndexTime() <= 0 {
				t.Error("no index time")
			}
			if c.opts.Lean {
				return
			}
			ns, err := s.Update(context.Background(), []string{s.KB.Postmortems[0].Path})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := stageNames(ns), "load publish check link+trend index pages total"; got != want {
				t.Errorf("update: stages %q, want %q", got, want)
			}
		})
	}
}

func stageNames(s *Site) string {
	var names []string
	for _, st := range s.Stages {
		names = append(names, strings.ReplaceAll(st.Name, " ", "-"))
	}
	return strings.Join(names, " ")
}
