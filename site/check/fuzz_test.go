package check_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// FuzzRun runs every rule on fuzzed files: no rule may panic, and every
// diagnostic must name its file, a rule and a message.
func FuzzRun(f *testing.F) {
	f.Add(base, "")
	f.Add(strings.ReplaceAll(base, "\n", "\r\n"), "x")
	f.Add("---\nrelated: [a, '']\nactions: [1, {status: x}]\n---\n## Timeline\n- 09:00\n- AKIAZ3MSJV4WWNKWW5FG human error [x](y.md)\n", "causes: [a]")
	f.Add("---\ntitle: x\n---\n<!-- hindsight-ignore -->\n##\n`password = \"hX9kq2LmP4vR7tWz\"` should have known\n", "")
	cfgs := map[bool]*config.Config{false: config.Default()}
	vocab := config.Default()
	vocab.Causes = []config.Term{{Slug: "expired-certificate"}}
	vocab.Systems = []config.Term{{Slug: "edge-proxy"}}
	cfgs[true] = vocab
	root := f.TempDir()
	f.Fuzz(func(t *testing.T, src, other string) {
		cfg := cfgs[len(other)%2 == 1]
		ps := postmortem.NewParser(kb.ParserOptions(cfg))
		k := &kb.KB{Root: root, Config: cfg, Postmortems: []*postmortem.Postmortem{
			ps.Parse("content/postmortems/a.md", []byte(src)),
			ps.Parse("content/postmortems/b.md", []byte(other)),
		}}
		for _, d := range check.Run(k, check.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Strict: true}) {
			if d.File == "" || d.Rule == "" || d.Message == "" || d.Pos.Line < 0 {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
	})
}
