package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	bolt "go.etcd.io/bbolt"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// compactAfter is the number of (re)indexed documents after which an
// update merges the on-disk index into one segment.
const compactAfter = 1000

// Dir is where a KB keeps its search index, relative to the KB root.
const Dir = ".hindsight/search"

// DefaultDir returns the index folder of the KB at root.
func DefaultDir(root string) string { return filepath.Join(root, filepath.FromSlash(Dir)) }

// ErrLocked is returned by Open when another process (typically
// `hindsight serve` or `build`) holds the on-disk index.
var ErrLocked = errors.New("the search index is in use by another hindsight process")

// Options configure Open.
type Options struct {
	// Location is the timezone after:/before: dates are read in (the
	// config timezone); nil means UTC.
	Location *time.Location
	// LockTimeout is how long Open waits for another process's lock on an
	// on-disk index before failing with ErrLocked; 0 means one second.
	LockTimeout time.Duration
}

// Index is a bleve index of postmortems plus a manifest of the content
// hash of every indexed document, so updates touch only what changed. It
// is safe for concurrent use.
type Index struct {
	idx bleve.Index
	dir string
	loc *time.Location
	an  analysis.Analyzer
	// mu serialises updates and guards man, bodies, paths and src.
	mu  sync.Mutex
	man manifest
	// bodies holds the text of the documents indexed by this process;
	// paths and src let bodyOf read the others from their files.
	bodies map[string]string
	paths  map[string]string
	src    *fileSource
}

// fileSource is the KB SyncKB or UpdateKB last read.
type fileSource struct {
	root string
	cfg  *config.Config
	o    DocOptions
}

// bodyOf returns the searchable text of a document, for snippets and
// Similar: the body is not stored in the index (that would add about 40%
// to its size), so it comes from the documents this process indexed or,
// for the others, from the postmortem file (parsed again, one per hit).
// It returns "" when neither is available.
func (ix *Index) bodyOf(id string) string {
	ix.mu.Lock()
	b, ok := ix.bodies[id]
	path := ix.paths[id]
	src := ix.src
	ix.mu.Unlock()
	if ok || src == nil || path == "" {
		return b
	}
	data, err := os.ReadFile(filepath.Join(src.root, filepath.FromSlash(path)))
	if err != nil || !utf8.Valid(data) {
		return ""
	}
	ps := postmortem.NewParser(kb.ParserOptions(src.cfg))
	pm := ps.ParseFrontMatter(path, data)
	ps.ParseBody(pm, postmortem.BodyOptions{})
	d, ok := NewDoc(pm, src.o)
	if !ok || d.ID != id {
		return ""
	}
	return d.Body
}

// manifest is stored inside the index (bleve internal key), written in
// the same batch as the documents it describes.
type manifest struct {
	Version string            `json:"version"`
	Docs    map[string]string `json:"docs"` // id → content hash
}

var (
	keyManifest = []byte("hindsight:manifest")
	keyFiles    = []byte("hindsight:files")
)

// Open opens (or creates) the index in dir; dir "" makes a temporary
// in-memory index. An index written by another MappingVersion, or one that
// cannot be read, is deleted and recreated empty (the next Update fills
// it). When another process holds dir, Open waits opts.LockTimeout and
// returns an error wrapping ErrLocked; callers then fall back to an
// in-memory index (see the CLI).
func Open(dir string, opts Options) (*Index, error) {
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	timeout := opts.LockTimeout
	if timeout <= 0 {
		timeout = time.Second
	}
	cfg := map[string]interface{}{"bolt_timeout": timeout.String()}
	an, err := NewAnalyzer()
	if err != nil {
		return nil, err
	}
	ix := &Index{dir: dir, loc: loc, an: an, bodies: map[string]string{}, paths: map[string]string{}}
	if dir == "" {
		idx, err := bleve.NewUsing("", NewMapping(), scorch.Name, scorch.Name, nil)
		if err != nil {
			return nil, fmt.Errorf("creating in-memory search index: %w", err)
		}
		ix.idx = idx
		ix.man = manifest{Version: MappingVersion, Docs: map[string]string{}}
		return ix, nil
	}
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
		idx, err := bleve.OpenUsing(dir, cfg)
		if err != nil && isLockTimeout(err) {
			return nil, fmt.Errorf("%s: %w", dir, ErrLocked)
		}
		if err == nil {
			ix.idx = idx
			if m, ok := readManifest(idx); ok && m.Version == MappingVersion {
				ix.man = m
				return ix, nil
			}
			idx.Close()
		}
		// Old mapping or unreadable: start again.
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("removing outdated search index %s: %w", dir, err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("creating search index folder: %w", err)
	}
	idx, err := bleve.NewUsing(dir, NewMapping(), scorch.Name, scorch.Name, cfg)
	if err != nil {
		if isLockTimeout(err) {
			return nil, fmt.Errorf("%s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("creating search index %s: %w (delete the folder to start again)", dir, err)
	}
	ix.idx = idx
	ix.man = manifest{Version: MappingVersion, Docs: map[string]string{}}
	if err := idx.SetInternal(keyManifest, encodeManifest(ix.man)); err != nil {
		idx.Close()
		return nil, fmt.Errorf("writing search index manifest: %w", err)
	}
	return ix, nil
}

func isLockTimeout(err error) bool {
	return errors.Is(err, bolt.ErrTimeout)
}

func readManifest(idx bleve.Index) (manifest, bool) {
	b, err := idx.GetInternal(keyManifest)
	if err != nil || b == nil {
		return manifest{}, false
	}
	m, ok := decodeManifest(b)
	if !ok {
		return manifest{}, false
	}
	if m.Docs == nil {
		m.Docs = map[string]string{}
	}
	return m, true
}

// Close releases the index (and its lock).
func (ix *Index) Close() error { return ix.idx.Close() }

// Dir returns the index folder ("" in memory).
func (ix *Index) Dir() string { return ix.dir }

// Len returns the number of indexed documents.
func (ix *Index) Len() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return len(ix.man.Docs)
}

// UpdateStats counts what an update did.
type UpdateStats struct {
	// Added and Updated are documents (re)indexed; Deleted were removed;
	// Unchanged were skipped because their content hash matched.
	Added, Updated, Deleted, Unchanged int
	// Parsed is the number of files read and parsed (SyncKB only).
	Parsed int
}

// Reindexed returns Added+Updated.
func (s UpdateStats) Reindexed() int { return s.Added + s.Updated }

// Update makes the index hold exactly docs: new and changed documents
// (by content hash) are indexed, documents not in docs are deleted, the
// rest is left alone. Documents with an id already seen in docs are
// skipped.
func (ix *Index) Update(ctx context.Context, docs []Doc) (UpdateStats, error) {
	present := make(map[string]bool, len(docs))
	var changed []Doc
	for i := range docs {
		d := &docs[i]
		if present[d.ID] {
			continue
		}
		present[d.ID] = true
		changed = append(changed, *d)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for i := range changed {
		ix.bodies[changed[i].ID] = changed[i].Body
	}
	st, err := ix.apply(ctx, changed, present, nil)
	if err == nil {
		// The file cache of SyncKB no longer describes the index.
		_ = ix.idx.DeleteInternal(keyFiles)
	}
	return st, err
}

// apply indexes the docs whose hash changed and deletes every indexed id
// not in present.
//
// files, when not nil, is a new file cache written in the same batch (one
// fsync instead of two).
func (ix *Index) apply(ctx context.Context, docs []Doc, present map[string]bool, files []byte) (UpdateStats, error) {
	var st UpdateStats
	next := manifest{Version: MappingVersion, Docs: make(map[string]string, len(present))}
	for id, h := range ix.man.Docs {
		if present[id] {
			next.Docs[id] = h
		}
	}
	const chunk = 2000
	batch := ix.idx.NewBatch()
	flush := func(final bool) error {
		if final {
			batch.SetInternal(keyManifest, encodeManifest(next))
			if files != nil {
				batch.SetInternal(keyFiles, files)
			}
		}
		if batch.Size() == 0 && !final {
			return nil
		}
		if err := ix.idx.Batch(batch); err != nil {
			return fmt.Errorf("updating search index: %w", err)
		}
		batch.Reset()
		return nil
	}
	for i := range docs {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		d := &docs[i]
		h := d.Hash()
		old, had := ix.man.Docs[d.ID]
		if had && old == h {
			st.Unchanged++
			continue
		}
		if err := batch.Index(d.ID, toIndexDoc(d)); err != nil {
			return st, fmt.Errorf("indexing %s: %w", d.ID, err)
		}
		next.Docs[d.ID] = h
		ix.bodies[d.ID] = d.Body
		if had {
			st.Updated++
		} else {
			st.Added++
		}
		if batch.Size() >= chunk {
			if err := flush(false); err != nil {
				return st, err
			}
		}
	}
	var gone []string
	for id := range ix.man.Docs {
		if !present[id] {
			gone = append(gone, id)
		}
	}
	sort.Strings(gone)
	for _, id := range gone {
		batch.Delete(id)
		delete(ix.bodies, id)
		st.Deleted++
	}
	if st.Added+st.Updated+st.Deleted == 0 && len(next.Docs) == len(ix.man.Docs) {
		if files != nil {
			if err := ix.idx.SetInternal(keyFiles, files); err != nil {
				return st, err
			}
		}
		return st, nil
	}
	if err := flush(true); err != nil {
		return st, err
	}
	ix.man = next
	if ix.dir != "" && st.Added+st.Updated >= compactAfter {
		// A bulk load leaves many segments; merge them into one so the
		// index on disk is compact and queries touch one segment.
		if ai, err := ix.idx.Advanced(); err == nil {
			if sc, ok := ai.(*scorch.Scorch); ok {
				_ = sc.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions)
			}
		}
	}
	return st, nil
}
