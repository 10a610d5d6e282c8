package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"sort"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"

	"github.com/hindsight-kb/hindsight/search/internal/store"
)

// readFileCacheLocked returns the file cache stored in the index, encoded
// (nil when there is none); ix.mu is held.
func (ix *Index) readFileCacheLocked() []byte {
	b, err := ix.idx.GetInternal(keyFiles)
	if err != nil {
		return nil
	}
	return b
}

// fingerprint identifies the configuration a file cache is valid for.
func fingerprint(root string, o DocOptions) string {
	h := sha256.New()
	if b, err := config.ReadFile(root); err == nil {
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
// folders are not followed. When nothing changed, nothing is written (and
// an index opened ReadMostly stays read-only).
func (ix *Index) SyncKB(ctx context.Context, root string, cfg *config.Config, o DocOptions) (UpdateStats, error) {
	return ix.SyncListing(ctx, ListKB(root), cfg, o)
}

// Listing is the list of postmortem files of a KB with their sizes and
// modification times, as SyncKB needs it; ListKB makes one in the
// background.
type Listing struct {
	root  string
	done  chan struct{}
	dir   *kb.Dir // nil when root cannot be opened
	files []store.File
}

// ListKB starts listing the postmortem files of the KB at root in the
// background (stat-ing 10,000 files takes tens of milliseconds), so the
// caller can open the index meanwhile and then call SyncListing.
func ListKB(root string) *Listing {
	l := &Listing{root: root, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		if d, err := kb.OpenDir(root); err == nil {
			l.dir, l.files = d, store.List(d)
		}
	}()
	return l
}

// SyncListing is SyncKB with the files listed by ListKB (which must not
// be older than the last change the caller wants to see).
func (ix *Index) SyncListing(ctx context.Context, l *Listing, cfg *config.Config, o DocOptions) (UpdateStats, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	<-l.done
	root, files := l.root, l.files
	fp := fingerprint(root, o)
	ps := postmortem.NewParser(kb.ParserOptions(cfg))
	src := &fileSource{dir: l.dir, cfg: cfg, o: o}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for {
		raw := ix.readFileCacheLocked()
		if n, ok := store.FileCacheMatches(raw, fp, files); ok && n == ix.manifestLenLocked() {
			// Nothing changed: nothing to decode, nothing to write.
			ix.dmu.Lock()
			ix.src, ix.filesRaw = src, raw
			ix.dmu.Unlock()
			return UpdateStats{Unchanged: n}, nil
		}
		fc, _ := store.DecodeFileCache(raw)
		valid := fc.Config == fp
		if !valid {
			fc = store.FileCache{Config: fp}
		}
		// Merge the sorted listing with the sorted cache.
		var toParse []int
		same := make([]int, len(files)) // index+1 into fc.Files, 0 when changed
		j, unchanged := 0, 0
		for i, f := range files {
			for j < len(fc.Files) && fc.Files[j].Path < f.Rel {
				j++
			}
			if j < len(fc.Files) && fc.Files[j].Path == f.Rel {
				if e := fc.Files[j]; e.Size == f.Size && e.MTime == f.MT {
					same[i] = j + 1
					if e.ID != "" {
						unchanged++
					}
					continue
				}
			}
			toParse = append(toParse, i)
		}
		if ix.readOnly {
			if err := ix.writableLocked(); err != nil {
				return UpdateStats{}, err
			}
			continue // the cache may have changed meanwhile
		}
		st, err := ix.indexFiles(ctx, &syncRun{files: files, same: same, fc: fc, fp: fp, valid: valid,
			toParse: toParse, src: src, raw: raw, ps: ps, o: o})
		if err != nil {
			return st, err
		}
		st.Unchanged += unchanged
		st.Parsed = len(toParse)
		return st, nil
	}
}

// syncPart is how many files a sync parses and indexes at a time when
// Options.MaxBatchDocs caps the memory of a bulk load (see indexFiles).
const syncPart = 5000

// syncRun is what SyncListing found: the files listed, those whose cache
// entry holds (same[i] is an index+1 into fc.Files, 0 when changed) and
// those to parse again.
type syncRun struct {
	files   []store.File
	same    []int
	fc      store.FileCache
	fp      string
	valid   bool
	toParse []int
	src     *fileSource
	raw     []byte
	ps      *postmortem.Parser
	o       DocOptions
}

// indexFiles parses the files of r.toParse and indexes their documents
// (the first file with an id wins); with Options.MaxBatchDocs, syncPart
// files at a time, so that a first sync of a large KB holds the
// documents of one part, not of all:
// the parts before the last delete nothing, and the last one writes the
// deletions, the manifest and the file cache (a crash in between leaves
// no file cache: the next sync parses every file again and indexes only
// what the manifest lacks). ix.mu is held and the index writable.
func (ix *Index) indexFiles(ctx context.Context, r *syncRun) (UpdateStats, error) {
	present := make(map[string]bool, len(r.files)) // the ids of the KB now
	next := store.FileCache{Config: r.fp, Files: make([]store.FileEntry, len(r.files))}
	for i := range r.files {
		if k := r.same[i]; k > 0 {
			next.Files[i] = r.fc.Files[k-1]
			if id := r.fc.Files[k-1].ID; id != "" {
				present[id] = true
			}
		}
	}
	ix.dmu.Lock()
	ix.src, ix.filesRaw = r.src, r.raw
	ix.dmu.Unlock()
	var keep map[string]bool // present, and every id indexed: for the parts before the last
	var total UpdateStats
	size := max(1, len(r.toParse)) // one part, but with a memory cap (MaxBatchDocs)
	if ix.maxBatch > 0 {
		size = ix.syncPart
	}
	for lo := 0; ; lo += size {
		part := r.toParse[lo:min(lo+size, len(r.toParse))]
		last := lo+size >= len(r.toParse)
		docs := make([]*Doc, len(part))
		kb.Parallel(len(part), 0, func(k int) {
			if ctx.Err() != nil {
				return // a stopping server: not every file of a large KB
			}
			docs[k] = r.parse(r.files[part[k]])
		})
		if err := ctx.Err(); err != nil {
			return total, err
		}
		var changed []Doc
		for k, i := range part {
			f := r.files[i]
			e := store.FileEntry{Path: f.Rel, Size: f.Size, MTime: f.MT}
			if d := docs[k]; d != nil && !present[d.ID] {
				e.ID = d.ID
				present[d.ID] = true
				changed = append(changed, *d)
			}
			next.Files[i] = e
		}
		ix.dmu.Lock()
		for i := range changed {
			// Snippets read the new version from its file.
			delete(ix.bodies, changed[i].ID)
		}
		ix.dmu.Unlock()
		if !last {
			if keep == nil {
				keep = maps.Clone(present)
				for id := range ix.manifestLocked().Docs {
					keep[id] = true
				}
			}
			for i := range changed {
				keep[changed[i].ID] = true
			}
			st, err := ix.apply(ctx, changed, keep, nil)
			total = total.add(st)
			if err != nil {
				return total, err
			}
			continue
		}
		var cache []byte
		if len(r.toParse) > 0 || len(next.Files) != len(r.fc.Files) || !r.valid || r.fc.Rewrite {
			cache = store.EncodeFileCache(next)
			ix.dmu.Lock()
			ix.filesRaw = cache
			ix.dmu.Unlock()
		}
		st, err := ix.apply(ctx, changed, present, cache)
		total = total.add(st)
		if err == nil {
			ix.finishBulk(ctx, total)
		}
		return total, err
	}
}

// parse reads and parses the postmortem file f into its document (nil
// when it gives none).
func (r *syncRun) parse(f store.File) *Doc {
	data, ok := r.src.read(f.Rel)
	if !ok {
		return nil
	}
	pm := r.ps.ParseFrontMatter(f.Rel, data)
	r.ps.ParseBody(pm, postmortem.BodyOptions{})
	if d, ok := NewDoc(pm, r.o); ok {
		return &d
	}
	return nil
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
	if err := ix.writableLocked(); err != nil {
		return UpdateStats{}, err
	}
	// Files whose size and mtime match the file cache were indexed from
	// this very content: skip hashing them (40 MB of text on 10k files).
	old, _ := store.DecodeFileCache(ix.readFileCacheLocked())
	fp := fingerprint(k.Root, o)
	trust := old.Config == fp
	byPath := make(map[string]string, len(uniq))
	for _, d := range uniq {
		byPath[d.Path] = d.ID
	}
	fc := store.FileCache{Config: fp, Files: make([]store.FileEntry, 0, len(k.Postmortems))}
	for _, p := range k.Postmortems {
		info, err := os.Stat(filepath.Join(k.Root, filepath.FromSlash(p.Path)))
		if err != nil {
			continue
		}
		fc.Files = append(fc.Files, store.FileEntry{Path: p.Path, Size: info.Size(), MTime: info.ModTime().UnixNano(), ID: byPath[p.Path]})
	}
	fc.SortFiles()
	enc := store.EncodeFileCache(fc)
	ix.dmu.Lock()
	src := &fileSource{cfg: k.Config, o: o}
	if d, err := kb.OpenDir(k.Root); err == nil {
		src.dir = d
	}
	ix.src, ix.filesRaw = src, enc
	for _, d := range uniq {
		ix.bodies[d.ID] = d.Body
	}
	ix.dmu.Unlock()
	cur := make(map[string]store.FileEntry, len(fc.Files))
	for _, e := range fc.Files {
		cur[e.Path] = e
	}
	prev := make(map[string]store.FileEntry, len(old.Files))
	if trust {
		for _, e := range old.Files {
			prev[e.Path] = e
		}
	}
	man := ix.manifestLocked()
	var changed []Doc
	skipped := 0
	for _, d := range uniq {
		if e, ok := cur[d.Path]; ok {
			if oe, had := prev[d.Path]; had && oe == e && man.Docs[d.ID] != "" {
				skipped++
				continue
			}
		}
		changed = append(changed, d)
	}
	st, err := ix.apply(ctx, changed, present, enc)
	if err == nil {
		ix.finishBulk(ctx, st)
	}
	st.Unchanged += skipped
	return st, err
}

// sortedIDs returns the ids of the manifest, sorted (for tests and
// debugging).
func (ix *Index) sortedIDs() []string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	man := ix.manifestLocked()
	ids := make([]string, 0, len(man.Docs))
	for id := range man.Docs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
