package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	banalysis "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	bolt "go.etcd.io/bbolt"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"

	"github.com/hindsight-kb/hindsight/search/analysis"

	"github.com/hindsight-kb/hindsight/search/internal/store"
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
	// ReadMostly opens an existing on-disk index read-only (a shared lock,
	// no background persister or merger) and reopens it for writing only
	// when an update has something to write. For short-lived processes
	// that usually find the index up to date (`hindsight search`): a
	// writable open costs a snapshot written to disk and an fsync.
	// Long-lived writers (serve, build) leave it false, so they hold the
	// lock from the start.
	ReadMostly bool
	// BulkWorkers is how many batches a bulk load (a cold index) builds
	// at once; 0 means max(2, GOMAXPROCS). Each batch being built holds
	// its documents' analysis: serve, which indexes in the background
	// beside a whole loaded site, sets 1 to keep its peak memory down.
	BulkWorkers int
	// MaxBatchDocs caps the documents of one batch of a bulk load (0:
	// bulkChunk's size, up to an eighth of the load), and makes SyncKB
	// parse and index the files in parts (syncPart), holding the
	// documents of one part at a time. A batch being built holds its
	// documents' analysis, ~90 KB a document: serve, which indexes beside
	// a whole loaded site, sets a small cap (more segments for scorch to
	// merge: memory, not speed).
	MaxBatchDocs int
	// Synonyms are the groups of words or phrases a query treats as one
	// (config.Search.Synonyms); nil means none.
	Synonyms [][]string
}

// Index is a bleve index of postmortems plus a manifest of the content
// hash of every indexed document, so updates touch only what changed. It
// is safe for concurrent use.
type Index struct {
	idx bleve.Index
	dir string
	loc *time.Location
	an  banalysis.Analyzer
	// cfg is the bleve runtime configuration of an on-disk index;
	// readOnly is true while it is open read-only (Options.ReadMostly).
	cfg      map[string]interface{}
	readOnly bool
	// bulkWorkers is Options.BulkWorkers, defaulted; maxBatch is
	// Options.MaxBatchDocs; syncPart is the constant syncPart (smaller in
	// tests).
	bulkWorkers, maxBatch, syncPart int
	// syn is Options.Synonyms, analysed (see newSynonyms).
	syn synonyms
	// idxMu guards idx, which is replaced when a read-only index is
	// reopened for writing: searches hold it for reading. Lock order: mu,
	// then idxMu, then dmu.
	idxMu sync.RWMutex
	// mu serialises updates and guards readOnly, man and manRaw.
	mu sync.Mutex
	// dmu guards bodies, filesRaw and src.
	dmu sync.Mutex
	// man is the manifest, decoded from manRaw on first use (see
	// manifestLocked): a search that finds nothing to update never needs it.
	man    *store.Manifest
	manRaw []byte
	// bodies holds the text of the documents given whole to this
	// process (Update, UpdateKB); filesRaw (the encoded file cache) and
	// src let bodiesOf read the others
	// from their files.
	bodies   map[string]string
	filesRaw []byte
	src      *fileSource
}

// fileSource is the KB SyncKB or UpdateKB last read.
type fileSource struct {
	dir *kb.Dir // the KB's confined reader; nil when its root cannot be opened
	cfg *config.Config
	o   DocOptions
}

// read returns the content of the postmortem file at path, read as
// kb.Load reads it (a regular file inside the KB, within max_file_size),
// and whether it is valid UTF-8.
func (src *fileSource) read(path string) ([]byte, bool) {
	if src.dir == nil {
		return nil, false
	}
	data, err := src.dir.ReadFile(path, src.cfg.MaxFileSize)
	return data, err == nil && utf8.Valid(data)
}

// bodiesOf returns the searchable text of documents, for snippets: the
// body is not stored in the index (that would add about 40%
// to its size), so it comes from the documents this process indexed or,
// for the others, from the postmortem files (parsed again, in parallel).
// A body neither is available for is "".
func (ix *Index) bodiesOf(ids []string) []string {
	out := make([]string, len(ids))
	paths := make([]string, len(ids))
	need := map[string]int{}
	ix.dmu.Lock()
	for i, id := range ids {
		if b, ok := ix.bodies[id]; ok {
			out[i] = b
		} else if id != "" {
			need[id] = i
		}
	}
	if len(need) > 0 && ix.filesRaw != nil {
		// One pass over the file cache for all of them.
		store.ScanFileCache(ix.filesRaw, func(_, _ int64, id, path []byte) bool {
			if i, ok := need[string(id)]; ok {
				paths[i] = string(path)
			}
			return true
		})
	}
	src := ix.src
	ix.dmu.Unlock()
	if src == nil {
		return out
	}
	kb.Parallel(len(ids), 0, func(i int) {
		if paths[i] != "" {
			out[i] = src.body(ids[i], paths[i])
		}
	})
	return out
}

// body reads the document id from the postmortem file at path ("" when
// the file no longer gives that document).
func (src *fileSource) body(id, path string) string {
	data, ok := src.read(path)
	if !ok {
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
	an, err := analysis.NewAnalyzer()
	if err != nil {
		return nil, err
	}
	ix := &Index{dir: dir, loc: loc, an: an, cfg: cfg, bodies: map[string]string{}, bulkWorkers: opts.BulkWorkers, maxBatch: opts.MaxBatchDocs, syncPart: syncPart}
	if ix.bulkWorkers <= 0 {
		ix.bulkWorkers = max(2, runtime.GOMAXPROCS(0))
	}
	ix.syn = newSynonyms(an, opts.Synonyms)
	if dir == "" {
		idx, err := bleve.NewUsing("", NewMapping(), scorch.Name, scorch.Name, nil)
		if err != nil {
			return nil, fmt.Errorf("creating in-memory search index: %w", err)
		}
		ix.idx = idx
		ix.man = &store.Manifest{Version: MappingVersion, Docs: map[string]string{}}
		return ix, nil
	}
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
		rc := cfg
		if opts.ReadMostly {
			rc = map[string]interface{}{"bolt_timeout": timeout.String(), "read_only": true}
		}
		idx, err := bleve.OpenUsing(dir, rc)
		if err != nil && isLockTimeout(err) {
			return nil, fmt.Errorf("%s: %w", dir, ErrLocked)
		}
		if err == nil {
			if raw, ok := readManifestRaw(idx); ok {
				ix.idx, ix.manRaw, ix.readOnly = idx, raw, opts.ReadMostly
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
	ix.man = &store.Manifest{Version: MappingVersion, Docs: map[string]string{}}
	if err := idx.SetInternal(keyManifest, store.EncodeManifest(*ix.man)); err != nil {
		idx.Close()
		return nil, fmt.Errorf("writing search index store.Manifest: %w", err)
	}
	return ix, nil
}

// readManifestRaw returns the encoded manifest of idx when it was written
// for this MappingVersion.
func readManifestRaw(idx bleve.Index) ([]byte, bool) {
	b, err := idx.GetInternal(keyManifest)
	if err != nil || b == nil {
		return nil, false
	}
	if v, _, ok := store.ManifestHeader(b); !ok || v != MappingVersion {
		return nil, false
	}
	return b, true
}

// manifestLocked returns the manifest, decoding it on first use; ix.mu is
// held.
func (ix *Index) manifestLocked() *store.Manifest {
	if ix.man == nil {
		m, ok := store.DecodeManifest(ix.manRaw)
		if !ok || m.Docs == nil {
			m = store.Manifest{Version: MappingVersion, Docs: map[string]string{}}
		}
		ix.man, ix.manRaw = &m, nil
	}
	return ix.man
}

// manifestLenLocked is len(manifestLocked().Docs) without decoding it.
func (ix *Index) manifestLenLocked() int {
	if ix.man != nil {
		return len(ix.man.Docs)
	}
	_, n, _ := store.ManifestHeader(ix.manRaw)
	return n
}

// writableLocked reopens a read-only index for writing (ix.mu is held).
// Another process may have updated the index in between: the manifest is
// read again, and the caller must recompute what to write. When the
// index cannot be reopened for writing, it stays open read-only and the
// error says why.
func (ix *Index) writableLocked() error {
	if !ix.readOnly {
		return nil
	}
	ix.idxMu.Lock()
	defer ix.idxMu.Unlock()
	if err := ix.idx.Close(); err != nil {
		return fmt.Errorf("closing search index %s: %w", ix.dir, err)
	}
	idx, err := bleve.OpenUsing(ix.dir, ix.cfg)
	if err == nil {
		if raw, ok := readManifestRaw(idx); ok {
			ix.idx, ix.readOnly = idx, false
			ix.man, ix.manRaw = nil, raw
			return nil
		}
		idx.Close()
		err = errors.New("another process rebuilt it for another version of hindsight; run the command again")
	} else if isLockTimeout(err) {
		err = ErrLocked
	}
	ro := map[string]interface{}{"read_only": true}
	for k, v := range ix.cfg {
		ro[k] = v
	}
	if idx, err2 := bleve.OpenUsing(ix.dir, ro); err2 == nil {
		ix.idx = idx
	} else {
		ix.idx = nil
	}
	return fmt.Errorf("opening search index %s for writing: %w", ix.dir, err)
}

func isLockTimeout(err error) bool {
	return errors.Is(err, bolt.ErrTimeout)
}

// Close releases the index (and its lock).
func (ix *Index) Close() error {
	ix.idxMu.Lock()
	defer ix.idxMu.Unlock()
	if ix.idx == nil {
		return nil
	}
	return ix.idx.Close()
}

// Len returns the number of indexed documents.
func (ix *Index) Len() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.manifestLenLocked()
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
	if err := ix.writableLocked(); err != nil {
		return UpdateStats{}, err
	}
	ix.dmu.Lock()
	for i := range changed {
		ix.bodies[changed[i].ID] = changed[i].Body
	}
	ix.filesRaw = nil
	ix.dmu.Unlock()
	st, err := ix.apply(ctx, changed, present, nil)
	if err == nil {
		ix.finishBulk(ctx, st)
		// The file cache of SyncKB no longer describes the index.
		_ = ix.idx.DeleteInternal(keyFiles)
	}
	return st, err
}

// bulkChunk returns the number of documents per bleve batch (each
// becomes one segment) when n documents are indexed: at least 1,000, and
// at most maxBulkSegments batches, because scorch starts merging in the
// background from ten segments on (work the final force-merge repeats).
// Index.bulkWorkers (Options.BulkWorkers) is how many batches are built at
// once: one batch at a time left a core idle while bleve built each
// segment. See docs/performance.md ("Search").
func bulkChunk(n int) int { return max(1000, (n+maxBulkSegments-1)/maxBulkSegments) }

const maxBulkSegments = 8

// plan compares docs and present with the manifest man: it returns the
// next manifest, the documents to index (new or changed), the ids to
// delete (sorted) and the counts.
func plan(man *store.Manifest, docs []Doc, present map[string]bool) (next store.Manifest, changed []*Doc, gone []string, st UpdateStats) {
	next = store.Manifest{Version: MappingVersion, Docs: make(map[string]string, len(present))}
	for id, h := range man.Docs {
		if present[id] {
			next.Docs[id] = h
		}
	}
	hashes := make([]string, len(docs))
	kb.Parallel(len(docs), 0, func(i int) { hashes[i] = docs[i].Hash() })
	for i := range docs {
		d := &docs[i]
		old, had := man.Docs[d.ID]
		if had && old == hashes[i] {
			st.Unchanged++
			continue
		}
		changed = append(changed, d)
		// A copy: the id may share the memory of its whole file's front
		// matter (the parser's), which the manifest would keep alive
		// (127 MB at 100k).
		next.Docs[strings.Clone(d.ID)] = hashes[i]
		if had {
			st.Updated++
		} else {
			st.Added++
		}
	}
	for id := range man.Docs {
		if !present[id] {
			gone = append(gone, id)
		}
	}
	sort.Strings(gone)
	st.Deleted = len(gone)
	return next, changed, gone, st
}

// apply indexes the docs whose hash changed and deletes every indexed id
// not in present.
//
// files, when not nil, is a new file cache written in the same batch (one
// fsync instead of two). The index must be writable (writableLocked) and
// ix.mu held. A bulk load indexes its documents in concurrent batches,
// then writes the deletions and the manifest: a crash before that leaves
// the old manifest, and the next update indexes the documents again.
func (ix *Index) apply(ctx context.Context, docs []Doc, present map[string]bool, files []byte) (UpdateStats, error) {
	man := ix.manifestLocked()
	next, changed, gone, st := plan(man, docs, present)
	if st.Added+st.Updated+st.Deleted == 0 && len(next.Docs) == len(man.Docs) {
		if files != nil {
			if err := ix.idx.SetInternal(keyFiles, files); err != nil {
				return st, err
			}
		}
		return st, nil
	}
	// The bodies of documents given whole (Update, UpdateKB) were kept by
	// the caller; those read from files (SyncListing) are read again for
	// snippets (bodiesOf), not held.
	ix.dmu.Lock()
	for _, id := range gone {
		delete(ix.bodies, id)
	}
	ix.dmu.Unlock()
	fill := func(b *bleve.Batch, docs []*Doc) error {
		for _, d := range docs {
			if err := b.Index(d.ID, toIndexDoc(d)); err != nil {
				return fmt.Errorf("indexing %s: %w", d.ID, err)
			}
		}
		return nil
	}
	// A bulk load: every chunk, ix.bulkWorkers batches at a time, then the
	// deletions and the manifest. Fewer documents go into the final batch
	// with them (one fsync).
	size := bulkChunk(len(changed))
	if ix.maxBatch > 0 {
		size = min(size, ix.maxBatch)
	}
	last := 0
	var chunks [][]*Doc
	if len(changed) > size {
		last = len(changed)
		for k := 0; k < last; k += size {
			chunks = append(chunks, changed[k:min(k+size, last)])
		}
	}
	errs := make([]error, len(chunks))
	kb.Parallel(len(chunks), ix.bulkWorkers, func(i int) {
		if ctx.Err() != nil {
			errs[i] = ctx.Err()
			return
		}
		b := ix.idx.NewBatch()
		if errs[i] = fill(b, chunks[i]); errs[i] == nil {
			errs[i] = ix.idx.Batch(b)
		}
	})
	for _, err := range errs {
		if err != nil {
			return st, fmt.Errorf("updating search index: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	batch := ix.idx.NewBatch()
	if err := fill(batch, changed[last:]); err != nil {
		return st, err
	}
	for _, id := range gone {
		batch.Delete(id)
	}
	batch.SetInternal(keyManifest, store.EncodeManifest(next))
	if files != nil {
		batch.SetInternal(keyFiles, files)
	}
	if err := ix.idx.Batch(batch); err != nil {
		return st, fmt.Errorf("updating search index: %w", err)
	}
	ix.man = &next
	return st, nil
}

// finishBulk merges the on-disk index into one segment (compact) once an
// update (re)indexed compactAfter documents or more; ix.mu is held.
func (ix *Index) finishBulk(ctx context.Context, st UpdateStats) {
	if ix.dir != "" && ix.man != nil && st.Added+st.Updated >= compactAfter {
		ix.compact(ctx, *ix.man)
	}
}

// add returns the sum of two updates' counts.
func (s UpdateStats) add(o UpdateStats) UpdateStats {
	return UpdateStats{Added: s.Added + o.Added, Updated: s.Updated + o.Updated, Deleted: s.Deleted + o.Deleted,
		Unchanged: s.Unchanged + o.Unchanged, Parsed: s.Parsed + o.Parsed}
}

// compact merges the index's segments into one after a bulk load (which
// leaves many), so the index on disk is compact and queries touch one
// segment. next is the manifest just written. Errors are ignored: the
// index stays correct, only bigger.
func (ix *Index) compact(ctx context.Context, next store.Manifest) {
	if ai, err := ix.idx.Advanced(); err == nil {
		if sc, ok := ai.(*scorch.Scorch); ok {
			_ = sc.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions)
			// Scorch keeps the snapshot before the merge as a
			// rollback point, and with it the merged segments' files
			// (twice the index on disk) until the next write. Write
			// the manifest once more, so the persister drops them now.
			b := ix.idx.NewBatch()
			b.SetInternal(keyManifest, store.EncodeManifest(next))
			_ = ix.idx.Batch(b)
		}
	}
}
