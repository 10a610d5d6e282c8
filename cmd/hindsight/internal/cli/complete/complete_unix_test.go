//go:build unix

package complete

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
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
	p, tmp := filepath.Join(dir, "swapped.md"), filepath.Join(root, "tmp")
	stop, swapped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(swapped)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				_ = os.WriteFile(tmp, []byte("---\nid: swapped\n---\n"), 0o644)
			} else {
				_ = syscall.Mkfifo(tmp, 0o644)
			}
			_ = os.Rename(tmp, p)
		}
	}()
	runs := make(chan int)
	go func() {
		n := 0
		for end := time.Now().Add(500 * time.Millisecond); time.Now().Before(end); n++ {
			if ids := listIDs(root, config.Default()); len(ids) == 0 || ids[0] != "edge-cert" {
				t.Errorf("listIDs = %v, want edge-cert first", ids)
			}
		}
		runs <- n
	}()
	select {
	case n := <-runs:
		t.Logf("%d runs", n)
	case <-time.After(20 * time.Second):
		t.Fatal("listIDs blocked on a named pipe")
	}
	close(stop)
	<-swapped
}
