//go:build unix

package complete

import (
	"os"
	"path/filepath"
	"strings"
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

// TestListIDsSymlinks: the ids offered are those of the files a build
// reads, symlinks included: a folder or file linked from inside the KB is
// read (as kb.Load reads it), a link out of the KB or into a hidden
// folder is not, and a link loop ends.
func TestListIDsSymlinks(t *testing.T) {
	root := writeKB(t, map[string]string{
		"content/postmortems/a.md":      "---\nid: edge-cert\n---\n",
		"content/shared/2024/b.md":      "---\nid: linked-folder\n---\n",
		"content/shared/c.md":           "---\nid: linked-file\n---\n",
		".secret/d.md":                  "---\nid: hidden-target\n---\n",
		"content/postmortems/2025/e.md": "---\nid: plain\n---\n",
	})
	outside := writeKB(t, map[string]string{"x.md": "---\nid: outside\n---\n"})
	pm := filepath.Join(root, "content", "postmortems")
	for link, target := range map[string]string{
		"linked":    "../shared/2024",
		"one.md":    "../shared/c.md",
		"out.md":    filepath.Join(outside, "x.md"),
		"out":       outside,
		"hidden.md": "../../.secret/d.md",
		"2025/loop": "..",
	} {
		if err := os.Symlink(target, filepath.Join(pm, filepath.FromSlash(link))); err != nil {
			t.Skipf("symlink: %v", err)
		}
	}
	got := strings.Join(listIDs(root, config.Default()), ",")
	if want := "edge-cert,linked-file,linked-folder,plain"; got != want {
		t.Errorf("listIDs = %s\nwant       %s", got, want)
	}
}
