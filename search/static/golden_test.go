package static

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// exportDigest lists every file of an export, sorted by name: its name,
// size and SHA-256, one line each (a changed file shows as a changed
// line).
func exportDigest(files map[string][]byte) []byte {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var b bytes.Buffer
	for _, name := range names {
		fmt.Fprintf(&b, "%s %d %x\n", name, len(files[name]), sha256.Sum256(files[name]))
	}
	return b.Bytes()
}

// TestExportGolden pins the exact bytes of the exports of the fixture KB
// (small shards, so every kind of file is written) and of the sample KB
// (default options), made with one and with four threads: the analysis
// numbers terms in whatever order the workers meet them, and the output
// must not depend on it. A change of format or analysis shows here;
// rewrite with -update and say why in the commit.
func TestExportGolden(t *testing.T) {
	cases := []struct {
		name   string
		root   string
		public bool
		opts   Options
	}{
		{"fixture-public", filepath.Join("..", "testdata", "kb"), true, Options{ShardSize: 2048, ChunkDocs: 2, BigDocs: 2}},
		{"fixture-internal", filepath.Join("..", "testdata", "kb"), false, Options{ShardSize: 512, ChunkDocs: 3, BigDocs: 1}},
		{"sample", filepath.Join("..", ".."), false, Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := os.Stat(filepath.Join(c.root, "hindsight.yaml")); err != nil {
				t.Skipf("no KB at %s", c.root)
			}
			docs := loadDocs(t, c.root, c.public)
			var digests [][]byte
			for _, procs := range []int{1, 4} {
				prev := runtime.GOMAXPROCS(procs)
				files, err := Export(slices.Clone(docs), c.opts)
				runtime.GOMAXPROCS(prev)
				if err != nil {
					t.Fatal(err)
				}
				digests = append(digests, exportDigest(files))
			}
			if !bytes.Equal(digests[0], digests[1]) {
				t.Errorf("the export with 4 threads differs from the one with 1:\n%s", lineDiff(digests[0], digests[1]))
			}
			// ReleaseBodies changes what is kept, not what is written.
			released := slices.Clone(docs)
			ro := c.opts
			ro.ReleaseBodies = true
			files, err := Export(released, ro)
			if err != nil {
				t.Fatal(err)
			}
			if d := exportDigest(files); !bytes.Equal(d, digests[0]) {
				t.Errorf("the export with ReleaseBodies differs:\n%s", lineDiff(digests[0], d))
			}
			for _, d := range released {
				if d.Body != "" {
					t.Fatalf("ReleaseBodies left the body of %s", d.ID)
				}
			}
			golden := filepath.Join("testdata", "export-"+c.name+".golden")
			if *update {
				if err := os.WriteFile(golden, digests[0], 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./search/static -run ExportGolden -update to write it)", err)
			}
			if !bytes.Equal(digests[0], want) {
				t.Errorf("export differs from %s (a format or analysis change? rerun with -update and say why in the commit):\n%s", golden, lineDiff(want, digests[0]))
			}
		})
	}
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got []byte) string {
	w := strings.Split(string(want), "\n")
	g := strings.Split(string(got), "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
