package site

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ManifestName is the file in an output folder that lists what hindsight
// wrote there.
const ManifestName = ".hindsight-build"

const manifestHeader = "# hindsight build manifest v1: files written by `hindsight build`; other files here are left alone"

// Stats summarises a Write.
type Stats struct {
	// Pages counts the files written.
	Pages int
	// Postmortems counts the published postmortems.
	Postmortems int
	// Kept lists the files in the output folder hindsight did not create
	// and carried over.
	Kept []string
	// Shadowed lists generated paths not written because a file of the
	// user's has that path.
	Shadowed []string
	Bytes    int64
	Elapsed  time.Duration
	// Notes are remarks for the build summary (Site.BuildNotes).
	Notes []string
}

// Write renders s into out atomically: everything goes into a temporary
// folder beside out, which then replaces out. A failure leaves out as it
// was. Files in out that hindsight did not write (per out's manifest) are
// carried over and never deleted.
func Write(ctx context.Context, s *Site, out string, opts Options) (Stats, error) {
	return write(ctx, s, s.RenderAll, out, opts)
}

// write is Write with the pages of renderAll (s.RenderAll but in tests).
func write(ctx context.Context, s *Site, renderAll func(context.Context, func(string, []byte) error) error, out string, opts Options) (Stats, error) {
	start := time.Now()
	st := Stats{Postmortems: len(s.Postmortems), Notes: s.BuildNotes()}
	if out == "" {
		out = s.Options.Out
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return st, err
	}
	out = abs
	if err := checkOut(s.Options.Root, out); err != nil {
		return st, err
	}
	old, exists, err := readManifest(out)
	if err != nil {
		return st, err
	}
	if exists && old == nil && !opts.Force {
		return st, fmt.Errorf("output folder %s is not empty and was not created by hindsight build; "+
			"choose another --out, empty it, or pass --force to build into it (its files are kept)", out)
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return st, fmt.Errorf("creating %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".hindsight-tmp-")
	if err != nil {
		return st, fmt.Errorf("creating a temporary folder beside %s: %w", out, err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	// MkdirTemp makes the folder 0700; the site is read by a web server
	// that may run as another user, like the files inside.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return st, err
	}
	// Every output file is written through a root on tmp: a route path
	// that climbs out of it is an error, never a write elsewhere.
	root, err := os.OpenRoot(tmp)
	if err != nil {
		return st, err
	}
	defer root.Close()
	// User files first: they win over generated files of the same path.
	user := map[string]bool{}
	if exists {
		kept, err := carryOver(out, tmp, old)
		if err != nil {
			return st, err
		}
		for _, k := range kept {
			user[k] = true
		}
		st.Kept = kept
	}
	var written []string
	var mu sync.Mutex
	od := &outDirs{root: root}
	defer od.close()
	var nbytes atomic.Int64
	writeOne := func(p string, b []byte) error {
		if user[p] {
			mu.Lock()
			st.Shadowed = append(st.Shadowed, p)
			mu.Unlock()
			return nil
		}
		if !fs.ValidPath(p) || p == "." {
			return fmt.Errorf("output path %q is not a clean relative path (no \"..\", no leading \"/\"); it comes from a file name or an id: rename it", p)
		}
		if err := od.write(filepath.FromSlash(p), b); err != nil {
			return err
		}
		nbytes.Add(int64(len(b)))
		mu.Lock()
		written = append(written, p)
		mu.Unlock()
		return nil
	}
	if s.index != nil {
		// However Write ends, the index stage is not left waiting for
		// postmortem pages (see planRelease).
		defer s.index.startTail()
	}
	err = renderAll(ctx, func(p string, b []byte) error {
		if err := writeOne(p, b); err != nil {
			return err
		}
		if s.release != nil {
			s.release.pageWritten(p) // a lean build's "release bodies" stage
		}
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("render: %w", err)
	}
	sort.Strings(written)
	sort.Strings(st.Shadowed)
	if err := writeManifest(root, written); err != nil {
		return st, err
	}
	od.close()
	if err := swap(tmp, out, exists); err != nil {
		return st, err
	}
	ok = true
	st.Pages = len(written)
	st.Bytes = nbytes.Load()
	st.Elapsed = time.Since(start)
	return st, nil
}

// outDirs writes the files of a site through the root on its temporary
// folder. It keeps a root open on every folder that holds folders
// (postmortems/, causes/, …), so that a page's folder is made, and its
// index.html written, by names relative to that parent instead of by
// resolving the whole path from the top each time.
type outDirs struct {
	root    *os.Root
	parents sync.Map // OS path → *os.Root
	made    sync.Map // OS path → true, for folders that exist
}

// write writes b to dst, an OS path relative to the root, making its
// folder first.
func (o *outDirs) write(dst string, b []byte) error {
	dir := filepath.Dir(dst)
	if dir == "." {
		return o.root.WriteFile(dst, b, 0o644)
	}
	parent, err := o.parent(filepath.Dir(dir))
	if err != nil {
		return err
	}
	name := filepath.Base(dir)
	if _, done := o.made.Load(dir); !done {
		if err := parent.Mkdir(name, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		o.made.Store(dir, true)
	}
	return parent.WriteFile(filepath.Join(name, filepath.Base(dst)), b, 0o644)
}

// parent returns a root on the folder dir, making it if needed.
func (o *outDirs) parent(dir string) (*os.Root, error) {
	if dir == "." {
		return o.root, nil
	}
	if r, ok := o.parents.Load(dir); ok {
		return r.(*os.Root), nil
	}
	if err := o.root.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r, err := o.root.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	if prev, loaded := o.parents.LoadOrStore(dir, r); loaded {
		r.Close()
		return prev.(*os.Root), nil
	}
	return r, nil
}

// close closes the roots of the parent folders.
func (o *outDirs) close() {
	o.parents.Range(func(k, r any) bool {
		r.(*os.Root).Close()
		o.parents.Delete(k)
		return true
	})
}

// checkOut refuses output folders whose replacement would destroy the
// knowledge base.
func checkOut(root, out string) error {
	root, _ = filepath.Abs(root)
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	o := out
	if r, err := filepath.EvalSymlinks(out); err == nil {
		o = r
	}
	switch {
	case withinDir(root, o):
		return fmt.Errorf("output folder %s is the knowledge base or contains it; choose an --out inside it such as %s", out, filepath.Join(root, "public"))
	case withinDir(o, filepath.Join(root, "content")):
		return fmt.Errorf("output folder %s is inside content/; choose an --out outside it such as %s", out, filepath.Join(root, "public"))
	case withinDir(o, filepath.Join(root, "themes")), withinDir(o, filepath.Join(root, ".git")):
		return fmt.Errorf("output folder %s is inside the knowledge base's themes/ or .git/; choose another --out", out)
	}
	return nil
}

// withinDir reports whether child is parent or inside it (lexically).
func withinDir(child, parent string) bool {
	rel, err := filepath.Rel(parent, child)
	return err == nil && (rel == "." || (!strings.HasPrefix(rel, ".."+string(filepath.Separator)) && rel != ".."))
}

// readManifest returns the files listed in out's manifest. exists is
// false when out is missing or empty; a nil list with exists means out
// has files but no manifest.
func readManifest(out string) (list map[string]bool, exists bool, err error) {
	ents, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("output folder %s: %w", out, err)
	}
	if len(ents) == 0 {
		return map[string]bool{}, true, nil
	}
	// Only a regular file is a manifest (a named pipe would block the
	// open; a symlink could lead anywhere).
	mf := filepath.Join(out, ManifestName)
	if st, err := os.Lstat(mf); errors.Is(err, fs.ErrNotExist) || err == nil && !st.Mode().IsRegular() {
		return nil, true, nil
	}
	f, err := os.Open(mf)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, true, nil
	}
	if err != nil {
		return nil, true, err
	}
	defer f.Close()
	list = map[string]bool{ManifestName: true}
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first {
			first = false
			if !strings.HasPrefix(line, "# hindsight build manifest") {
				return nil, true, nil
			}
			continue
		}
		if line != "" && !strings.HasPrefix(line, "#") {
			list[line] = true
		}
	}
	return list, true, sc.Err()
}

func writeManifest(root *os.Root, files []string) error {
	var b strings.Builder
	b.WriteString(manifestHeader)
	b.WriteByte('\n')
	for _, f := range files {
		b.WriteString(f)
		b.WriteByte('\n')
	}
	return root.WriteFile(ManifestName, []byte(b.String()), 0o644)
}

// carryOver links (or copies) every file of out that the manifest does
// not list into tmp, and returns their slash paths. Empty folders are kept
// too. With a nil manifest every file is the user's.
func carryOver(out, tmp string, manifest map[string]bool) ([]string, error) {
	// Folders that only exist for generated files are not recreated
	// (the new build makes those it needs); the user's own folders are,
	// even when empty.
	generated := map[string]bool{}
	for f := range manifest {
		for d := path.Dir(f); d != "." && !generated[d]; d = path.Dir(d) {
			generated[d] = true
		}
	}
	var kept []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if rel == "." {
			return nil
		}
		slash := filepath.ToSlash(rel)
		dst := filepath.Join(tmp, rel)
		if d.IsDir() {
			if generated[slash] {
				return nil
			}
			return os.MkdirAll(dst, 0o755)
		}
		if manifest[slash] {
			return nil
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			// The site is published as it is: a link out of it would
			// publish what it points at.
			if filepath.IsAbs(target) || !withinDir(filepath.Join(filepath.Dir(p), target), out) {
				return fmt.Errorf("%s is a symlink to %s, outside the output folder, which would publish that file; remove it or replace it with a copy", p, target)
			}
			kept = append(kept, slash)
			return os.Symlink(target, dst)
		}
		if err := os.Link(p, dst); err != nil {
			if err := copyFile(p, dst); err != nil {
				return err
			}
		}
		kept = append(kept, slash)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("keeping the files of %s that hindsight did not create: %w", out, err)
	}
	return kept, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	o, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(o, in); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}

// swap replaces out by tmp: out is renamed away, tmp renamed in, the old
// one deleted. If the second rename fails the old output is put back.
func swap(tmp, out string, exists bool) error {
	if !exists {
		_ = os.Remove(out) // an empty folder or nothing
		if err := os.Rename(tmp, out); err != nil {
			return fmt.Errorf("moving the new site into %s: %w", out, err)
		}
		return nil
	}
	old := tmp + ".old"
	if err := os.Rename(out, old); err != nil {
		return fmt.Errorf("moving the previous site %s aside: %w", out, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		if rerr := os.Rename(old, out); rerr != nil {
			return fmt.Errorf("moving the new site into %s: %v; the previous site is at %s", out, err, old)
		}
		return fmt.Errorf("moving the new site into %s: %w", out, err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("removing the previous site at %s: %w", old, err)
	}
	return nil
}
