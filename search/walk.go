package search

import (
	"io/fs"
	"runtime"
	"sort"
	"sync"

	"github.com/hindsight-kb/hindsight/site/kb"
)

// found is a postmortem file seen by walkPostmortems.
type found struct {
	rel  string
	size int64
	mt   int64
}

// walkPostmortems lists the postmortem files of the KB at root with their
// sizes and modification times, sorted by path (see listPostmortems).
func walkPostmortems(root string) []found {
	d, err := kb.OpenDir(root)
	if err != nil {
		return nil
	}
	defer d.Close()
	return listPostmortems(d)
}

// listPostmortems lists the postmortem files under content/postmortems/
// of d with their sizes and modification times, sorted by path: the
// Markdown files kb.Load reads, under the same rule (kb.Dir: regular
// files inside the KB; a symlink to a file is followed if it stays
// inside), except that symlinked folders are not followed. What kb.Load
// reports as a problem (a symlink out, a named pipe) is left out. Folders
// are read in parallel.
func listPostmortems(d *kb.Dir) []found {
	var mu sync.Mutex
	var files []found
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	var visit func(rel string)
	visit = func(rel string) {
		defer wg.Done()
		sem <- struct{}{}
		ents, err := d.ReadDir(rel)
		var local []found
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
			local = append(local, found{r, info.Size(), info.ModTime().UnixNano()})
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
	sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
	return files
}
