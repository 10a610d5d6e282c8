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
			s.routes[bad] = route{kind: "chroma"}
			s.paths = append(s.paths, bad)
			parent := t.TempDir()
			out := filepath.Join(parent, "a", "b", "c", "public")
			_, err = Write(context.Background(), s, out, opts)
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
