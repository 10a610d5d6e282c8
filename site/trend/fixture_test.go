package trend

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// clock is the fixed "now" of the hand-computed fixture.
var clock = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

// loadArchive parses every postmortem of a txtar archive; it fails the
// test on any parse problem.
func loadArchive(t testing.TB, files []archiveFile, cfg *config.Config) []*postmortem.Postmortem {
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
	ar := parseTxtar(data)
	cfg := config.Default()
	ps := loadArchive(t, ar, cfg)
	return ps, Compute(ps, graph.Build(ps, cfg), cfg, clock), cfg
}

func newParser(cfg *config.Config) *postmortem.Parser {
	return postmortem.NewParser(kb.ParserOptions(cfg))
}

// archiveFile is one file of a txtar archive.
type archiveFile struct {
	Name string
	Data []byte
}

// parseTxtar reads the txtar format ("-- name --" lines start files; the
// comment before the first is dropped). It stands in for
// github.com/rogpeppe/go-internal/txtar, whose golang.org/x/tools
// dependency is not in go.sum.
func parseTxtar(data []byte) []archiveFile {
	var files []archiveFile
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		l := bytes.TrimRight(line, "\r\n")
		if bytes.HasPrefix(l, []byte("-- ")) && bytes.HasSuffix(l, []byte(" --")) && len(l) > 6 {
			files = append(files, archiveFile{Name: string(bytes.TrimSpace(l[3 : len(l)-3]))})
			continue
		}
		if len(files) > 0 {
			f := &files[len(files)-1]
			f.Data = append(f.Data, line...)
		}
	}
	return files
}
