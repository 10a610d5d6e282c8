package review

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// reviewJSON reviews the KB at dir (the files only selects) and returns
// the JSON report and the Stream; with cacheRoot it uses, then writes,
// the word-count cache there.
func reviewJSON(t testing.TB, dir string, only func(string) bool, cacheRoot string) (string, *Stream) {
	t.Helper()
	cfg, _, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := NewStream(Options{Only: only, Since: "main", Now: now, CacheRoot: cacheRoot, CacheKey: "test"})
	if err != nil {
		t.Fatal(err)
	}
	k, err := kb.Load(dir, cfg, st.KBOptions(kb.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := PrintJSON(&b, st.Finish(k)); err != nil {
		t.Fatal(err)
	}
	if cacheRoot != "" {
		if err := st.WriteCache(); err != nil {
			t.Fatal(err)
		}
	}
	return b.String(), st
}

// use counts, in a review done, the postmortems whose counts came from
// the cache and those counted by analysing their text.
func use(st *Stream) (hits, counted int) {
	if st.cache == nil {
		return 0, 0
	}
	for i := range st.cache.hit {
		if st.cache.hit[i] != nil {
			hits++
		}
		if st.cache.fresh[i] != nil {
			counted++
		}
	}
	return hits, counted
}

// sameWithCache reviews dir without a cache, then with a cache in a new
// folder twice (cold: it fills it; warm: it uses it), and fails unless
// the three reports are byte for byte the same and the warm one analysed
// only the changed files. It returns the cache folder and the report.
func sameWithCache(t *testing.T, dir string, only func(string) bool) (string, string) {
	t.Helper()
	want, st := reviewJSON(t, dir, only, "")
	if st.cache != nil {
		t.Fatal("a cache without CacheRoot")
	}
	cache := t.TempDir()
	cold, st := reviewJSON(t, dir, only, cache)
	if cold != want {
		t.Fatalf("cold cache: the report differs from the one without:\n%s\nwant:\n%s", cold, want)
	}
	if hits, _ := use(st); hits != 0 {
		t.Fatalf("cold cache: %d hits", hits)
	}
	warm, st := reviewJSON(t, dir, only, cache)
	if warm != want {
		t.Fatalf("warm cache: the report differs from the one without:\n%s\nwant:\n%s", warm, want)
	}
	if st.cache.hash != nil { // something was counted
		hits, counted := use(st)
		changed := 0
		for _, p := range st.pop {
			if only(p.Path) {
				changed++
			}
		}
		if counted != changed || hits != len(st.pop)-changed {
			t.Errorf("warm cache: %d counted, %d from the cache; want %d and %d", counted, hits, changed, len(st.pop)-changed)
		}
		if st.cache.stale() {
			t.Error("warm cache: a cache just written is stale")
		}
	}
	return cache, want
}

// TestCacheSame: on every review case, a warm cache and a cold one give
// the report a review without a cache gives.
func TestCacheSame(t *testing.T) {
	for _, name := range []string{"recurrence", "twin", "typo", "draft", "unchanged", "rename", "hostile"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir, changed, _ := gitRepo(t, name)
			cache, _ := sameWithCache(t, dir, func(p string) bool { return changed[p] })
			_, err := os.Stat(filepath.Join(cache, filepath.FromSlash(CacheFile)))
			if name == "unchanged" != errors.Is(err, os.ErrNotExist) {
				t.Errorf("cache file: %v (a review that counts nothing writes none, others do)", err)
			}
		})
	}
}

// TestCacheSameGenerated: the same on a generated KB of 1,000
// postmortems, and again once another file changed after the cache was
// written (its stale entry is not used, and the cache is rewritten).
func TestCacheSameGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("reviews a 1,000-postmortem KB six times")
	}
	dir := kbtest.Generate(t, 1000, 3)
	_, k := kbtest.Load(t, dir, kb.Options{DropBody: true})
	changed := k.Postmortems[len(k.Postmortems)/2].Path
	only := func(p string) bool { return p == changed }
	cache, want := sameWithCache(t, dir, only)
	if !strings.Contains(want, `"similar": [`+"\n") {
		t.Fatalf("the report has no similar incidents:\n%.2000s", want)
	}

	other := k.Postmortems[len(k.Postmortems)/3].Path
	p := filepath.Join(dir, filepath.FromSlash(other))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, "\nThe replica lagged behind the primary after the certificate rotation.\n"...)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	want, _ = reviewJSON(t, dir, only, "")
	got, st := reviewJSON(t, dir, only, cache)
	if got != want {
		t.Fatalf("after an edit of %s: the report with the cache differs:\n%s\nwant:\n%s", other, got, want)
	}
	if hits, counted := use(st); counted != 2 || hits != len(st.pop)-2 {
		t.Errorf("after an edit: %d counted, %d from the cache; want 2 and %d", counted, hits, len(st.pop)-2)
	}
	if _, st = reviewJSON(t, dir, only, cache); st.cache.stale() {
		t.Error("the cache was not rewritten with the edited file")
	}
}

// validCache returns a small KB, its selection, the report without a
// cache, and the bytes of its cache file.
func validCache(t *testing.T) (string, func(string) bool, string, []byte) {
	t.Helper()
	dir := kbtest.Generate(t, 60, 5)
	_, k := kbtest.Load(t, dir, kb.Options{DropBody: true})
	changed := k.Postmortems[7].Path
	only := func(p string) bool { return p == changed }
	cache, want := sameWithCache(t, dir, only)
	b, err := os.ReadFile(filepath.Join(cache, filepath.FromSlash(CacheFile)))
	if err != nil {
		t.Fatal(err)
	}
	return dir, only, want, b
}

// TestCacheHostile: a cache file that is damaged, hostile or of another
// build is ignored (the report is the one without a cache) and replaced
// by a good one.
func TestCacheHostile(t *testing.T) {
	dir, only, want, good := validCache(t)
	c, err := decodeCache(good)
	if err != nil {
		t.Fatalf("the cache written does not decode: %v", err)
	}
	if len(c.entries) < 40 {
		t.Fatalf("the cache holds %d files", len(c.entries))
	}
	header := len(cacheMagic)
	fpEnd := header + 1 + len(c.fingerprint) // the fingerprint's length is one byte
	uv := func(v uint64) string { return string(binary.AppendUvarint(nil, v)) }
	splice := func(at int, cut int, insert string) []byte {
		return []byte(string(good[:at]) + insert + string(good[at+cut:]))
	}
	// A hand-made file: the terms, then the entries' count and bytes.
	made := func(terms []string, n uint64, entries string) []byte {
		b := cacheMagic + uv(uint64(len(c.fingerprint))) + c.fingerprint + uv(uint64(len(terms)))
		for _, t := range terms {
			b += uv(uint64(len(t))) + t
		}
		return []byte(b + uv(n) + entries)
	}
	h := strings.Repeat("h", sha256.Size)
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"magic", append([]byte("hindsight review cache!"), good[header:]...)},
		{"fingerprint", splice(fpEnd-1, 1, "x")},
		{"truncated fingerprint", good[:fpEnd-3]},
		{"truncated terms", good[:fpEnd+5]},
		{"truncated in the middle", good[:len(good)/2]},
		{"truncated by one", good[:len(good)-1]},
		{"a byte more", append(append([]byte{}, good...), 0)},
		{"huge term count", splice(fpEnd, 0, uv(1<<62))},
		{"huge fingerprint length", splice(header, 1, uv(1<<62))},
		{"overlong uvarint", splice(header, 1, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01")},
		{"huge term length", []byte(cacheMagic + uv(uint64(len(c.fingerprint))) + c.fingerprint + uv(1) + uv(1<<40) + "a" + uv(0))},
		{"huge entry count", made([]string{"a"}, 1<<40, h+uv(1)+uv(0)+uv(1))},
		{"huge pair count", made([]string{"a"}, 1, h+uv(1<<40)+uv(0)+uv(1))},
		{"term out of range", made([]string{"a"}, 1, h+uv(1)+uv(1)+uv(1))},
		{"zero count", made([]string{"a"}, 1, h+uv(1)+uv(0)+uv(0))},
		{"huge count", made([]string{"a"}, 1, h+uv(1)+uv(0)+uv(maxCount+1))},
		{"term twice in an entry", made([]string{"a"}, 1, h+uv(2)+uv(0)+uv(1)+uv(0)+uv(1))},
		{"term listed twice", made([]string{"a", "a"}, 1, h+uv(1)+uv(0)+uv(1))},
		{"file listed twice", made([]string{"a"}, 2, h+uv(1)+uv(0)+uv(1)+h+uv(1)+uv(0)+uv(2))},
		{"short hash", made([]string{"a"}, 1, h[:20])},
		// A count the file's length allows, past maxCacheCount: refused
		// before anything is sized from it.
		{"more terms than maxCacheCount", append(splice(fpEnd, 0, uv(maxCacheCount+1)), make([]byte, 2*(maxCacheCount+1))...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cache := t.TempDir()
			p := filepath.Join(cache, filepath.FromSlash(CacheFile))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			got, st := reviewJSON(t, dir, only, cache)
			if got != want {
				t.Fatalf("the report differs from the one without a cache:\n%s", got)
			}
			if st.cache.old != nil || st.cache.ignored == nil {
				t.Errorf("the cache was used (ignored: %v)", st.cache.ignored)
			}
			if hits, _ := use(st); hits != 0 {
				t.Errorf("%d hits", hits)
			}
			b, err := os.ReadFile(p)
			if err != nil || !bytes.Equal(b, good) {
				t.Errorf("the cache was not replaced by a good one (%v)", err)
			}
		})
	}
}

// TestCacheNotAFile: a cache file or folder that is a symlink, a folder or
// too large is neither read nor written through.
func TestCacheNotAFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	dir, only, want, good := validCache(t)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "review.cache"), good, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, cache string)
		write bool // WriteCache succeeds
	}{
		{"file symlink", func(t *testing.T, cache string) {
			mkdir(t, cache, ".hindsight")
			symlink(t, filepath.Join(outside, "review.cache"), filepath.Join(cache, filepath.FromSlash(CacheFile)))
		}, true},
		{"folder symlink", func(t *testing.T, cache string) {
			symlink(t, outside, filepath.Join(cache, ".hindsight"))
		}, false},
		{"folder symlink inside", func(t *testing.T, cache string) {
			mkdir(t, cache, "elsewhere")
			if err := os.WriteFile(filepath.Join(cache, "elsewhere", "review.cache"), good, 0o644); err != nil {
				t.Fatal(err)
			}
			symlink(t, "elsewhere", filepath.Join(cache, ".hindsight"))
		}, false},
		{"a folder", func(t *testing.T, cache string) {
			mkdir(t, cache, filepath.FromSlash(CacheFile))
		}, false},
		{"too large", func(t *testing.T, cache string) {
			mkdir(t, cache, ".hindsight")
			f, err := os.Create(filepath.Join(cache, filepath.FromSlash(CacheFile)))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.Write(good); err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(maxCacheSize + 1); err != nil { // sparse
				t.Fatal(err)
			}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cache := t.TempDir()
			tt.setup(t, cache)
			cfg, _, err := config.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			st, err := NewStream(Options{Only: only, Since: "main", Now: now, CacheRoot: cache, CacheKey: "test"})
			if err != nil {
				t.Fatal(err)
			}
			k, err := kb.Load(dir, cfg, st.KBOptions(kb.Options{}))
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := PrintJSON(&b, st.Finish(k)); err != nil {
				t.Fatal(err)
			}
			if b.String() != want {
				t.Fatalf("the report differs from the one without a cache:\n%s", b.String())
			}
			if st.cache.old != nil || st.cache.ignored == nil {
				t.Errorf("the cache was used (ignored: %v)", st.cache.ignored)
			}
			if err := st.WriteCache(); (err == nil) != tt.write {
				t.Errorf("WriteCache: %v, want success %v", err, tt.write)
			}
			if b, err := os.ReadFile(filepath.Join(outside, "review.cache")); err != nil || !bytes.Equal(b, good) {
				t.Errorf("the file outside changed (%v)", err)
			}
			if ents, _ := os.ReadDir(outside); len(ents) != 1 {
				t.Errorf("%d files outside, want 1", len(ents))
			}
		})
	}
}

func mkdir(t *testing.T, root, rel string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(root, rel), 0o755); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// FuzzDecodeCache: decodeCache never panics, and what it accepts is what
// the review relies on (term indexes in the table, counts ≥ 1).
func FuzzDecodeCache(f *testing.F) {
	w := &cacheWriter{seen: map[[sha256.Size]byte]bool{}}
	numbered := []string{"failov", "replica", "lag", "certif"}
	w.add([sha256.Size]byte{1}, numbered, func(fn func(t, k int32)) { fn(0, 3); fn(2, 1) })
	w.add([sha256.Size]byte{2}, numbered, func(fn func(t, k int32)) { fn(3, 4); fn(1, 2); fn(2, 9) })
	w.add([sha256.Size]byte{3}, numbered, func(fn func(t, k int32)) {})
	good := w.bytes("fp")
	f.Add(good)
	f.Add(good[:len(good)-3])
	f.Add([]byte(cacheMagic + "\x02fp\x01\x01a\x01" + strings.Repeat("h", 32) + "\x01\x00\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCache(b)
		if err != nil {
			return
		}
		for _, e := range c.entries {
			eachPair(e, func(t0, k int32) {
				if t0 < 0 || int(t0) >= len(c.terms) || k < 1 || k > maxCount {
					t.Fatalf("accepted pair (%d, %d) with %d terms", t0, k, len(c.terms))
				}
			})
		}
	})
}

// TestCacheNoWords: a published postmortem with no word to count (a
// title of stop words, no body) is cached as an entry without terms, and
// that entry is used: its body is not parsed, its counts stay empty.
func TestCacheNoWords(t *testing.T) {
	dir, changed, _ := gitRepo(t, "twin")
	const path = "content/postmortems/2024/2024-01-01-it-was.md"
	kbtest.WriteFile(t, dir, path, "---\nid: 2024-01-01-it-was\ntitle: It was the\nseverity: SEV4\nstatus: published\n"+
		"category: outage\nstarted: 2024-01-01T09:00:00Z\nsystems: [dns]\nroot_causes: [unknown]\n---\n")
	cache, _ := sameWithCache(t, dir, func(p string) bool { return changed[p] })
	_, st := reviewJSON(t, dir, func(p string) bool { return changed[p] }, cache)
	for i, p := range st.pop {
		if p.Path == path {
			if e := st.cache.hit[i]; e == nil || len(e) != 0 {
				t.Errorf("%s: from the cache %v (nil: counted), want an entry without terms", path, e)
			}
			return
		}
	}
	t.Fatalf("%s is not in the population", path)
}
