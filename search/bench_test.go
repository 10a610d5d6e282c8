package search

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/kbtest"

	"github.com/hindsight-kb/hindsight/search/query"

	"github.com/hindsight-kb/hindsight/search/internal/store"
)

// Benchmarks run on a generated KB of 10,000 postmortems (site/kbgen,
// cached in the temporary folder). Numbers are in docs/performance.md.
const benchN = 10000

func benchKB(b *testing.B) (root string, docs []Doc) {
	b.Helper()
	root, err := kbgen.Cached(benchN, 1)
	if err != nil {
		b.Fatal(err)
	}
	k := loadKB(b, root)
	return root, Docs(k.Postmortems, DocOptionsFor(k.Config, false, true))
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// BenchmarkColdIndex: a new on-disk index of every document (batched).
func BenchmarkColdIndex(b *testing.B) {
	root, docs := benchKB(b)
	md := dirSize(filepath.Join(root, "content"))
	ctx := context.Background()
	var size int64
	c0 := kbtest.CPUTime()
	for b.Loop() {
		dir := filepath.Join(b.TempDir(), "idx")
		ix, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ix.Update(ctx, docs); err != nil {
			b.Fatal(err)
		}
		ix.Close()
		size = dirSize(dir)
	}
	b.ReportMetric((kbtest.CPUTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(size)/float64(md), "disk/markdown")
	b.ReportMetric(float64(size)/(1<<20), "MiB")
}

// BenchmarkColdSyncKB: what the first `hindsight search` does: read and
// parse every file, then index.
func BenchmarkColdSyncKB(b *testing.B) {
	root, _ := benchKB(b)
	cfg, _, _ := config.Load(root)
	ctx := context.Background()
	for b.Loop() {
		ix, err := Open(filepath.Join(b.TempDir(), "idx"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ix.SyncKB(ctx, root, cfg, DocOptionsFor(cfg, false, true)); err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkReindexOneChanged: Update with one changed document among all
// (what build does after an edit).
func BenchmarkReindexOneChanged(b *testing.B) {
	_, docs := benchKB(b)
	ctx := context.Background()
	ix, err := Open(filepath.Join(b.TempDir(), "idx"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	ix.Update(ctx, docs)
	i := 0
	c0 := kbtest.CPUTime()
	defer func() { b.ReportMetric(float64((kbtest.CPUTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/op") }()
	for b.Loop() {
		i++
		docs[i%len(docs)].Body += " edited"
		st, err := ix.Update(ctx, docs)
		if err != nil || st.Reindexed() != 1 {
			b.Fatalf("%+v %v", st, err)
		}
	}
}

// BenchmarkSyncKBOneChanged: one file edited on disk, then SyncKB (stat
// every file, parse one, re-index one) — the `hindsight search` path.
func BenchmarkSyncKBOneChanged(b *testing.B) {
	src, _ := benchKB(b)
	root, cfg, o, ix := syncedCopy(b, src, Options{})
	defer ix.Close()
	ctx := context.Background()
	var files []string
	filepath.WalkDir(filepath.Join(root, "content", "postmortems"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	i := 0
	c0 := kbtest.CPUTime()
	defer func() { b.ReportMetric(float64((kbtest.CPUTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/op") }()
	for b.Loop() {
		i++
		f := files[i%len(files)]
		data, _ := os.ReadFile(f)
		os.WriteFile(f, append(data, fmt.Sprintf("\nEdit %d.\n", i)...), 0o644)
		st, err := ix.SyncKB(ctx, root, cfg, o)
		if err != nil || st.Reindexed() != 1 || st.Parsed != 1 {
			b.Fatalf("%+v %v", st, err)
		}
	}
}

// BenchmarkQueryFiltersFacets: words, filters and facets in process; also
// reports the median of the measured runs.
func BenchmarkQueryFiltersFacets(b *testing.B) {
	_, docs := benchKB(b)
	ctx := context.Background()
	ix, err := Open(filepath.Join(b.TempDir(), "idx"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	ix.Update(ctx, docs)
	queries := []string{
		"certificate expired severity:SEV1,SEV2 after:2022",
		"database failover category:outage",
		`"rate limit" before:2025`,
		"credentials data:credentials",
	}
	var ds []time.Duration
	i := 0
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		t0 := time.Now()
		if _, err := ix.Search(ctx, q, SearchOptions{Limit: 10, Facets: true}); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
}

// BenchmarkCLISearch runs the built `hindsight search` binary end to end on
// the 10k KB with a warm index (nothing changed since the last run).
func BenchmarkCLISearch(b *testing.B) {
	src, _ := benchKB(b)
	root := b.TempDir()
	copyDir(b, src, root)
	bin := filepath.Join(b.TempDir(), "hindsight")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/hindsight").CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	var cpu time.Duration
	run := func() {
		cmd := exec.Command(bin, "--root", root, "search", "--facets", "certificate", "severity:SEV1,SEV2", "after:2022")
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "results for") {
			b.Fatalf("%v\n%s", err, out)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	run() // cold: builds the index
	cpu = 0
	var ds []time.Duration
	for b.Loop() {
		t0 := time.Now()
		run()
		ds = append(ds, time.Since(t0))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkUpdateKBOneChanged: build's path after an edit: documents from
// the loaded KB, files stat'ed, only the edited one hashed and re-indexed.
func BenchmarkUpdateKBOneChanged(b *testing.B) {
	src, _ := benchKB(b)
	root := b.TempDir()
	copyDir(b, src, root)
	k := loadKB(b, root)
	o := DocOptionsFor(k.Config, false, true)
	ctx := context.Background()
	ix, err := Open(DefaultDir(root), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.UpdateKB(ctx, k, o); err != nil {
		b.Fatal(err)
	}
	i := 0
	c0 := kbtest.CPUTime()
	defer func() { b.ReportMetric(float64((kbtest.CPUTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/op") }()
	for b.Loop() {
		i++
		p := k.Postmortems[i%len(k.Postmortems)]
		if len(p.Body.Sections) == 0 {
			continue
		}
		p.Body.Sections[0].Text += fmt.Sprintf(" edit %d", i)
		f := filepath.Join(root, filepath.FromSlash(p.Path))
		data, _ := os.ReadFile(f)
		os.WriteFile(f, append(data, fmt.Sprintf("\nEdit %d.\n", i)...), 0o644)
		st, err := ix.UpdateKB(ctx, k, o)
		if err != nil || st.Reindexed() > 1 {
			b.Fatalf("%+v %v", st, err)
		}
	}
}

// BenchmarkWarmSearch: what `hindsight search` does after process start
// when nothing changed, in process: list the files while the index opens
// read-only, compare them with the file cache, search with filters and
// facets (bodies for snippets read from the files), close. Phases are
// reported as p50s.
func BenchmarkWarmSearch(b *testing.B) {
	root, _ := benchKB(b)
	dir := filepath.Join(b.TempDir(), "idx")
	cfg, _, _ := config.Load(root)
	o := DocOptionsFor(cfg, false, true)
	ctx := context.Background()
	ix, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ix.SyncKB(ctx, root, cfg, o); err != nil {
		b.Fatal(err)
	}
	ix.Close()
	q, _ := query.Parse("certificate severity:SEV1,SEV2 after:2022")
	var open, sync, query, total []time.Duration
	c0 := kbtest.CPUTime()
	for b.Loop() {
		t0 := time.Now()
		l := ListKB(root)
		ix, err := Open(dir, Options{ReadMostly: true})
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		st, err := ix.SyncListing(ctx, l, cfg, o)
		if err != nil || st.Reindexed()+st.Deleted+st.Parsed != 0 {
			b.Fatalf("%+v %v", st, err)
		}
		t2 := time.Now()
		res, err := ix.SearchQuery(ctx, q, SearchOptions{Limit: 10, Facets: true})
		if err != nil || res.Total == 0 || res.Hits[0].Snippet == "" {
			b.Fatalf("%+v %v", res, err)
		}
		t3 := time.Now()
		ix.Close()
		open, sync, query = append(open, t1.Sub(t0)), append(sync, t2.Sub(t1)), append(query, t3.Sub(t2))
		total = append(total, time.Since(t0))
	}
	p50 := func(ds []time.Duration) float64 {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return float64(ds[len(ds)/2].Microseconds()) / 1000
	}
	b.ReportMetric(p50(open), "open-p50-ms")
	b.ReportMetric(p50(sync), "sync-p50-ms")
	b.ReportMetric(p50(query), "query-p50-ms")
	b.ReportMetric(p50(total), "p50-ms")
	b.ReportMetric(float64((kbtest.CPUTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkSyncKBOneChangedReadMostly: the whole `hindsight search` index
// path after one edit: open read-only, find the change, reopen for
// writing, re-index one document, close.
func BenchmarkSyncKBOneChangedReadMostly(b *testing.B) {
	src, _ := benchKB(b)
	root, cfg, o, ix := syncedCopy(b, src, Options{})
	ix.Close()
	ctx := context.Background()
	files := store.Walk(root)
	i := 0
	c0 := kbtest.CPUTime()
	defer func() { b.ReportMetric(float64((kbtest.CPUTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/op") }()
	for b.Loop() {
		i++
		f := filepath.Join(root, filepath.FromSlash(files[(i*7919)%len(files)].Rel))
		data, _ := os.ReadFile(f)
		os.WriteFile(f, append(data, fmt.Sprintf("\nEdit %d.\n", i)...), 0o644)
		ix, err := Open(DefaultDir(root), Options{ReadMostly: true})
		if err != nil {
			b.Fatal(err)
		}
		st, err := ix.SyncKB(ctx, root, cfg, o)
		if err != nil || st.Reindexed() != 1 || st.Parsed != 1 {
			b.Fatalf("%+v %v", st, err)
		}
		ix.Close()
	}
}
