//go:build unix

package kbtest

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// SwapPipe puts a regular file holding text and a named pipe in turn at
// path, as fast as it can, until the returned function is called (it
// waits for the last swap). It skips t where named pipes cannot be made.
// A reader that stats path and then opens it meets a pipe in place of
// the file now and then: opened the blocking way, it would wait forever.
func SwapPipe(t testing.TB, path, text string) (stop func()) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), ".swap-tmp")
	if err := syscall.Mkfifo(tmp, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	_ = os.Remove(tmp)
	done, swapped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(swapped)
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
			}
			if i%2 == 0 {
				_ = os.WriteFile(tmp, []byte(text), 0o644)
			} else {
				_ = syscall.Mkfifo(tmp, 0o644)
			}
			_ = os.Rename(tmp, path)
		}
	}()
	return func() {
		close(done)
		<-swapped
	}
}

// NoBlock runs fn again and again for half a second and fails t if a
// run does not return within 20 seconds (what names what would block).
func NoBlock(t testing.TB, what string, fn func()) {
	t.Helper()
	runs := make(chan int)
	go func() {
		n := 0
		for end := time.Now().Add(500 * time.Millisecond); time.Now().Before(end); n++ {
			fn()
		}
		runs <- n
	}()
	select {
	case n := <-runs:
		t.Logf("%d runs", n)
	case <-time.After(20 * time.Second):
		t.Fatalf("%s blocked on a named pipe", what)
	}
}
