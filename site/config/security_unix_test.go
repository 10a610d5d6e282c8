//go:build unix

package config

import (
	"path/filepath"
	"syscall"
	"testing"
)

// platformReadFileTests are the ReadFile cases that need a named pipe.
func platformReadFileTests() []readFileCase {
	return []readFileCase{
		{"fifo", func(t *testing.T, dir string) {
			if err := syscall.Mkfifo(filepath.Join(dir, FileName), 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		}, "not a regular file"},
	}
}
