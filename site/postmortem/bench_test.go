package postmortem_test

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// benchFiles reads the postmortems of a generated 1,000-postmortem KB
// (kbgen.Cached): the realistic input. Results are in
// docs/performance.md.
func benchFiles(b *testing.B) (names []string, srcs [][]byte, size int64) {
	dir, err := kbgen.Cached(1000, 1)
	if err != nil {
		b.Fatal(err)
	}
	err = filepath.WalkDir(filepath.Join(dir, "content", "postmortems"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".md" {
			return err
		}
		src, err := os.ReadFile(p)
		names, srcs, size = append(names, p), append(srcs, src), size+int64(len(src))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	sort.Sort(byName{names, srcs})
	return names, srcs, size
}

type byName struct {
	names []string
	srcs  [][]byte
}

func (s byName) Len() int           { return len(s.names) }
func (s byName) Less(i, j int) bool { return s.names[i] < s.names[j] }
func (s byName) Swap(i, j int) {
	s.names[i], s.names[j] = s.names[j], s.names[i]
	s.srcs[i], s.srcs[j] = s.srcs[j], s.srcs[i]
}

// BenchmarkParseFrontMatter1k: the front matter of 1,000 generated
// postmortems per op.
func BenchmarkParseFrontMatter1k(b *testing.B) {
	names, srcs, size := benchFiles(b)
	ps := postmortem.NewParser(postmortem.Options{})
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for i, src := range srcs {
			ps.ParseFrontMatter(names[i], src)
		}
	}
}

func benchBody(b *testing.B, opts postmortem.BodyOptions) {
	names, srcs, size := benchFiles(b)
	ps := postmortem.NewParser(postmortem.Options{})
	pms := make([]*postmortem.Postmortem, len(srcs))
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		for i, src := range srcs {
			pms[i] = ps.ParseFrontMatter(names[i], src)
		}
		b.StartTimer()
		for _, p := range pms {
			ps.ParseBody(p, opts)
		}
	}
}

// BenchmarkParseBody1k: the bodies of 1,000 generated postmortems per op,
// without HTML (check) and with (build, serve).
func BenchmarkParseBody1k(b *testing.B) { benchBody(b, postmortem.BodyOptions{}) }
func BenchmarkParseBody1kHTML(b *testing.B) {
	benchBody(b, postmortem.BodyOptions{RenderHTML: true, ResolveLink: func(string) (string, bool) { return "", false }})
}
