package datajson

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/trend"
	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

// clock is the fixed "now" of the hand-computed fixture of package trend.
var clock = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

// fixture returns the trends of ../testdata/kb.txtar (package trend's
// hand-computed fixture, the draft included) at clock.
func fixture(t testing.TB) *trend.Trends {
	t.Helper()
	b, err := os.ReadFile("../testdata/kb.txtar")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	parser := postmortem.NewParser(kb.ParserOptions(cfg))
	var ps []*postmortem.Postmortem
	for _, f := range txtar.Parse(b).Files {
		if !strings.HasPrefix(f.Name, "content/postmortems/") {
			continue
		}
		p := parser.Parse(f.Name, f.Data)
		if len(p.Problems) > 0 {
			t.Fatalf("%s: %v", f.Name, p.Problems)
		}
		ps = append(ps, p)
	}
	return trend.Compute(ps, graph.Build(ps, cfg), cfg, clock)
}

// TestGolden pins data.json of the hand-computed fixture, both
// periods; go test -update rewrites the files after a deliberate change.
func TestGolden(t *testing.T) {
	tr := fixture(t)
	for _, p := range tr.Periods {
		got := JSON(tr, p.Key)
		path := filepath.Join("testdata", "data-"+p.Key+".golden.json")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs (go test -update to accept):\n%s", path, got)
		}
	}
}
