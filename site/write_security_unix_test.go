//go:build unix

package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSecurityWriteManifestFIFO: a named pipe in place of the output
// folder's manifest does not block the build: the folder counts as not
// made by hindsight.
func TestSecurityWriteManifestFIFO(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	out := filepath.Join(t.TempDir(), "public")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(out, ManifestName), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	opts := Options{Root: root, Out: out, Now: testNow, NoGit: true}
	s, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := Write(context.Background(), s, out, opts)
		errc <- err
	}()
	select {
	case err := <-errc:
		if err == nil || !strings.Contains(err.Error(), "not created by hindsight") {
			t.Errorf("Write error = %v, want the folder refused as not made by hindsight", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Write blocked on a named pipe")
	}
}
