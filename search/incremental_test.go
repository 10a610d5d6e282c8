package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"

	"github.com/hindsight-kb/hindsight/search/internal/store"
)

func TestIncrementalUpdate(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "idx")
	docs := fixtureDocs(t)
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := ix.Update(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	if st != (UpdateStats{Added: len(docs)}) {
		t.Errorf("cold: %+v", st)
	}
	ix.Close()

	// Reopen: nothing to do.
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	st, _ = ix.Update(ctx, docs)
	if st != (UpdateStats{Unchanged: len(docs)}) {
		t.Errorf("again: %+v", st)
	}
	// Edit one, delete one, add one.
	docs2 := append([]Doc(nil), docs...)
	docs2[0].Body += "\n\nA new paragraph about quokkas."
	removed := docs2[1].ID
	docs2 = append(docs2[:1], docs2[2:]...)
	extra := docs[0]
	extra.ID = "brand-new"
	extra.Path = "content/postmortems/brand-new.md"
	docs2 = append(docs2, extra)
	st, _ = ix.Update(ctx, docs2)
	if st != (UpdateStats{Added: 1, Updated: 1, Deleted: 1, Unchanged: len(docs) - 2}) {
		t.Errorf("edit/delete/add: %+v", st)
	}
	r, _ := ix.Search(ctx, "quokkas", SearchOptions{})
	if r.Total != 1 || r.Hits[0].ID != docs[0].ID {
		t.Errorf("edited doc not found: %+v", r)
	}
	for _, id := range ix.sortedIDs() {
		if id == removed {
			t.Errorf("%s still in the manifest", id)
		}
	}
	r, _ = ix.Search(ctx, "after:1900", SearchOptions{Limit: 100})
	if r.Total != len(docs2) {
		t.Errorf("total %d, want %d", r.Total, len(docs2))
	}
}

func TestMappingVersionRebuilds(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Update(ctx, fixtureDocs(t))
	// Pretend an older hindsight wrote it.
	ix.idx.SetInternal(keyManifest, store.EncodeManifest(store.Manifest{Version: "old", Docs: map[string]string{"x": "y"}}))
	ix.Close()
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Len() != 0 {
		t.Fatalf("outdated index kept %d docs", ix.Len())
	}
	n, _ := ix.idx.DocCount()
	if n != 0 {
		t.Fatalf("outdated index kept %d bleve docs", n)
	}
	st, _ := ix.Update(ctx, fixtureDocs(t))
	if st.Added != len(fixtureDocs(t)) {
		t.Errorf("rebuild: %+v", st)
	}
}

// TestSyncKB edits, adds, deletes and renames files of a KB copy and checks
// that SyncKB reads and re-indexes only what changed.
func TestSyncKB(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"writable", Options{}},
		{"read mostly", Options{ReadMostly: true}},
	} {
		t.Run(tc.name, func(t *testing.T) { testSyncKB(t, tc.opts) })
	}
}

func testSyncKB(t *testing.T, opts Options) {
	ctx := context.Background()
	root := t.TempDir()
	copyDir(t, fixtureRoot, root)
	cfg, _, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	o := DocOptionsFor(cfg, false, true)
	ix, err := Open(DefaultDir(root), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	sync := func() UpdateStats {
		t.Helper()
		st, err := ix.SyncKB(ctx, root, cfg, o)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := sync(); st != (UpdateStats{Added: 8, Parsed: 8}) {
		t.Errorf("cold: %+v", st)
	}
	if st := sync(); st != (UpdateStats{Unchanged: 8}) {
		t.Errorf("no change: %+v", st)
	}
	pm := func(p string) string { return filepath.Join(root, "content", "postmortems", p) }
	bump := func(p string) { // make sure the mtime moves
		t.Helper()
		later := time.Now().Add(2 * time.Second)
		os.Chtimes(p, later, later)
	}
	// Edit.
	b, _ := os.ReadFile(pm("2024/login-flood.md"))
	os.WriteFile(pm("2024/login-flood.md"), append(b, "\nThe wombat botnet.\n"...), 0o644)
	bump(pm("2024/login-flood.md"))
	if st := sync(); st != (UpdateStats{Updated: 1, Unchanged: 7, Parsed: 1}) {
		t.Errorf("edit: %+v", st)
	}
	if r, _ := ix.Search(ctx, "wombat", SearchOptions{}); r.Total != 1 {
		t.Errorf("edit not searchable")
	}
	// Touch without change: parsed, not re-indexed.
	bump(pm("2023/db-failover.md"))
	if st := sync(); st != (UpdateStats{Unchanged: 8, Parsed: 1}) {
		t.Errorf("touch: %+v", st)
	}
	// Add.
	os.WriteFile(pm("2024/new-one.md"), []byte("---\ntitle: Kangaroo outage\nseverity: SEV4\nstatus: published\ncategory: outage\nstarted: 2024-10-01T00:00:00Z\n---\n\n## Summary\n\nKangaroos.\n"), 0o644)
	if st := sync(); st != (UpdateStats{Added: 1, Unchanged: 8, Parsed: 1}) {
		t.Errorf("add: %+v", st)
	}
	// Rename a file with an id in its front matter: same document.
	os.Rename(pm("2024/s3-exports.md"), pm("2023/s3-exports-moved.md"))
	if st := sync(); st != (UpdateStats{Unchanged: 9, Parsed: 1}) {
		t.Errorf("rename (explicit id): %+v", st)
	}
	// Rename a file whose id is its name: a new document, the old one goes.
	os.Rename(pm("2024/new-one.md"), pm("2024/new-two.md"))
	if st := sync(); st != (UpdateStats{Added: 1, Deleted: 1, Unchanged: 8, Parsed: 1}) {
		t.Errorf("rename (id from name): %+v", st)
	}
	// Delete.
	os.Remove(pm("2024/mesh-ca.md"))
	if st := sync(); st != (UpdateStats{Deleted: 1, Unchanged: 8}) {
		t.Errorf("delete: %+v", st)
	}
	got := ix.sortedIDs()
	want := []string{"cert-expiry", "db-failover", "dns-draft", "login-flood", "new-two", "phishing-support", "ransomware-laptop", "s3-exports"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ids %v", got)
	}
	// Reopen from disk: the file cache survives.
	ix.Close()
	ix, err = Open(DefaultDir(root), opts)
	if err != nil {
		t.Fatal(err)
	}
	if st := sync(); st != (UpdateStats{Unchanged: 8}) {
		t.Errorf("reopen: %+v", st)
	}
	if ix.readOnly != opts.ReadMostly {
		t.Errorf("read-only after a sync without changes = %v, want %v", ix.readOnly, opts.ReadMostly)
	}
	// Snippets of documents indexed by an earlier process come from their
	// files (the moved one included).
	r, _ := ix.Search(ctx, "bucket policy", SearchOptions{})
	if r.Total != 1 || !strings.Contains(r.Hits[0].Snippet, "<mark>bucket</mark>") {
		t.Errorf("snippet after reopen: %+v", r.Hits)
	}
	// A config change re-reads every file but re-indexes only what it
	// changes (here: nothing, internal sections do not apply internally).
	os.WriteFile(filepath.Join(root, "hindsight.yaml"), []byte("title: Changed\ninternal_sections: [Internal Notes, Secret]\n"), 0o644)
	cfg, _, _ = config.Load(root)
	if st := sync(); st != (UpdateStats{Unchanged: 8, Parsed: 8}) {
		t.Errorf("config change: %+v", st)
	}
	// UpdateKB (what build uses) leaves a file cache SyncKB trusts.
	k := loadKB(t, root)
	if st, err := ix.UpdateKB(ctx, k, o); err != nil || st.Reindexed() != 0 {
		t.Errorf("UpdateKB: %+v %v", st, err)
	}
	if st := sync(); st != (UpdateStats{Unchanged: 8}) {
		t.Errorf("after UpdateKB: %+v", st)
	}
	// UpdateKB again after an edit re-indexes the edited file only (and
	// hashes only it).
	b, _ = os.ReadFile(pm("2023/cert-expiry.md"))
	os.WriteFile(pm("2023/cert-expiry.md"), append(b, "\nPlatypus.\n"...), 0o644)
	bump(pm("2023/cert-expiry.md"))
	k = loadKB(t, root)
	if st, err := ix.UpdateKB(ctx, k, o); err != nil || st != (UpdateStats{Updated: 1, Unchanged: 7}) {
		t.Errorf("UpdateKB after edit: %+v %v", st, err)
	}
	if r, _ := ix.Search(ctx, "platypus", SearchOptions{}); r.Total != 1 {
		t.Errorf("edit not searchable after UpdateKB")
	}
	// Update (docs from elsewhere) drops the file cache: the next sync
	// re-reads but re-indexes nothing.
	ix.Update(ctx, Docs(k.Postmortems, o))
	if st := sync(); st != (UpdateStats{Unchanged: 8, Parsed: 8}) {
		t.Errorf("after Update: %+v", st)
	}
}

func TestLockedIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	start := time.Now()
	_, err = Open(dir, Options{LockTimeout: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), ErrLocked.Error()) {
		t.Fatalf("second open: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("second open took %v", d)
	}
	// A read-mostly open waits for the writer too.
	if _, err := Open(dir, Options{LockTimeout: 200 * time.Millisecond, ReadMostly: true}); !errors.Is(err, ErrLocked) {
		t.Errorf("read-mostly open of a held index: %v, want ErrLocked", err)
	}
}

// TestReadMostly: an index opened ReadMostly shares its lock with other
// readers, writes nothing while nothing changed, and is reopened for
// writing by the first update that changes something.
func TestReadMostly(t *testing.T) {
	ctx := context.Background()
	root, cfg, o, ix := syncedCopy(t, fixtureRoot, Options{})
	ix.Close()
	a, err := Open(DefaultDir(root), Options{ReadMostly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { a.Close() }()
	b, err := Open(DefaultDir(root), Options{ReadMostly: true, LockTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("second read-only open: %v", err)
	}
	for _, ix := range []*Index{a, b} {
		if st, err := ix.SyncKB(ctx, root, cfg, o); err != nil || st != (UpdateStats{Unchanged: 8}) {
			t.Errorf("sync: %+v %v", st, err)
		}
		if r, err := ix.Search(ctx, "certificate", SearchOptions{}); err != nil || r.Total == 0 {
			t.Errorf("search: %+v %v", r, err)
		}
		if !ix.readOnly {
			t.Errorf("reopened for writing without a change")
		}
	}
	// An edit while b still holds its shared lock: a cannot write.
	p := filepath.Join(root, "content", "postmortems", "2024", "login-flood.md")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, append(data, "\nThe wombat botnet.\n"...), 0o644)
	later := time.Now().Add(2 * time.Second)
	os.Chtimes(p, later, later)
	a.cfg["bolt_timeout"] = "200ms"
	if _, err := a.SyncKB(ctx, root, cfg, o); !errors.Is(err, ErrLocked) {
		t.Errorf("sync while another reader holds the index: %v, want ErrLocked", err)
	}
	if r, err := a.Search(ctx, "certificate", SearchOptions{}); err != nil || r.Total == 0 {
		t.Errorf("search after a failed reopen: %+v %v", r, err)
	}
	b.Close()
	if st, err := a.SyncKB(ctx, root, cfg, o); err != nil || st != (UpdateStats{Updated: 1, Unchanged: 7, Parsed: 1}) {
		t.Errorf("sync after an edit: %+v %v", st, err)
	}
	if a.readOnly {
		t.Errorf("still read-only after writing")
	}
	if r, _ := a.Search(ctx, "wombat", SearchOptions{}); r.Total != 1 {
		t.Errorf("edit not searchable")
	}
}

// TestWalkPostmortems: the walk lists the postmortem files kb.Load reads
// (symlinked folders aside), sorted; a symlink out of the KB is left out.
func TestWalkPostmortems(t *testing.T) {
	root := t.TempDir()
	pm := filepath.Join(root, "content", "postmortems")
	write := func(rel, text string) { kbtest.WriteFile(t, pm, rel, text) }
	for i := range 600 { // more than one stat chunk
		write(fmt.Sprintf("2024/incident-%03d.md", i), strings.Repeat("x", i))
	}
	write("a.md", "top")
	write("b.markdown", "markdown")
	write("notes.txt", "not markdown")
	write(".hidden.md", "hidden")
	write("#lock.md", "emacs lock")
	write("_draft.md", "underscore")
	write("2023/x.md", "x")
	write("2023/x.md.d/y.md", "a folder named like a file") // folders listed in order are not sorted by path here
	write("2023/deep/er/z.md", "nested")
	write(".git/config.md", "hidden folder")
	write("_skip/w.md", "skipped folder")
	os.Symlink("a.md", filepath.Join(pm, "link.md"))
	kbtest.WriteFile(t, filepath.Dir(root), "outside.md", "outside the KB")
	os.Symlink(filepath.Join(filepath.Dir(root), "outside.md"), filepath.Join(pm, "out.md"))
	os.Symlink(filepath.Join(pm, "2023"), filepath.Join(pm, "linked-folder"))
	os.Symlink(filepath.Join(pm, "missing.md"), filepath.Join(pm, "dangling.md"))
	got := store.Walk(root)
	if len(got) != 600+6 {
		t.Errorf("%d files, want %d", len(got), 606)
	}
	for i := 1; i < len(got); i++ {
		if got[i-1].Rel >= got[i].Rel {
			t.Fatalf("not sorted: %s before %s", got[i-1].Rel, got[i].Rel)
		}
	}
	if g := store.Walk(t.TempDir()); len(g) != 0 {
		t.Errorf("no postmortems folder: %v", g)
	}
}

// TestBulkUpdate: a load of more documents than one batch takes goes
// through concurrent batches and a final one with the manifest; an update
// of a few afterwards changes only those.
func TestBulkUpdate(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	n := 2*bulkChunk(2100) + 100
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = Doc{ID: fmt.Sprintf("pm-%04d", i), Title: fmt.Sprintf("Incident %d", i), Severity: "SEV3", Status: "published", Category: "outage",
			Body: fmt.Sprintf("The word%d service failed. Common text.", i), URL: fmt.Sprintf("postmortems/pm-%04d/", i)}
	}
	if st, err := ix.Update(ctx, docs); err != nil || st != (UpdateStats{Added: n}) {
		t.Fatalf("bulk: %+v %v", st, err)
	}
	for _, i := range []int{0, n / 2, n - 1} {
		r, err := ix.Search(ctx, fmt.Sprintf("word%d", i), SearchOptions{})
		if err != nil || r.Total != 1 || r.Hits[0].ID != docs[i].ID {
			t.Errorf("word%d: %+v %v", i, r, err)
		}
	}
	if r, _ := ix.Search(ctx, "common", SearchOptions{}); r.Total != n {
		t.Errorf("common: %d hits, want %d", r.Total, n)
	}
	ix.Close()
	// The merge leaves one segment on disk, not the merged ones beside it
	// (the index at rest must stay about the size of the Markdown).
	if zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap")); len(zaps) != 1 {
		t.Errorf("after a bulk load the index has %d segment files, want 1: %v", len(zaps), zaps)
	}
	ix, err = Open(dir, Options{ReadMostly: true})
	if err != nil {
		t.Fatal(err)
	}
	if ix.Len() != n {
		t.Errorf("reopened: %d documents in the store.Manifest, want %d", ix.Len(), n)
	}
	docs[7].Body += " Edited."
	if st, err := ix.Update(ctx, docs[:n-1]); err != nil || st != (UpdateStats{Updated: 1, Deleted: 1, Unchanged: n - 2}) {
		t.Errorf("update: %+v %v", st, err)
	}
	if r, _ := ix.Search(ctx, "common", SearchOptions{}); r.Total != n-1 {
		t.Errorf("after update: %d hits, want %d", r.Total, n-1)
	}
}

// TestSyncKBCancelled checks that a cancelled sync stops before indexing
// (a server stopping during the first index of a large KB does not parse
// every file first) and that the next sync does the work.
func TestSyncKBCancelled(t *testing.T) {
	root := t.TempDir()
	copyDir(t, fixtureRoot, root)
	cfg, _, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	o := DocOptionsFor(cfg, false, true)
	ix, err := Open("", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if st, err := ix.SyncKB(ctx, root, cfg, o); !errors.Is(err, context.Canceled) || st.Parsed != 0 || ix.Len() != 0 {
		t.Errorf("cancelled sync: %+v, %v, %d documents", st, err, ix.Len())
	}
	if st, err := ix.SyncKB(context.Background(), root, cfg, o); err != nil || st.Added != 8 {
		t.Errorf("sync after a cancelled one: %+v, %v", st, err)
	}
}

// TestSyncKBInParts checks that a sync with a memory cap (MaxBatchDocs),
// which parses and indexes the files a part at a time, indexes what a
// sync in one go does, and that deletions still happen (with the last
// part).
func TestSyncKBInParts(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	copyDir(t, fixtureRoot, root)
	cfg, _, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	o := DocOptionsFor(cfg, false, true)
	whole, err := Open("", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Close()
	if _, err := whole.SyncKB(ctx, root, cfg, o); err != nil {
		t.Fatal(err)
	}
	parts, err := Open(filepath.Join(t.TempDir(), "idx"), Options{MaxBatchDocs: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer parts.Close()
	parts.syncPart = 3
	if st, err := parts.SyncKB(ctx, root, cfg, o); err != nil || st.Added != 8 || st.Parsed != 8 {
		t.Fatalf("sync in parts: %+v, %v", st, err)
	}
	if a, b := whole.sortedIDs(), parts.sortedIDs(); !reflect.DeepEqual(a, b) {
		t.Errorf("ids: in one go %v, in parts %v", a, b)
	}
	for _, q := range []string{"certificate", "database", "severity:SEV1"} {
		a, err1 := whole.Search(ctx, q, SearchOptions{Limit: 20})
		b, err2 := parts.Search(ctx, q, SearchOptions{Limit: 20})
		if err1 != nil || err2 != nil || !reflect.DeepEqual(ids(a), ids(b)) {
			t.Errorf("%q: in one go %v, in parts %v (%v, %v)", q, ids(a), ids(b), err1, err2)
		}
	}
	gone := parts.sortedIDs()[0]
	var file string
	for _, f := range store.List(mustDir(t, root)) {
		if data, _ := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Rel))); strings.Contains(string(data), "id: "+gone+"\n") {
			file = f.Rel
		}
	}
	if file == "" {
		t.Fatalf("no file with id %s", gone)
	}
	if err := os.Remove(filepath.Join(root, filepath.FromSlash(file))); err != nil {
		t.Fatal(err)
	}
	if st, err := parts.SyncKB(ctx, root, cfg, o); err != nil || st.Deleted != 1 || slices.Contains(parts.sortedIDs(), gone) {
		t.Errorf("sync after a removal: %+v, %v, ids %v", st, err, parts.sortedIDs())
	}
}

func mustDir(t *testing.T, root string) *kb.Dir {
	t.Helper()
	d, err := kb.OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
