package themes

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeTheme writes files (slash paths relative to the KB root) into a
// new KB folder inside a new parent folder, which it returns too.
func writeTheme(t *testing.T, files map[string]string) (parent, root string) {
	t.Helper()
	parent = t.TempDir()
	root = filepath.Join(parent, "kb")
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(parent, "secret.txt"), []byte("SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	return parent, root
}

func link(t *testing.T, target, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Skipf("symlinks not available: %v", err)
	}
}

// readWithin reads name from fsys, failing the test if that blocks.
func readWithin(t *testing.T, fsys fs.FS, name string) ([]byte, error) {
	t.Helper()
	type result struct {
		b   []byte
		err error
	}
	c := make(chan result, 1)
	go func() {
		b, err := fs.ReadFile(fsys, name)
		c <- result{b, err}
	}()
	select {
	case r := <-c:
		return r.b, r.err
	case <-time.After(10 * time.Second):
		t.Fatalf("reading %s blocked", name)
	}
	return nil, nil
}

// TestSecurityThemeSymlinkOutside: a theme override that is a symlink out
// of the KB (a static file, a layout partial, a folder, the theme folder
// itself) is an error naming it, for every file of the theme, so the
// build cannot go on without it; the outside file is never read.
func TestSecurityThemeSymlinkOutside(t *testing.T) {
	tests := []struct {
		name, link, target string // link relative to the KB root; target relative to the parent folder
	}{
		{"static file", "themes/default/static/x.css", "secret.txt"},
		{"layout partial", "themes/default/layouts/partials/head.html", "secret.txt"},
		{"static folder", "themes/default/static/more", "."},
		{"theme folder", "themes/default", "."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent, root := writeTheme(t, map[string]string{"themes/other/static/style.css": "body{}"})
			link(t, filepath.Join(parent, tt.target), filepath.Join(root, filepath.FromSlash(tt.link)))
			fsys := Open(root, "default")
			for _, f := range []string{"layouts/baseof.html", "static/style.css", strings.TrimPrefix(tt.link, "themes/default/")} {
				b, err := readWithin(t, fsys, f)
				if err == nil || !strings.Contains(err.Error(), tt.link) || !strings.Contains(err.Error(), "points outside the knowledge base") {
					t.Errorf("read %s = %q, %v; want an error naming %s as a symlink out of the KB", f, b, err, tt.link)
				}
			}
		})
	}
}

// TestSecurityThemeSymlinkInside: symlinks that stay in the KB work.
func TestSecurityThemeSymlinkInside(t *testing.T) {
	_, root := writeTheme(t, map[string]string{
		"content/logo.svg":                       "<svg/>",
		"shared/partials/footer.html":            "FOOT",
		"themes/mine/layouts/partials/head.html": "HEAD",
	})
	link(t, "../../../content/logo.svg", filepath.Join(root, "themes/mine/static/logo.svg"))
	link(t, "../../../../shared/partials/footer.html", filepath.Join(root, "themes/mine/layouts/partials/footer.html"))
	fsys := Open(root, "mine")
	for name, want := range map[string]string{"static/logo.svg": "<svg/>", "layouts/partials/footer.html": "FOOT", "layouts/partials/head.html": "HEAD"} {
		if b, err := readWithin(t, fsys, name); err != nil || string(b) != want {
			t.Errorf("%s = %q, %v; want %q", name, b, err, want)
		}
	}
	if _, err := readWithin(t, fsys, "layouts/baseof.html"); err != nil {
		t.Errorf("default file: %v", err)
	}
}

// TestSecurityThemeSymlinkHidden: a theme file linked into a hidden
// folder of the KB (.git/config may hold credentials) is refused too.
func TestSecurityThemeSymlinkHidden(t *testing.T) {
	_, root := writeTheme(t, map[string]string{".git/config": "SECRET", "themes/default/static/style.css": "body{}"})
	link(t, "../../../.git/config", filepath.Join(root, "themes/default/static/git.css"))
	fsys := Open(root, "default")
	if b, err := readWithin(t, fsys, "static/git.css"); err == nil || !strings.Contains(err.Error(), "hidden folder") {
		t.Errorf("read static/git.css = %q, %v; want a hidden folder error", b, err)
	}
}
