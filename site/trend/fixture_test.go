package trend

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/rogpeppe/go-internal/txtar"
)

// clock is the fixed "now" of the hand-computed fixture.
var clock = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

// loadArchive parses every postmortem of a txtar archive; it fails the
// test on any parse problem.
func loadArchive(t testing.TB, files []txtar.File, cfg *config.Config) []*postmortem.Postmortem {
	t.Helper()
	parser := postmortem.NewParser(kb.ParserOptions(cfg))
	var ps []*postmortem.Postmortem
	for _, f := range files {
		if !strings.HasPrefix(f.Name, "content/postmortems/") {
			continue
		}
		p := parser.Parse(f.Name, f.Data)
		if len(p.Problems) > 0 {
			t.Fatalf("%s: %v", f.Name, p.Problems)
		}
		ps = append(ps, p)
	}
	return ps
}

// fixture returns the postmortems of testdata/kb.txtar (the draft
// included), their trends at clock, and the config.
func fixture(t testing.TB) ([]*postmortem.Postmortem, *Trends, *config.Config) {
	t.Helper()
	data, err := os.ReadFile("testdata/kb.txtar")
	if err != nil {
		t.Fatal(err)
	}
	ar := txtar.Parse(data).Files
	cfg := config.Default()
	ps := loadArchive(t, ar, cfg)
	return ps, Compute(ps, graph.Build(ps, cfg), cfg, clock), cfg
}

func newParser(cfg *config.Config) *postmortem.Parser {
	return postmortem.NewParser(kb.ParserOptions(cfg))
}
