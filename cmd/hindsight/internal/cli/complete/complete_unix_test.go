//go:build unix

package complete

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// TestListIDsNamedPipe: completion never blocks on a named pipe, whether
// it is in the KB when the folder is listed or put in place of a
// postmortem while the ids are read (between a stat and an open). A
// goroutine swaps a regular file and a named pipe at one path while
// listIDs runs again and again; a read that opened the pipe the blocking
// way would wait for a writer forever, and TAB would hang.
func TestListIDsNamedPipe(t *testing.T) {
	root := writeKB(t, map[string]string{"content/postmortems/a.md": "---\nid: edge-cert\n---\n"})
	dir := filepath.Join(root, "content", "postmortems")
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	stop := kbtest.SwapPipe(t, filepath.Join(dir, "swapped.md"), "---\nid: swapped\n---\n")
	defer stop()
	kbtest.NoBlock(t, "listIDs", func() {
		if ids := listIDs(root, config.Default()); len(ids) == 0 || ids[0] != "edge-cert" {
			t.Errorf("listIDs = %v, want edge-cert first", ids)
		}
	})
}
