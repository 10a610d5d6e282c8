//go:build unix

package review

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/kb"
)

// TestCacheNamedPipe: a named pipe in place of the cache file is refused
// (kb.Dir reads only regular files) without blocking on it, and ignored;
// a cache written then replaces it.
func TestCacheNamedPipe(t *testing.T) {
	root := t.TempDir()
	mkdir(t, root, ".hindsight")
	p := filepath.Join(root, filepath.FromSlash(CacheFile))
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := readCache(root)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, kb.ErrNotRegular) {
			t.Errorf("readCache: %v, want a not-a-regular-file error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("readCache blocked on a named pipe")
	}
	if err := writeCache(root, []byte(cacheMagic)); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(p); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("after writeCache: %v %v, want a regular file", fi, err)
	}
}
