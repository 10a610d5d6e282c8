// Package themes embeds the default theme and resolves a knowledge base's
// per-file overrides of it.
//
// A theme is a folder with layouts/ (html/template files) and static/
// (files copied to the site's assets/). A KB overrides any file of the
// default theme by placing the same relative path under
// themes/<name>/ at its root, where name is the config's theme key.
package themes

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/hindsight-kb/hindsight/site/kb"
)

//go:embed all:default
var defaultFS embed.FS

// Default returns the embedded default theme (layouts/, static/).
func Default() fs.FS {
	sub, err := fs.Sub(defaultFS, "default")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}

// Open returns the theme of a KB: the files under root/themes/name/
// laid over the default theme, file by file. A missing override folder
// gives the default theme alone.
//
// The override folder is untrusted: it is read through a kb.Dir on the KB
// root (an os.Root), so a symlink in it may lead anywhere inside the KB
// but not out of it. A symlink that leaves the KB, a named pipe or a
// device anywhere under the folder makes every file of the theme fail to
// open with an error naming it, so the build reports it.
func Open(root, name string) fs.FS {
	if name == "" {
		name = "default"
	}
	rel := "themes/" + name
	d, err := kb.OpenDir(root)
	if err != nil {
		return Default()
	}
	st, err := d.Stat(rel)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Default()
	case err == nil && !st.IsDir():
		return Default()
	case err == nil:
		err = checkTree(d, rel, 0)
	}
	if err != nil {
		return failed{err}
	}
	top, err := fs.Sub(d.FS(), rel)
	if err != nil {
		return failed{fmt.Errorf("theme %q: %w", name, err)}
	}
	return overlay{top: top, base: Default(), stat: func(name string) (fs.FileInfo, error) {
		return d.Stat(rel + "/" + name)
	}}
}

// maxDepth bounds the folders checkTree goes down (symlinked folders can
// loop).
const maxDepth = 32

// checkTree returns an error for the first file under rel that d refuses
// to read (a symlink out of the KB, a named pipe, a device).
func checkTree(d *kb.Dir, rel string, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%s: folders nested over %d deep (a symlink looping back?); remove the symlink", rel, maxDepth)
	}
	ents, err := d.ReadDir(rel)
	if err != nil {
		return err
	}
	for _, e := range ents {
		p := rel + "/" + e.Name()
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			st, err := d.Stat(p)
			if err != nil {
				return err
			}
			mode = st.Mode().Type()
		}
		switch {
		case mode.IsDir():
			if err := checkTree(d, p, depth+1); err != nil {
				return err
			}
		case !mode.IsRegular():
			return &fs.PathError{Op: "read", Path: p, Err: &kb.NotRegularError{Mode: mode}}
		}
	}
	return nil
}

// failed is a theme whose every file fails to open with err.
type failed struct{ err error }

func (f failed) Open(string) (fs.File, error) { return nil, f.err }

// Overlay returns a file system where a file of top hides the file of the
// same path in base. Directory listings are merged.
func Overlay(top, base fs.FS) fs.FS {
	return overlay{top: top, base: base, stat: func(name string) (fs.FileInfo, error) { return fs.Stat(top, name) }}
}

type overlay struct {
	top, base fs.FS
	stat      func(name string) (fs.FileInfo, error) // of top
}

// Open opens name from top, or from base when top does not have it. A
// file of top is stat-ed first and opened only if it is a regular file.
func (o overlay) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	st, err := o.stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist), err == nil && st.IsDir():
		return o.base.Open(name)
	case err != nil:
		return nil, err
	case !st.Mode().IsRegular():
		return nil, &fs.PathError{Op: "open", Path: name, Err: &kb.NotRegularError{Mode: st.Mode()}}
	}
	return o.top.Open(name)
}

// ReadDir merges the entries of top and base.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	a, errA := fs.ReadDir(o.top, name)
	b, errB := fs.ReadDir(o.base, name)
	if errA != nil && errB != nil {
		return nil, errB
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, e := range append(a, b...) {
		if !seen[e.Name()] {
			seen[e.Name()] = true
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// Files lists every regular file under dir of fsys (slash paths relative
// to fsys), sorted. A missing dir gives none.
func Files(fsys fs.FS, dir string) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipDir
			}
			return err
		}
		if !d.IsDir() && !skip(path.Base(p)) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// skip ignores editor leftovers and hidden files in theme folders.
func skip(name string) bool {
	return name == "" || name[0] == '.' || name[len(name)-1] == '~' || path.Ext(name) == ".swp"
}
