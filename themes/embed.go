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
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
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
func Open(root, name string) fs.FS {
	if name == "" {
		name = "default"
	}
	dir := filepath.Join(root, "themes", name)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return Default()
	}
	return Overlay(os.DirFS(dir), Default())
}

// Overlay returns a file system where a file of top hides the file of the
// same path in base. Directory listings are merged.
func Overlay(top, base fs.FS) fs.FS { return overlay{top, base} }

type overlay struct{ top, base fs.FS }

// Open opens name from top, or from base when top does not have it.
func (o overlay) Open(name string) (fs.File, error) {
	if f, err := o.top.Open(name); err == nil {
		st, serr := f.Stat()
		if serr == nil && !st.IsDir() {
			return f, nil
		}
		f.Close()
	}
	return o.base.Open(name)
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
