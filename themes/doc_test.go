package themes

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestOverlay(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "themes", "mine", "static")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "style.css"), []byte("body{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "extra.css"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := Open(root, "mine")
	b, err := fs.ReadFile(fsys, "static/style.css")
	if err != nil || string(b) != "body{}" {
		t.Fatalf("override not used: %q %v", b, err)
	}
	if _, err := fs.ReadFile(fsys, "layouts/baseof.html"); err != nil {
		t.Fatalf("default file missing through overlay: %v", err)
	}
	files, err := Files(fsys, "static")
	if err != nil {
		t.Fatal(err)
	}
	has := map[string]bool{}
	for _, f := range files {
		has[f] = true
	}
	if !has["static/extra.css"] || !has["static/site.js"] {
		t.Errorf("merged listing = %v", files)
	}
}
