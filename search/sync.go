package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// fileCache remembers, for every postmortem file, the size and
// modification time it had when it was last indexed and the document it
// produced, so SyncKB can skip files that did not change without reading
// them. It is stored inside the index next to the manifest.
type fileCache struct {
	// Config fingerprints everything besides the file that shapes its
	// document (config file, document options, mapping version).
	Config string               `json:"config"`
	Files  map[string]fileEntry `json:"files"`
}

type fileEntry struct {
	Size  int64  `json:"s"`
	MTime int64  `json:"m"`
	ID    string `json:"id,omitempty"` // "" when the file gives no document
}

func (ix *Index) readFileCache() fileCache {
	var fc fileCache
	if b, err := ix.idx.GetInternal(keyFiles); err == nil && b != nil {
		fc, _ = decodeFileCache(b)
	}
	if fc.Files == nil {
		fc.Files = map[string]fileEntry{}
	}
	return fc
}

// fingerprint identifies the configuration a file cache is valid for.
func fingerprint(root string, o DocOptions) string {
	h := sha256.New()
	if b, err := os.ReadFile(filepath.Join(root, config.FileName)); err == nil {
		h.Write(b)
	}
	loc := "UTC"
	if o.Location != nil {
		loc = o.Location.String()
	}
	b, _ := json.Marshal(struct {
		V                string
		Public, Drafts   bool
		InternalSections []string
		Loc              string
	}{MappingVersion, o.Public, o.Drafts, o.InternalSections, loc})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// SyncKB brings the index up to date with the postmortem files of the KB
// at root without loading the whole KB: it stats every file under
// content/postmortems/ and reads and parses only those whose size or
// modification time differ from the last SyncKB or UpdateKB (all of them
// the first time, or when the config file or o changed). Only documents
// whose content changed are re-indexed; documents of deleted files are
// removed. Files are found as kb.Load finds them, except that symlinked
// folders are not followed.
func (ix *Index) SyncKB(ctx context.Context, root string, cfg *config.Config, o DocOptions) (UpdateStats, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	fc := ix.readFileCache()
	fp := fingerprint(root, o)
	if fc.Config != fp {
		fc = fileCache{Config: fp, Files: map[string]fileEntry{}}
	}
	files := walkPostmortems(root)
	next := fileCache{Config: fp, Files: make(map[string]fileEntry, len(files))}
	present := map[string]bool{}
	var toParse []found
	unchanged := 0
	for _, f := range files {
		if e, ok := fc.Files[f.rel]; ok && e.Size == f.size && e.MTime == f.mt {
			next.Files[f.rel] = e
			if e.ID != "" {
				present[e.ID] = true
				unchanged++
			}
			continue
		}
		toParse = append(toParse, f)
	}
	ps := postmortem.NewParser(kb.ParserOptions(cfg))
	docs := make([]*Doc, len(toParse))
	kb.Parallel(len(toParse), 0, func(i int) {
		f := toParse[i]
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.rel)))
		if err != nil || int64(len(data)) > cfg.MaxFileSize || !utf8.Valid(data) {
			return
		}
		pm := ps.ParseFrontMatter(f.rel, data)
		ps.ParseBody(pm, postmortem.BodyOptions{})
		if d, ok := NewDoc(pm, o); ok {
			docs[i] = &d
		}
	})
	var changed []Doc
	for i, f := range toParse {
		e := fileEntry{Size: f.size, MTime: f.mt}
		if d := docs[i]; d != nil && !present[d.ID] {
			e.ID = d.ID
			present[d.ID] = true
			changed = append(changed, *d)
		}
		next.Files[f.rel] = e
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.src = &fileSource{root: root, cfg: cfg, o: o}
	for p, e := range next.Files {
		if e.ID != "" {
			ix.paths[e.ID] = p
		}
	}
	var cache []byte
	if len(toParse) > 0 || len(next.Files) != len(fc.Files) || fc.Config == "" {
		cache = encodeFileCache(next)
	}
	st, err := ix.apply(ctx, changed, present, cache)
	st.Unchanged += unchanged
	st.Parsed = len(toParse)
	return st, err
}

// UpdateKB indexes the postmortems of a loaded KB (as Update with
// Docs(k.Postmortems, o)) and records the files' sizes and modification
// times, so a later SyncKB (the `hindsight search` command) does not
// re-read them. Use it from `build`, which has the KB loaded anyway.
func (ix *Index) UpdateKB(ctx context.Context, k *kb.KB, o DocOptions) (UpdateStats, error) {
	docs := Docs(k.Postmortems, o)
	present := make(map[string]bool, len(docs))
	var uniq []Doc
	for _, d := range docs {
		if !present[d.ID] {
			present[d.ID] = true
			uniq = append(uniq, d)
		}
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.src = &fileSource{root: k.Root, cfg: k.Config, o: o}
	for _, d := range uniq {
		ix.paths[d.ID] = d.Path
		ix.bodies[d.ID] = d.Body
	}
	// Files whose size and mtime match the file cache were indexed from
	// this very content: skip hashing them (40 MB of text on 10k files).
	old := ix.readFileCache()
	fp := fingerprint(k.Root, o)
	trust := old.Config == fp
	byPath := map[string]string{}
	for _, d := range uniq {
		byPath[d.Path] = d.ID
	}
	fc := fileCache{Config: fp, Files: map[string]fileEntry{}}
	for _, p := range k.Postmortems {
		info, err := os.Stat(filepath.Join(k.Root, filepath.FromSlash(p.Path)))
		if err != nil {
			continue
		}
		fc.Files[p.Path] = fileEntry{Size: info.Size(), MTime: info.ModTime().UnixNano(), ID: byPath[p.Path]}
	}
	var changed []Doc
	skipped := 0
	for _, d := range uniq {
		e, ok := fc.Files[d.Path]
		if trust && ok {
			if oe, had := old.Files[d.Path]; had && oe == e && ix.man.Docs[d.ID] != "" {
				skipped++
				continue
			}
		}
		changed = append(changed, d)
	}
	st, err := ix.apply(ctx, changed, present, encodeFileCache(fc))
	st.Unchanged += skipped
	return st, err
}

// found is a postmortem file seen by walkPostmortems.
type found struct {
	rel  string
	size int64
	mt   int64
}

// walkPostmortems lists the postmortem files under root with their sizes
// and modification times, sorted by path. Folders are read in parallel:
// on a 10,000-file KB the lstat calls are most of the time `hindsight
// search` takes when nothing changed.
func walkPostmortems(root string) []found {
	base := filepath.Join(root, filepath.FromSlash(kb.PostmortemsDir))
	var mu sync.Mutex
	var files []found
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	var visit func(dir, rel string)
	visit = func(dir, rel string) {
		defer wg.Done()
		sem <- struct{}{}
		ents, err := os.ReadDir(dir)
		var local []found
		var subdirs []fs.DirEntry
		for _, e := range ents {
			name := e.Name()
			if kb.SkipName(name) {
				continue
			}
			if e.IsDir() {
				subdirs = append(subdirs, e)
				continue
			}
			r := rel + "/" + name
			if !kb.IsPostmortemPath(r) {
				continue
			}
			info, err := e.Info()
			if err != nil {
				continue
			}
			if info.Mode()&fs.ModeSymlink != 0 {
				if info, err = os.Stat(filepath.Join(dir, name)); err != nil || info.IsDir() {
					continue
				}
			}
			local = append(local, found{r, info.Size(), info.ModTime().UnixNano()})
		}
		<-sem
		if err != nil {
			return
		}
		mu.Lock()
		files = append(files, local...)
		mu.Unlock()
		for _, d := range subdirs {
			wg.Add(1)
			go visit(filepath.Join(dir, d.Name()), rel+"/"+d.Name())
		}
	}
	wg.Add(1)
	go visit(base, kb.PostmortemsDir)
	wg.Wait()
	sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
	return files
}

// sortedIDs returns the ids of the manifest, sorted (for tests and
// debugging).
func (ix *Index) sortedIDs() []string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ids := make([]string, 0, len(ix.man.Docs))
	for id := range ix.man.Docs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
