package kb_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// TestSkipBody checks Options.SkipBody: a skipped postmortem keeps its
// front matter and the start of its body but gets no parsed body and no
// Visit; the others are parsed and visited as without the hook; the hook
// sees each postmortem's bytes once.
func TestSkipBody(t *testing.T) {
	root := kbtest.Generate(t, 40, 7)
	_, full := kbtest.Load(t, root, kb.Options{})
	var mu sync.Mutex
	seen := map[string]int{}
	var visited []string
	_, k := kbtest.Load(t, root, kb.Options{
		SkipBody: func(p *postmortem.Postmortem) bool {
			if len(p.Source) == 0 || !strings.HasPrefix(string(p.Source), "---") {
				t.Errorf("%s: SkipBody without the file's bytes", p.Path)
			}
			mu.Lock()
			seen[p.Path]++
			mu.Unlock()
			return strings.Contains(p.Path, "1") // an arbitrary half or so
		},
		Visit: func(p *postmortem.Postmortem) {
			mu.Lock()
			visited = append(visited, p.Path)
			mu.Unlock()
		},
	})
	if len(k.Postmortems) != len(full.Postmortems) {
		t.Fatalf("%d postmortems, want %d", len(k.Postmortems), len(full.Postmortems))
	}
	skipped := 0
	for i, p := range k.Postmortems {
		want := full.Postmortems[i]
		if seen[p.Path] != 1 {
			t.Errorf("%s: SkipBody called %d times, want once", p.Path, seen[p.Path])
		}
		if p.Title != want.Title || p.ID != want.ID || p.Body.Line != want.Body.Line {
			t.Errorf("%s: front matter %q %q line %d, want %q %q line %d", p.Path, p.ID, p.Title, p.Body.Line, want.ID, want.Title, want.Body.Line)
		}
		skip := strings.Contains(p.Path, "1")
		switch {
		case skip:
			skipped++
			if p.Body.Text != "" || p.Body.Sections != nil || slices.Contains(visited, p.Path) {
				t.Errorf("%s: skipped, but its body was parsed or visited", p.Path)
			}
		case p.Body.Text != want.Body.Text || len(p.Body.Sections) != len(want.Body.Sections):
			t.Errorf("%s: body differs from a load without SkipBody", p.Path)
		case !slices.Contains(visited, p.Path):
			t.Errorf("%s: parsed but not visited", p.Path)
		}
	}
	if skipped == 0 || skipped == len(k.Postmortems) {
		t.Fatalf("%d of %d skipped: the test needs both kinds", skipped, len(k.Postmortems))
	}
}
