package kb

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// Dir reads the files of a folder (a knowledge base's root) through an
// os.Root: no path, ".." or symlink leads out of it, and only regular
// files are read. It is the one place that decides which files of a KB
// may be read; Load, Update, ReadAsset, the theme overrides and the
// search index all read through it.
type Dir struct {
	root *os.Root
	fsys fs.FS
	path string // as opened, to explain refused symlinks
}

// Errors a Dir returns (wrapped in an *fs.PathError naming the slash path
// relative to the folder). Their text says how to fix the file.
var (
	// ErrOutside is a symlink (to a file or a folder) whose target is
	// outside the folder.
	ErrOutside = errors.New("symlink points outside the knowledge base, which hindsight never reads; copy the file into the knowledge base instead of linking to it")
	// ErrAbsoluteLink is a symlink that leads back inside the folder by
	// way of an absolute target or a path through a folder outside it.
	ErrAbsoluteLink = errors.New("symlink target is an absolute path or goes through a folder outside the knowledge base, which hindsight does not follow; make it a relative link inside the knowledge base (ln -sr) or copy the file")
	// ErrHidden is a symlink into a hidden file or folder of the KB,
	// which the KB never reads (.git/config may hold credentials).
	ErrHidden = errors.New("symlink points into a hidden folder of the knowledge base (such as .git), which hindsight never reads; copy the file into the knowledge base instead of linking to it")
	// ErrNotRegular is a file that is neither a regular file nor a folder
	// (a named pipe, a device, a socket); a NotRegularError says which.
	ErrNotRegular = errors.New("not a regular file")
)

// NotRegularError is a file hindsight refuses to open because it is not a
// regular file: opening a named pipe or a device can block forever or
// have side effects.
type NotRegularError struct {
	Mode fs.FileMode
}

// Error says what kind of file it is and what to do.
func (e *NotRegularError) Error() string {
	kind := "special file"
	switch t := e.Mode.Type(); {
	case t&fs.ModeNamedPipe != 0:
		kind = "named pipe (FIFO)"
	case t&fs.ModeSocket != 0:
		kind = "socket"
	case t&fs.ModeCharDevice != 0:
		kind = "character device"
	case t&fs.ModeDevice != 0:
		kind = "device"
	}
	return fmt.Sprintf("file is a %s, not a regular file; hindsight reads only regular files: remove it or replace it with a regular file", kind)
}

// Is makes errors.Is(err, ErrNotRegular) true.
func (e *NotRegularError) Is(target error) bool { return target == ErrNotRegular }

// SizeError is a file larger than the limit it was read with.
type SizeError struct {
	Size, Max int64
}

// Error gives the size and the limit.
func (e *SizeError) Error() string {
	return fmt.Sprintf("file is %s, over the %s limit", HumanSize(e.Size), HumanSize(e.Max))
}

// OpenDir opens the folder at path for confined reading.
func OpenDir(path string) (*Dir, error) {
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	return &Dir{root: r, fsys: r.FS(), path: path}, nil
}

// Close closes the folder.
func (d *Dir) Close() error { return d.root.Close() }

// FS returns the folder as a file system (confined like the Dir; it does
// not check that files are regular: use Stat first).
func (d *Dir) FS() fs.FS { return d.fsys }

// Stat returns the file information of rel (a slash path relative to the
// folder), following symlinks that stay inside it. A symlink at rel that
// leads into a hidden file or folder (.git/) is ErrHidden.
func (d *Dir) Stat(rel string) (fs.FileInfo, error) {
	name := filepath.FromSlash(rel)
	st, err := d.root.Stat(name)
	if err != nil {
		return nil, d.explain(rel, err)
	}
	if lst, err := d.root.Lstat(name); err == nil && lst.Mode()&fs.ModeSymlink != 0 && d.intoHidden(rel) {
		return nil, &fs.PathError{Op: "read", Path: rel, Err: ErrHidden}
	}
	return st, nil
}

// intoHidden reports whether the path rel resolves to a path of the
// folder with a hidden part (a name starting with ".").
func (d *Dir) intoHidden(rel string) bool {
	base, err := filepath.EvalSymlinks(d.path)
	if err != nil {
		return false
	}
	real, err := filepath.EvalSymlinks(filepath.Join(d.path, filepath.FromSlash(rel)))
	if err != nil {
		return false
	}
	r, err := filepath.Rel(base, real)
	if err != nil {
		return false
	}
	for _, part := range strings.Split(filepath.ToSlash(r), "/") {
		if strings.HasPrefix(part, ".") && part != "." && part != ".." {
			return true
		}
	}
	return false
}

// ReadDir lists the folder rel, sorted by name.
func (d *Dir) ReadDir(rel string) ([]fs.DirEntry, error) {
	ents, err := fs.ReadDir(d.fsys, rel)
	if err != nil {
		return nil, d.explain(rel, err)
	}
	return ents, nil
}

// ReadFile returns the content of rel, which must be a regular file
// inside the folder of at most max bytes. It stats the file before
// opening it, so a named pipe or a device is never opened; one put in its
// place after the stat is opened without blocking (openFlags) and
// refused once fstat says what it is.
func (d *Dir) ReadFile(rel string, max int64) ([]byte, error) {
	return readIn(d.root, filepath.FromSlash(rel), rel, max, func(err error) error { return d.explain(rel, err) })
}

// readIn reads name in r as ReadFile does (rel names it in errors): stat,
// check, then openIn. explain turns the errors of r into the caller's.
func readIn(r *os.Root, name, rel string, max int64, explain func(error) error) ([]byte, error) {
	st, err := r.Stat(name)
	if err != nil {
		return nil, explain(err)
	}
	if err := checkFile(rel, st, max); err != nil {
		return nil, err
	}
	return openIn(r, name, rel, max, explain)
}

// maxFolders bounds the folders a folders cache keeps open.
const maxFolders = 256

// folders reads the files of a Dir during one Load or Update through a
// root opened on each file's folder, so that a read resolves the file's
// name alone rather than every folder of its path (a third of the cost
// of reading a postmortem). Whatever a folder's root refuses (a symlink
// to another folder, a missing file) is read again through the Dir,
// which decides. close must be called at the end of the Load or Update:
// a folder's root must not outlive it, since the folder may move.
type folders struct {
	d  *Dir
	mu sync.Mutex
	m  map[string]*os.Root // by slash path; nil when it cannot be opened
}

func newFolders(d *Dir) *folders { return &folders{d: d, m: map[string]*os.Root{}} }

// readFile is d.ReadFile.
func (f *folders) readFile(rel string, max int64) ([]byte, error) {
	dir, name := path.Split(rel)
	if r := f.root(dir); r != nil {
		if data, err := readIn(r, name, rel, max, func(err error) error { return err }); err == nil {
			return data, nil
		}
	}
	return f.d.ReadFile(rel, max)
}

// readListed is readFile for a file that the folder's listing gave as a
// regular file (not a symlink): that listing stands for the stat before
// the open. The file is opened non-blocking and checked on the open file
// (fstat: type and size) before it is read, so a file swapped for a named
// pipe after the listing is refused without blocking on it; a file
// swapped for a symlink is not followed (os.Root opens the last name with
// O_NOFOLLOW). Whatever fails goes through readFile, which stats first
// and gives the diagnostic.
func (f *folders) readListed(rel string, max int64) ([]byte, error) {
	dir, name := path.Split(rel)
	if r := f.root(dir); r != nil {
		if data, err := openIn(r, name, rel, max, func(err error) error { return err }); err == nil {
			return data, nil
		}
	}
	return f.readFile(rel, max)
}

// openIn opens name in r without blocking (openFlags), then checks the
// open file (fstat: a named pipe, a device or a folder put in place of
// a regular file is refused here, without waiting for a writer) and
// reads it. explain turns the errors of r into the caller's.
func openIn(r *os.Root, name, rel string, max int64, explain func(error) error) ([]byte, error) {
	f, err := r.OpenFile(name, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, explain(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: rel, Err: unwrapPath(err)}
	}
	if err := checkFile(rel, st, max); err != nil {
		return nil, err
	}
	data, err := readAll(f, st.Size(), max)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: rel, Err: unwrapPath(err)}
	}
	if int64(len(data)) > max {
		return nil, &fs.PathError{Op: "read", Path: rel, Err: &SizeError{Size: int64(len(data)), Max: max}}
	}
	return data, nil
}

// root returns the root of the folder dir (with a trailing slash), or nil.
func (f *folders) root(dir string) *os.Root {
	if dir == "" {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.m[dir]; ok {
		return r
	}
	if len(f.m) >= maxFolders {
		return nil
	}
	r, err := f.d.root.OpenRoot(filepath.FromSlash(strings.TrimSuffix(dir, "/")))
	if err != nil {
		r = nil
	}
	f.m[dir] = r
	return r
}

func (f *folders) close() {
	for _, r := range f.m {
		if r != nil {
			r.Close()
		}
	}
}

// checkFile refuses what ReadFile does not read: folders, special files,
// files over max bytes.
func checkFile(rel string, st fs.FileInfo, max int64) error {
	switch {
	case st.IsDir():
		return &fs.PathError{Op: "read", Path: rel, Err: errors.New("is a folder")}
	case !st.Mode().IsRegular():
		return &fs.PathError{Op: "read", Path: rel, Err: &NotRegularError{Mode: st.Mode()}}
	case st.Size() > max:
		return &fs.PathError{Op: "read", Path: rel, Err: &SizeError{Size: st.Size(), Max: max}}
	}
	return nil
}

// explain turns the error os.Root gives for rel into one that says why:
// a symlink that leaves the folder (ErrOutside) or has an absolute target
// (ErrAbsoluteLink). Other errors (missing, permission) are kept, with
// rel as their path.
func (d *Dir) explain(rel string, err error) error {
	inner := unwrapPath(err)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return &fs.PathError{Op: "read", Path: rel, Err: inner}
	}
	// os.Root refused the path, or failed on it for another reason:
	// resolve it outside the root, only to say which.
	base, berr := filepath.EvalSymlinks(d.path)
	real, rerr := filepath.EvalSymlinks(filepath.Join(d.path, filepath.FromSlash(rel)))
	switch {
	case berr != nil:
	case rerr != nil:
		if errors.Is(rerr, fs.ErrNotExist) {
			// A dangling symlink os.Root would not follow: its target
			// is absolute or leaves the folder.
			inner = ErrOutside
		}
	case !within(real, base):
		inner = ErrOutside
	default:
		inner = ErrAbsoluteLink
	}
	return &fs.PathError{Op: "read", Path: rel, Err: inner}
}

// within reports whether path is parent or inside it (both cleaned,
// absolute).
func within(path, parent string) bool {
	rel, err := filepath.Rel(parent, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// readAll reads r into a buffer of size bytes (the size stat gave): it
// stops once it holds size bytes (what the file held when it was
// stat'ed; a file written meanwhile is read again by serve's next event),
// or at the end of the file, growing the buffer only for a file that
// stat gave as empty (as some special file systems do); it stops once
// more than max bytes were read.
func readAll(r io.Reader, size, max int64) ([]byte, error) {
	// One byte more than the size, so that the read that reports the
	// end of the file does not need a larger buffer.
	data := make([]byte, 0, size+1)
	for {
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF || size > 0 && int64(len(data)) == size {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if int64(len(data)) > max {
			return data, nil
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}
