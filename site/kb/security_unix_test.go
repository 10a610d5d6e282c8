//go:build unix

package kb

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
)

func mkfifo(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}

// TestSecurityFIFO: a named pipe among postmortems, pages or assets is a
// file-unreadable error naming it, and is never opened (opening one
// blocks until a writer comes).
func TestSecurityFIFO(t *testing.T) {
	for _, rel := range []string{"content/postmortems/x.md", "content/x.md", "content/x.txt", "content/postmortems/2025/y.png"} {
		t.Run(rel, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, map[string]string{"content/postmortems/a.md": pmText("a", "A", "x")})
			mkfifo(t, filepath.Join(root, filepath.FromSlash(rel)))
			k := loadWithin(t, root)
			if got := problemOf(k, rel); !strings.HasPrefix(got, "file-unreadable: file is a named pipe (FIFO)") {
				t.Errorf("problem about %s = %q, want file-unreadable naming a named pipe", rel, got)
			}
			if l := loaded(k); len(l) != 1 {
				t.Errorf("loaded %q, want only a.md", l)
			}
			errc := make(chan error, 1)
			go func() {
				_, err := k.ReadAsset(rel, 1<<20)
				errc <- err
			}()
			select {
			case err := <-errc:
				if err == nil || !strings.Contains(err.Error(), "named pipe") {
					t.Errorf("ReadAsset(%s) = %v, want a named pipe error", rel, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("ReadAsset blocked on a named pipe")
			}
		})
	}
}

// TestSecurityFIFOSymlink: a symlink (inside the KB) to a named pipe is
// refused like the pipe.
func TestSecurityFIFOSymlink(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"content/postmortems/a.md": pmText("a", "A", "x")})
	mkfifo(t, filepath.Join(root, "pipe"))
	symlink(t, "../../pipe", filepath.Join(root, "content/postmortems/p.md"))
	k := loadWithin(t, root)
	if got := problemOf(k, "content/postmortems/p.md"); !strings.Contains(got, "named pipe") {
		t.Errorf("problem = %q, want a named pipe", got)
	}
}

// TestSecurityUpdateFIFO: serve's incremental path reports a named pipe
// added to the KB without blocking, and forgets it once removed.
func TestSecurityUpdateFIFO(t *testing.T) {
	opts := Options{RenderHTML: true}
	for _, rel := range []string{"content/postmortems/x.md", "content/x.txt"} {
		t.Run(rel, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, map[string]string{"content/postmortems/a.md": pmText("a", "A", "x")})
			k, err := Load(root, config.Default(), opts)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(root, filepath.FromSlash(rel))
			update := func(k *KB, changed ...string) *KB {
				t.Helper()
				done := make(chan *KB, 1)
				go func() {
					nk, err := k.Update(changed, opts)
					if err != nil {
						t.Error(err)
					}
					done <- nk
				}()
				select {
				case nk := <-done:
					if nk == nil {
						t.FailNow()
					}
					return nk
				case <-time.After(10 * time.Second):
					t.Fatal("Update blocked on a named pipe")
				}
				return nil
			}
			mkfifo(t, p)
			k1 := update(k, p)
			if got := problemOf(k1, rel); !strings.Contains(got, "named pipe") {
				t.Errorf("after adding the pipe: problem = %q, want a named pipe", got)
			}
			// Named again (an edit event on it) with the listing reused.
			k2 := update(k1, p)
			if got := problemOf(k2, rel); !strings.Contains(got, "named pipe") {
				t.Errorf("after touching the pipe: problem = %q, want a named pipe", got)
			}
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			k3 := update(k2, p)
			want, err := Load(root, config.Default(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := summary(k3), summary(want); !reflect.DeepEqual(g, w) {
				t.Errorf("after removing the pipe, Update differs from Load:\ngot  %q\nwant %q", g, w)
			}
		})
	}
}

// TestSecurityListedSwap: a file the folder's listing gave as a regular
// file is opened without a stat first (folders.readListed); one replaced
// by a named pipe or by a symlink out of the KB after the listing is
// still refused, without blocking.
func TestSecurityListedSwap(t *testing.T) {
	for _, kind := range []string{"fifo", "symlink", "folder"} {
		t.Run(kind, func(t *testing.T) {
			root := t.TempDir()
			rel := "content/postmortems/x.md"
			p := filepath.Join(root, filepath.FromSlash(rel))
			outside := filepath.Join(t.TempDir(), "secret.md")
			if err := os.WriteFile(outside, []byte(pmText("s", "S", "secret")), 0o644); err != nil {
				t.Fatal(err)
			}
			switch kind {
			case "fifo":
				mkfifo(t, p)
			case "symlink":
				symlink(t, outside, p)
			case "folder":
				if err := os.MkdirAll(p, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			d, err := OpenDir(root)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			rd := newFolders(d)
			defer rd.close()
			type result struct {
				data []byte
				err  error
			}
			done := make(chan result, 1)
			go func() {
				data, err := rd.readListed(rel, 1<<20)
				done <- result{data, err}
			}()
			select {
			case r := <-done:
				if r.err == nil {
					t.Fatalf("read %q, want an error", r.data)
				}
				want := map[string]string{"fifo": "named pipe", "symlink": "outside", "folder": "is a folder"}[kind]
				if !strings.Contains(r.err.Error(), want) {
					t.Errorf("error %q, want one saying %q", r.err, want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("readListed blocked on a named pipe")
			}
		})
	}
}
