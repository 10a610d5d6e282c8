package store

import (
	"io/fs"
	"runtime"
	"sort"
	"sync"

	"github.com/hindsight-kb/hindsight/site/kb"
)

// File is a postmortem file seen by List: its path relative to the KB
// (slash-separated), size and modification time (Unix nanoseconds).
type File struct {
	Rel  string
	Size int64
	MT   int64
}

// Walk lists the postmortem files of the KB at root with their
// sizes and modification times, sorted by path (see List).
func Walk(root string) []File {
	d, err := kb.OpenDir(root)
	if err != nil {
		return nil
	}
	defer d.Close()
	return List(d)
}

// List lists the postmortem files under content/postmortems/
// of d with their sizes and modification times, sorted by path: the
// Markdown files kb.Load reads, under the same rule (kb.Dir: regular
// files inside the KB; a symlink to a file is followed if it stays
// inside), except that symlinked folders are not followed. What kb.Load
// reports as a problem (a symlink out, a named pipe) is left out. Folders
// are read in parallel.
func List(d *kb.Dir) []File {
	var mu sync.Mutex
	var files []File
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	var visit func(rel string)
	visit = func(rel string) {
		defer wg.Done()
		sem <- struct{}{}
		ents, err := d.ReadDir(rel)
		var local []File
		var subdirs []string
		for _, e := range ents {
			name := e.Name()
			if kb.SkipName(name) {
				continue
			}
			r := rel + "/" + name
			if e.IsDir() {
				subdirs = append(subdirs, r)
				continue
			}
			if !kb.IsPostmortemPath(r) {
				continue
			}
			var info fs.FileInfo
			switch t := e.Type(); {
			case t&fs.ModeSymlink != 0:
				info, err = d.Stat(r)
			case t.IsRegular():
				// The entry's own information: it is no symlink.
				info, err = e.Info()
			default:
				continue
			}
			if err != nil || !info.Mode().IsRegular() {
				continue
			}
			local = append(local, File{r, info.Size(), info.ModTime().UnixNano()})
		}
		<-sem
		mu.Lock()
		files = append(files, local...)
		mu.Unlock()
		for _, s := range subdirs {
			wg.Add(1)
			go visit(s)
		}
	}
	wg.Add(1)
	go visit(kb.PostmortemsDir)
	wg.Wait()
	sort.Slice(files, func(i, j int) bool { return files[i].Rel < files[j].Rel })
	return files
}
