package kbtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbgen"
)

// Generate writes a generated KB of n postmortems (the same seed gives the
// same files) into a new temporary folder of t and returns it.
func Generate(t testing.TB, n int, seed int64) string {
	t.Helper()
	root := t.TempDir()
	if err := kbgen.Generate(root, kbgen.Options{N: n, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return root
}

// Cached is kbgen.Cached (a generated KB kept between runs, for
// benchmarks), failing t on error.
func Cached(t testing.TB, n int, seed int64) string {
	t.Helper()
	root, err := kbgen.Cached(n, seed)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// Load reads the config and the knowledge base at root with opts.
func Load(t testing.TB, root string, opts kb.Options) (*config.Config, *kb.KB) {
	t.Helper()
	cfg, _, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	k, err := kb.Load(root, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, k
}

// WriteFile writes text to rel (a slash path) under root, making its
// folders, and returns the file's path.
func WriteFile(t testing.TB, root, rel, text string) string {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
