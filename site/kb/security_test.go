package kb

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
)

// loadWithin loads the KB at root, failing the test if that takes longer
// than a few seconds (a file that blocks on open).
func loadWithin(t *testing.T, root string) *KB {
	t.Helper()
	done := make(chan *KB, 1)
	errc := make(chan error, 1)
	go func() {
		k, err := Load(root, config.Default(), Options{RenderHTML: true})
		if err != nil {
			errc <- err
			return
		}
		done <- k
	}()
	select {
	case k := <-done:
		return k
	case err := <-errc:
		t.Fatal(err)
	case <-time.After(10 * time.Second):
		t.Fatal("Load still running after 10s: it blocked on a file")
	}
	return nil
}

// problemOf returns the message of k's problem about file ("" if none).
func problemOf(k *KB, file string) string {
	for _, d := range k.Problems {
		if d.File == file {
			return d.Rule + ": " + d.Message
		}
	}
	return ""
}

// loaded lists every path k read: postmortems, pages and assets.
func loaded(k *KB) []string {
	var out []string
	for _, p := range k.Postmortems {
		out = append(out, p.Path)
	}
	for _, p := range k.Pages {
		out = append(out, p.Path)
	}
	return append(out, k.Assets...)
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks not available: %v", err)
	}
}

// TestSecuritySymlinkOutsideRoot: a symlink whose target leaves the KB
// root (to a file or a folder, in postmortems/ or among the assets) is a
// file-unreadable error naming the link, and nothing behind it is read.
func TestSecuritySymlinkOutsideRoot(t *testing.T) {
	tests := []struct {
		name   string
		link   string // relative to the KB root
		target string // OUT is the outside folder, ROOT the KB root
		want   string // in the problem about link
	}{
		{"postmortem to an outside file", "content/postmortems/leak.md", "OUT/secret.md", "points outside the knowledge base"},
		{"asset to an outside file", "content/env.txt", "OUT/secret.txt", "points outside the knowledge base"},
		{"image in postmortems to an outside file", "content/postmortems/passwd.png", "OUT/secret.txt", "points outside the knowledge base"},
		{"folder to an outside folder", "content/secretdir", "OUT", "points outside the knowledge base"},
		{"postmortems folder to an outside folder", "content/postmortems/2025", "OUT", "points outside the knowledge base"},
		{"relative link climbing out", "content/up.txt", "../../outside/secret.txt", "points outside the knowledge base"},
		{"absolute link back inside", "content/postmortems/abs.md", "ROOT/content/postmortems/a.md", "absolute path"},
		{"dangling absolute link", "content/gone.txt", "/nonexistent/hindsight-test", "points outside the knowledge base"},
		{"asset into .git", "content/gitconfig.txt", "../.git/config", "hidden folder"},
		{"folder into .git", "content/g", "../.git", "hidden folder"},
		{"postmortem into a hidden folder", "content/postmortems/h.md", "../../.hidden/h.md", "hidden folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			root := filepath.Join(parent, "kb")
			out := filepath.Join(parent, "outside")
			writeFiles(t, out, map[string]string{
				"secret.md":  pmText("secret", "Secret", "SECRET-TEXT"),
				"secret.txt": "SECRET-TEXT",
				"x.png":      "SECRET-TEXT",
			})
			writeFiles(t, root, map[string]string{
				"content/postmortems/a.md": pmText("a", "A", "x"),
				".git/config":              "SECRET-TEXT",
				".hidden/h.md":             pmText("h", "H", "SECRET-TEXT"),
			})
			target := strings.NewReplacer("OUT", out, "ROOT", root).Replace(tt.target)
			symlink(t, target, filepath.Join(root, filepath.FromSlash(tt.link)))
			k := loadWithin(t, root)
			got := problemOf(k, tt.link)
			if !strings.HasPrefix(got, "file-unreadable: ") || !strings.Contains(got, tt.want) {
				t.Errorf("problem about %s = %q, want file-unreadable saying %q", tt.link, got, tt.want)
			}
			if !strings.Contains(got, "copy the file") {
				t.Errorf("problem %q does not say how to fix it", got)
			}
			if l := loaded(k); !slices.Equal(l, []string{"content/postmortems/a.md"}) {
				t.Errorf("loaded %q, want only content/postmortems/a.md", l)
			}
			for _, p := range k.Postmortems {
				if strings.Contains(p.Body.HTML, "SECRET") {
					t.Errorf("%s holds the outside file's text", p.Path)
				}
			}
			if _, err := k.ReadAsset(tt.link, 1<<20); err == nil {
				t.Errorf("ReadAsset(%s) read through the symlink", tt.link)
			}
		})
	}
}

// TestSecuritySymlinkInsideRoot: relative symlinks that stay inside the
// KB keep working, for files and folders.
func TestSecuritySymlinkInsideRoot(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"content/postmortems/a.md":      pmText("a", "A", "See ![x](../img/x.png)."),
		"shared/b.md":                   pmText("b", "B", "x"),
		"shared/pics/y.png":             "png",
		"content/img/x.png":             "png",
		"content/postmortems/2024/c.md": pmText("c", "C", "x"),
		"shared/pms/d.md":               pmText("d", "D", "x"),
		"shared/pms/e.json":             "{}",
	})
	symlink(t, "../../shared/b.md", filepath.Join(root, "content/postmortems/b.md"))
	symlink(t, "../../shared/pms", filepath.Join(root, "content/postmortems/more"))
	symlink(t, "../shared/pics", filepath.Join(root, "content/pics"))
	symlink(t, "img/x.png", filepath.Join(root, "content/logo.png"))
	k := loadWithin(t, root)
	if len(k.Problems) > 0 {
		t.Errorf("problems: %v", k.Problems)
	}
	want := []string{
		"content/postmortems/2024/c.md", "content/postmortems/a.md", "content/postmortems/b.md", "content/postmortems/more/d.md",
		"content/img/x.png", "content/logo.png", "content/pics/y.png", "content/postmortems/more/e.json",
	}
	if got := loaded(k); !slices.Equal(got, want) {
		t.Errorf("loaded\n%q\nwant\n%q", got, want)
	}
	for _, a := range []string{"content/logo.png", "content/pics/y.png"} {
		if b, err := k.ReadAsset(a, 100); err != nil || string(b) != "png" {
			t.Errorf("ReadAsset(%s) = %q, %v", a, b, err)
		}
	}
}

// TestSecurityReadAsset: ReadAsset reads only regular files inside the
// root, within the size given, whether or not the KB was loaded.
func TestSecurityReadAsset(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "kb")
	writeFiles(t, parent, map[string]string{"outside.txt": "SECRET"})
	writeFiles(t, root, map[string]string{"content/a.txt": "hello", "content/big.bin": strings.Repeat("x", 200)})
	symlink(t, "../../outside.txt", filepath.Join(root, "content/out.txt"))
	tests := []struct {
		rel, want string // want: the content, or part of the error
	}{
		{"content/a.txt", "hello"},
		{"content/big.bin", "over the 100 B limit"},
		{"content/out.txt", "points outside the knowledge base"},
		{"content/../../outside.txt", "points outside the knowledge base"},
		{"content", "is a folder"},
		{"content/missing.txt", "no such file"},
	}
	loadedKB := loadWithin(t, root)
	for _, k := range []*KB{loadedKB, {Root: root, Config: config.Default()}} {
		for _, tt := range tests {
			b, err := k.ReadAsset(tt.rel, 100)
			got := string(b)
			if err != nil {
				got = err.Error()
			}
			if !strings.Contains(got, tt.want) || (err == nil) != (tt.want == "hello") {
				t.Errorf("ReadAsset(%s) = %q, want %q", tt.rel, got, tt.want)
			}
		}
	}
}
