//go:build unix

package search

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
)

// TestSecuritySyncKBFIFO: a named pipe among the postmortems does not
// block `hindsight search` (it is never opened) and is not listed.
func TestSecuritySyncKBFIFO(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	copyDir(t, fixtureRoot, root)
	for _, name := range []string{"pipe.md", "2024/pipe.md"} {
		p := filepath.Join(root, "content", "postmortems", filepath.FromSlash(name))
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	ix := syncWithin(t, ctx, root)
	defer ix.Close()
	// The source of snippets refuses it too.
	l := ListKB(root)
	<-l.done
	for _, f := range l.files {
		if filepath.Base(f.Rel) == "pipe.md" {
			t.Errorf("listed %s", f.Rel)
		}
	}
	cfg, _, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	src := &fileSource{dir: l.dir, cfg: cfg}
	c := make(chan bool, 1)
	go func() { _, ok := src.read("content/postmortems/pipe.md"); c <- ok }()
	select {
	case ok := <-c:
		if ok {
			t.Error("read a named pipe")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("read blocked on a named pipe")
	}
}
