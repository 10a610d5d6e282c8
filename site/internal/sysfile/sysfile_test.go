package sysfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteNew(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("0123456789abcdef", 1<<16) // 1 MiB: more than one write on some systems
	tests := []struct {
		name, before, content string
	}{
		{"new.html", "", "<p>new</p>"},
		{"longer.html", "short", big},
		{"shorter.html", big, "short"},
		{"empty.html", "old content", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name)
			if tt.before != "" {
				if err := os.WriteFile(p, []byte(tt.before), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := WriteNew(p, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.content {
				t.Errorf("file holds %d bytes, want %d", len(got), len(tt.content))
			}
		})
	}
	t.Run("missing folder", func(t *testing.T) {
		p := filepath.Join(dir, "no-such-folder", "index.html")
		err := WriteNew(p, []byte("x"), 0o644)
		var pe *fs.PathError
		if !errors.As(err, &pe) || pe.Path != p || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("err = %v, want a PathError for %s that is fs.ErrNotExist", err, p)
		}
	})
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("x", 3<<20)
	for _, text := range []string{"", "short\n", big} {
		p := filepath.Join(dir, "f.md")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		size, err := f.Size()
		if err != nil || size != int64(len(text)) {
			t.Errorf("Size = %d, %v; want %d", size, err, len(text))
		}
		got, err := io.ReadAll(f)
		if err != nil || string(got) != text {
			t.Errorf("read %d bytes, %v; want %d", len(got), err, len(text))
		}
		if err := f.Close(); err != nil {
			t.Error(err)
		}
	}
	_, err := Open(filepath.Join(dir, "missing.md"))
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a missing file: %v, want a PathError that is fs.ErrNotExist", err)
	}
}
