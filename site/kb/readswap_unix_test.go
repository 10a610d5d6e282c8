//go:build unix

package kb

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestSecurityReadFileSwap: ReadFile stats a file before it opens it; a
// named pipe put in its place between the two is opened without blocking
// and refused. A goroutine swaps a regular file and a named pipe at the
// path while ReadFile reads it again and again: no read may block (one
// that opened the pipe the blocking way would wait for a writer forever).
func TestSecurityReadFileSwap(t *testing.T) {
	root := t.TempDir()
	rel := "content/x.md"
	p := filepath.Join(root, "content", "x.md")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "probe"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	d, err := OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	stop := make(chan struct{})
	swapped := make(chan struct{})
	go func() {
		defer close(swapped)
		tmp := filepath.Join(root, "content", "tmp")
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				_ = os.WriteFile(tmp, []byte("---\nid: x\n---\n"), 0o644)
			} else {
				_ = syscall.Mkfifo(tmp, 0o644)
			}
			_ = os.Rename(tmp, p)
		}
	}()
	reads := make(chan int)
	go func() {
		n := 0
		for end := time.Now().Add(500 * time.Millisecond); time.Now().Before(end); n++ {
			_, _ = d.ReadFile(rel, 1<<20)
		}
		reads <- n
	}()
	select {
	case n := <-reads:
		t.Logf("%d reads", n)
	case <-time.After(20 * time.Second):
		t.Fatal("ReadFile blocked on a named pipe put in place of the file after its stat")
	}
	close(stop)
	<-swapped
}
