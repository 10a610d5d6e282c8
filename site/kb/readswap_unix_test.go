//go:build unix

package kb_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// TestSecurityReadFileSwap: ReadFile stats a file before it opens it; a
// named pipe put in its place between the two is opened without blocking
// and refused. A regular file and a named pipe are swapped at the path
// while ReadFile reads it again and again: no read may block (one that
// opened the pipe the blocking way would wait for a writer forever).
func TestSecurityReadFileSwap(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "content", "x.md")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := kb.OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	stop := kbtest.SwapPipe(t, p, "---\nid: x\n---\n")
	defer stop()
	kbtest.NoBlock(t, "ReadFile, with a named pipe put in place of the file after its stat,", func() {
		_, _ = d.ReadFile("content/x.md", 1<<20)
	})
}
