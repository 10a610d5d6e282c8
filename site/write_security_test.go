package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecurityWriteConfined: a route path that climbs out of the output
// folder (a slug that escaped validation) is an error, and nothing is
// written outside the output folder.
func TestSecurityWriteConfined(t *testing.T) {
	tests := []string{
		"causes/../../../../escaped/index.html",
		"../escaped/index.html",
		"/escaped/index.html",
		"causes/./x/index.html",
		"causes/../x/index.html",
	}
	for _, bad := range tests {
		t.Run(bad, func(t *testing.T) {
			root := writeTxtar(t, fixtureKB)
			opts := Options{Root: root, Now: testNow, NoGit: true}
			s, err := Load(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			// The site's pages and one more at the bad path.
			renderAll := func(ctx context.Context, fn func(string, []byte) error) error {
				if err := s.RenderAll(ctx, fn); err != nil {
					return err
				}
				return fn(bad, []byte("x"))
			}
			parent := t.TempDir()
			out := filepath.Join(parent, "a", "b", "c", "public")
			_, err = write(context.Background(), s, renderAll, out, opts)
			if err == nil || !strings.Contains(err.Error(), bad) {
				t.Errorf("Write error = %v, want one naming %s", err, bad)
			}
			var found []string
			filepath.WalkDir(parent, func(p string, d os.DirEntry, err error) error {
				rel, _ := filepath.Rel(parent, p)
				if strings.Contains(rel, "escaped") || strings.HasSuffix(rel, filepath.Join("x", "index.html")) {
					found = append(found, rel)
				}
				return nil
			})
			if _, err := os.Stat("/escaped"); err == nil {
				found = append(found, "/escaped")
			}
			if len(found) > 0 {
				t.Errorf("written outside the site: %v", found)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a failed build created %s", out)
			}
		})
	}
}

// TestSecurityWriteMode: the output folder is readable by other users
// (a web server), like the files in it.
func TestSecurityWriteMode(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	_, out := build(t, root, Options{})
	for _, p := range []string{out, filepath.Join(out, "index.html"), filepath.Join(out, "assets")} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o755)
		if !st.IsDir() {
			want = 0o644
		}
		// The umask may take bits away from group and others' write,
		// never read.
		if got := st.Mode().Perm(); got&0o555 != want&0o555 {
			t.Errorf("%s: mode %v, want %v", p, got, want)
		}
	}
}

// TestSecurityWriteKeptSymlink: a symlink in the output folder that
// leads out of it is not carried over into the new site (it would
// publish its target); one that stays inside is kept.
func TestSecurityWriteKeptSymlink(t *testing.T) {
	tests := []struct {
		name, target string // OUTSIDE is a file beside the output folder
		ok           bool
	}{
		{"inside.html", "index.html", true},
		{"abs.txt", "OUTSIDE", false},
		{"rel.txt", "../outside.txt", false},
		{"deep/rel.txt", "../../outside.txt", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeTxtar(t, fixtureKB)
			parent := t.TempDir()
			outside := filepath.Join(parent, "outside.txt")
			if err := os.WriteFile(outside, []byte("SECRET"), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(parent, "public")
			build(t, root, Options{Out: out})
			link := filepath.Join(out, filepath.FromSlash(tt.name))
			os.MkdirAll(filepath.Dir(link), 0o755)
			if err := os.Symlink(strings.Replace(tt.target, "OUTSIDE", outside, 1), link); err != nil {
				t.Skipf("symlinks not available: %v", err)
			}
			opts := Options{Root: root, Out: out, Now: testNow, NoGit: true}
			s, err := Load(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Write(context.Background(), s, out, opts)
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if _, err := os.Lstat(link); err != nil {
					t.Errorf("the symlink inside the site was not kept: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "outside the output folder") {
				t.Errorf("Write error = %v, want a symlink leading outside refused", err)
			}
		})
	}
}
