package complete

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// writeKB writes files (slash path → content) under a new folder.
func writeKB(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for rel, text := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestListIDs: the ids offered are those the parser gives (front matter
// id: in YAML, TOML or JSON, else the file name), only safe ones, only
// of postmortem files the KB reads.
func TestListIDs(t *testing.T) {
	root := writeKB(t, map[string]string{
		"content/postmortems/2025/a.md":          "---\ntitle: A\nid: edge-cert  # a comment\n---\nBody\n",
		"content/postmortems/2025/b.md":          "\ufeff+++\ntitle = \"B\"\nid = \"toml-id\"\n+++\n",
		"content/postmortems/2025/c.md":          "{\n  \"title\": \"C\",\n  \"id\": \"json-id\"\n}\n\nBody\n",
		"content/postmortems/2025/d.md":          "---\ntitle: D\nid: 'quoted'\n---\n",
		"content/postmortems/2025/from-name.md":  "---\ntitle: no id key\n---\n",
		"content/postmortems/2025/no-fm.md":      "# no front matter\nid: not-this\n",
		"content/postmortems/2025/nested.md":     "---\nimpact:\n  id: not-this\n---\n",
		"content/postmortems/2025/unsafe.md":     "---\nid: \"two words\"\n---\n",
		"content/postmortems/2025/bad name.md":   "---\ntitle: unsafe file name, no id\n---\n",
		"content/postmortems/2025/_skipped.md":   "---\nid: skipped\n---\n",
		"content/postmortems/2025/dup.md":        "---\nid: edge-cert\n---\n",
		"content/postmortems/2025/notes.txt":     "---\nid: not-markdown\n---\n",
		"content/postmortems/.hidden/h.md":       "---\nid: hidden\n---\n",
		"content/about.md":                       "---\nid: a-page\n---\n",
		"content/postmortems/2025/big.md":        "---\nid: too-big\n---\n" + strings.Repeat("x", 2048),
		"content/postmortems/2025/long-body.md":  "---\nid: long-front\n" + strings.Repeat("# padding\n", 600) + "---\n",
		"content/postmortems/2025/unclosed.md":   "---\nid: unclosed-id\n",
		"content/postmortems/2025/broken-fm.md":  "---\nid: [broken\n---\n",
		"content/postmortems/2025/wrong-type.md": "---\nid: [a, b]\n---\n",
	})
	cfg := config.Default()
	cfg.MaxFileSize = 2000 // big.md and long-body.md are over it: not read
	got := strings.Join(listIDs(root, cfg), ",")
	want := "broken-fm,edge-cert,from-name,json-id,nested,no-fm,quoted,toml-id,unclosed,wrong-type"
	if got != want {
		t.Errorf("listIDs = %s\nwant       %s", got, want)
	}
	cfg.MaxFileSize = 1 << 20
	if got := listIDs(root, cfg); !contains(got, "long-front") || !contains(got, "too-big") {
		t.Errorf("with a larger limit: %v, want long-front and too-big too", got)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// BenchmarkListIDs: the ids of a generated KB of 2,000 postmortems, what
// each TAB after id: costs (docs/performance.md has the 10k and 100k
// figures).
func BenchmarkListIDs(b *testing.B) {
	root := kbtest.Generate(b, 2000, 1)
	cfg, _, err := config.Load(root)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ids := listIDs(root, cfg); len(ids) < 1900 {
			b.Fatalf("%d ids", len(ids))
		}
	}
}
