//go:build linux

package search

import (
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/hindsight-kb/hindsight/site/kb"
)

// walkPostmortems lists the postmortem files under root with their sizes
// and modification times, sorted by path (see walkPostmortemsPortable for
// the rules). On Linux it reads each folder with getdents and stats its
// Markdown files with fstatat relative to the folder, in chunks of
// statChunk files shared by 2×GOMAXPROCS goroutines: on a 10,000-file KB
// these stats are most of what `hindsight search` does when nothing
// changed, and a stat by name relative to an open folder skips resolving
// the whole path every time.
func walkPostmortems(root string) []found {
	const statChunk = 256
	type chunk struct {
		fd    int
		rel   string
		names []string
		out   *[]found
		wg    *sync.WaitGroup
	}
	type folder struct {
		rel   string
		files []found
	}
	var (
		mu      sync.Mutex
		folders []*folder
		jobs    = make(chan chunk, 64)
		pending sync.WaitGroup // folders and chunks not done yet
		workers sync.WaitGroup
	)
	var visit func(dir, rel string)
	// stat stats one chunk of a folder's names.
	stat := func(c chunk) {
		defer c.wg.Done()
		var st unix.Stat_t
		local := make([]found, 0, len(c.names))
		for _, name := range c.names {
			if err := unix.Fstatat(c.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
				continue
			}
			switch st.Mode & unix.S_IFMT {
			case unix.S_IFLNK:
				if unix.Fstatat(c.fd, name, &st, 0) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
					continue
				}
			case unix.S_IFREG:
			default:
				continue
			}
			local = append(local, found{c.rel + "/" + name, st.Size, st.Mtim.Nano()})
		}
		*c.out = local
	}
	// visit reads one folder, queues chunks of its Markdown files and
	// visits its subfolders.
	visit = func(dir, rel string) {
		defer pending.Done()
		fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return
		}
		names, dirs := readDir(fd)
		if names == nil && dirs == nil {
			unix.Close(fd)
			return
		}
		f := &folder{rel: rel}
		mu.Lock()
		folders = append(folders, f)
		mu.Unlock()
		var md []string
		for _, name := range names {
			if !kb.SkipName(name) && kb.IsPostmortemPath(rel+"/"+name) {
				md = append(md, name)
			}
		}
		sort.Strings(md)
		outs := make([][]found, (len(md)+statChunk-1)/statChunk)
		var wg sync.WaitGroup
		for i := range outs {
			wg.Add(1)
			jobs <- chunk{fd, rel, md[i*statChunk : min((i+1)*statChunk, len(md))], &outs[i], &wg}
		}
		for _, d := range dirs {
			if kb.SkipName(d) {
				continue
			}
			pending.Add(1)
			go visit(filepath.Join(dir, d), rel+"/"+d)
		}
		wg.Wait()
		unix.Close(fd)
		n := 0
		for _, o := range outs {
			n += len(o)
		}
		f.files = make([]found, 0, n)
		for _, o := range outs {
			f.files = append(f.files, o...)
		}
	}
	for range 2 * runtime.GOMAXPROCS(0) {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for c := range jobs {
				stat(c)
			}
		}()
	}
	pending.Add(1)
	go visit(filepath.Join(root, filepath.FromSlash(kb.PostmortemsDir)), kb.PostmortemsDir)
	pending.Wait()
	close(jobs)
	workers.Wait()
	sort.Slice(folders, func(i, j int) bool { return folders[i].rel < folders[j].rel })
	n := 0
	for _, f := range folders {
		n += len(f.files)
	}
	files := make([]found, 0, n)
	for _, f := range folders {
		files = append(files, f.files...)
	}
	// Folders in order, each sorted: the whole is sorted unless a folder
	// has both "x.md" and a subfolder "x.md…" (rare).
	for i := 1; i < len(files); i++ {
		if files[i-1].rel >= files[i].rel {
			sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
			break
		}
	}
	return files
}

// readDir returns the names of the entries of the open folder fd: names
// of files, symlinks and entries of unknown type, and dirs of folders (as
// getdents reports their type; symlinked folders are not followed).
func readDir(fd int) (names, dirs []string) {
	buf := make([]byte, 64<<10)
	for {
		n, err := unix.ReadDirent(fd, buf)
		if err != nil || n <= 0 {
			if names == nil {
				names = []string{}
			}
			return names, dirs
		}
		b := buf[:n]
		for len(b) >= 19 {
			// struct linux_dirent64 { u64 ino; s64 off; u16 reclen; u8 type; char name[]; }
			reclen := int(*(*uint16)(unsafe.Pointer(&b[16])))
			if reclen < 19 || reclen > len(b) {
				break
			}
			typ := b[18]
			nameb := b[19:reclen]
			for i, c := range nameb {
				if c == 0 {
					nameb = nameb[:i]
					break
				}
			}
			b = b[reclen:]
			name := string(nameb)
			if name == "." || name == ".." {
				continue
			}
			if typ == unix.DT_UNKNOWN {
				var st unix.Stat_t
				if unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFDIR {
					typ = unix.DT_DIR
				}
			}
			if typ == unix.DT_DIR {
				dirs = append(dirs, name)
			} else {
				names = append(names, name)
			}
		}
	}
}
