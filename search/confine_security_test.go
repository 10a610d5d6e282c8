package search

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"

	"github.com/hindsight-kb/hindsight/search/internal/store"
)

// TestSecuritySyncKBConfined: `hindsight search` indexes the postmortem
// files kb.Load reads and nothing else: a symlink out of the KB (to a
// file that would parse as a postmortem) is neither read nor indexed.
func TestSecuritySyncKBConfined(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	root := filepath.Join(parent, "kb")
	copyDir(t, fixtureRoot, root)
	secret := "---\nid: zebra-leak\ntitle: Zebra leak\nseverity: SEV1\nstatus: published\n---\n\n## Summary\n\nquagmirezebra\n"
	if err := os.WriteFile(filepath.Join(parent, "secret.md"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(parent, "secret.md"), filepath.Join(root, "content", "postmortems", "leak.md")); err != nil {
		t.Skipf("symlinks not available: %v", err)
	}
	ix := syncWithin(t, ctx, root)
	defer ix.Close()
	for _, q := range []string{"quagmirezebra", "zebra"} {
		r, err := ix.Search(ctx, q, SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != 0 {
			t.Errorf("%q found %d documents: the file outside the KB was indexed", q, r.Total)
		}
	}
	for _, f := range store.Walk(root) {
		if f.Rel == "content/postmortems/leak.md" {
			t.Errorf("the listing holds the symlink out of the KB")
		}
	}
}

// syncWithin indexes the KB at root into a new in-memory index with
// SyncKB, as `hindsight search` does, and fails the test when that takes
// more than 20 s (a read that blocks on hostile input).
func syncWithin(t *testing.T, ctx context.Context, root string) *Index {
	t.Helper()
	cfg, _, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Open("", Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := ix.SyncKB(ctx, root, cfg, DocOptionsFor(cfg, false, true))
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			ix.Close()
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("SyncKB blocked")
	}
	return ix
}
