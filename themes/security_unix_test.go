//go:build unix

package themes

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSecurityThemeFIFO: a named pipe in a theme override folder is an
// error naming it, found without opening it, whether it is there when
// the theme is opened or appears later (serve keeps the theme open).
func TestSecurityThemeFIFO(t *testing.T) {
	for _, rel := range []string{"themes/default/static/x.css", "themes/default/layouts/partials/head.html"} {
		t.Run(rel, func(t *testing.T) {
			_, root := writeTheme(t, map[string]string{"themes/default/static/style.css": "body{}", "themes/default/layouts/partials/z.html": "z"})
			if err := syscall.Mkfifo(filepath.Join(root, filepath.FromSlash(rel)), 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			fsys := Open(root, "default")
			for _, f := range []string{"layouts/baseof.html", strings.TrimPrefix(rel, "themes/default/")} {
				if _, err := readWithin(t, fsys, f); err == nil || !strings.Contains(err.Error(), rel) || !strings.Contains(err.Error(), "named pipe") {
					t.Errorf("read %s: %v, want an error naming %s as a named pipe", f, err, rel)
				}
			}
		})
	}
	t.Run("added after Open", func(t *testing.T) {
		_, root := writeTheme(t, map[string]string{"themes/default/static/style.css": "body{}"})
		fsys := Open(root, "default")
		if err := syscall.Mkfifo(filepath.Join(root, "themes/default/static/late.css"), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		if _, err := readWithin(t, fsys, "static/late.css"); err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("read static/late.css: %v, want a named pipe error", err)
		}
	})
}
