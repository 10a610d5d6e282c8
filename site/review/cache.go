package review

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// The word-count cache: for each published postmortem, by the SHA-256 of
// its file's bytes, the terms of its title and body with the counts the
// similarity model weighs them by (site/similar.Counts: a title word three
// times, a body word once). With it a review analyses only the files it
// has no counts for (the changed ones, on a CI runner that restored the
// cache), and leaves the bodies of the others unparsed (kb SkipBody).
//
// The file (CacheFile) is written whole, through an os.Root on the KB
// root, to a temporary file that is then renamed over the old one, so a
// reader sees the old cache or the new, never a mix; two reviews at once
// each write a complete cache and the last rename wins. It is untrusted
// input like the KB (a pull request may commit a .hindsight/ folder), so
// decodeCache checks every length against the bytes left before it
// allocates, and any fault, or a fingerprint of another hindsight,
// analyzer or parser configuration, makes the review ignore the whole
// file and count every file again (then write a good one).
//
// Layout (integers are uvarints, strings a uvarint length then bytes):
//
//	"hindsight review cache\n"
//	fingerprint                         string
//	terms: n, then n distinct terms     (the table entries refer to)
//	entries: n, then n of
//	    sha256 of the file              32 bytes, distinct
//	    pairs: m, then m (term index, count)  distinct indexes, counts ≥ 1
//
// and nothing after.

// CacheFile is where the cache is kept, relative to the KB root: next to
// the search index (search.Dir), in the folder `hindsight init` ignores.
const CacheFile = cacheFolder + "/review.cache"

// cacheFolder is the folder of CacheFile.
const cacheFolder = ".hindsight"

const (
	cacheMagic = "hindsight review cache\n"
	// cacheFormat is the version of the layout above and of what an
	// entry holds; change it when either changes.
	cacheFormat = "1"
	// maxCacheSize bounds the file read: about 1 KB per postmortem, so
	// room for well over 100,000.
	maxCacheSize = 512 << 20
	// maxCacheCount bounds the terms and the entries (files) a cache may
	// list; past it the cache is ignored and the review counts the words
	// itself.
	maxCacheCount = 1 << 22
	// maxCount bounds a term's count in one postmortem (a 64 MiB file of
	// one repeated word stays below it).
	maxCount = 1 << 28
)

// errCache marks a cache file that is not one this hindsight wrote.
var errCache = errors.New("not a valid review cache")

// termCache is a decoded, checked cache file.
type termCache struct {
	fingerprint string
	terms       []string
	// entries are the (term index, count) pairs of each file, by hash:
	// uvarints, checked by decodeCache.
	entries map[[sha256.Size]byte][]byte
}

// cacheFingerprint identifies what a file's cached counts depend on
// besides its bytes: the cache format, the analyzer (search.MappingVersion
// changes with it), the parser options the config gives, and key, the
// hindsight build (its version and commit, from the CLI).
func cacheFingerprint(cfg *config.Config, key string) string {
	po := kb.ParserOptions(cfg)
	loc := "UTC"
	if po.Location != nil {
		loc = po.Location.String()
	}
	h := sha256.New()
	for _, s := range []string{cacheFormat, search.MappingVersion, key, loc, strings.Join(po.TimelineSections, "\x00")} {
		h.Write(binary.AppendUvarint(nil, uint64(len(s))))
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cacheReader reads a cache file's uvarints and strings; the first fault
// sticks in err and every later read returns zero.
type cacheReader struct {
	b   []byte
	err error
}

func (r *cacheReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s at byte %d from the end", errCache, what, len(r.b))
	}
	r.b = nil
}

func (r *cacheReader) uvarint(what string) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail(what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a number of items each at least size bytes long, checked
// against the bytes left before anything is allocated for them.
func (r *cacheReader) count(what string, size int) int {
	v := r.uvarint(what)
	if r.err == nil && v > uint64(len(r.b)/size) {
		r.fail(what + " larger than the file")
		return 0
	}
	return int(v)
}

func (r *cacheReader) bytes(what string, n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.b) {
		r.fail(what)
		return nil
	}
	b := r.b[:n:n]
	r.b = r.b[n:]
	return b
}

func (r *cacheReader) str(what string) string {
	return string(r.bytes(what, r.count(what+" length", 1)))
}

// decodeCache decodes and checks a cache file. The entries refer to b.
func decodeCache(b []byte) (*termCache, error) {
	if !bytes.HasPrefix(b, []byte(cacheMagic)) {
		return nil, fmt.Errorf("%w: no header", errCache)
	}
	r := &cacheReader{b: b[len(cacheMagic):]}
	c := &termCache{fingerprint: r.str("fingerprint")}
	// Nothing is sized from a count the file declares beyond a small
	// hint: a committed file could declare millions of terms to make the
	// review allocate gigabytes before reading one. The slices and maps
	// grow with what is actually read, at most maxCacheCount entries.
	n := r.count("terms", 2) // a term is a length and at least one byte
	if n > maxCacheCount {
		r.fail("too many terms")
		return nil, r.err
	}
	c.terms = make([]string, 0, min(n, 1<<16))
	seen := make(map[string]struct{}, min(n, 1<<16))
	for range n {
		t := r.str("term")
		if _, dup := seen[t]; dup && r.err == nil {
			r.fail("a term listed twice")
		}
		if r.err != nil {
			return nil, r.err
		}
		seen[t] = struct{}{}
		c.terms = append(c.terms, t)
	}
	// stamp[t] is 1 + the entry that last used term t: an entry naming a
	// term twice would count it twice.
	stamp := make([]int32, len(c.terms))
	n = r.count("entries", sha256.Size+1)
	if n > maxCacheCount {
		r.fail("too many entries")
		return nil, r.err
	}
	c.entries = make(map[[sha256.Size]byte][]byte, min(n, 1<<16))
	for e := range n {
		hb := r.bytes("hash", sha256.Size)
		if r.err != nil {
			return nil, r.err
		}
		h := [sha256.Size]byte(hb)
		if _, dup := c.entries[h]; dup {
			r.fail("a file listed twice")
		}
		m := r.count("pairs", 2)
		start := r.b
		for range m {
			t := r.uvarint("term index")
			k := r.uvarint("count")
			if r.err != nil {
				break
			}
			if t >= uint64(len(c.terms)) || k == 0 || k > maxCount || stamp[t] == int32(e)+1 {
				r.fail("a bad pair")
				break
			}
			stamp[t] = int32(e) + 1
		}
		if r.err != nil {
			return nil, r.err
		}
		c.entries[h] = start[: len(start)-len(r.b) : len(start)-len(r.b)]
	}
	if r.err == nil && len(r.b) > 0 {
		r.fail("bytes after the last entry")
	}
	if r.err != nil {
		return nil, r.err
	}
	return c, nil
}

// eachPair calls fn with the (term, count) pairs of an entry checked by
// decodeCache or encoded by countPairs.
func eachPair(b []byte, fn func(t, k int32)) {
	for len(b) > 0 {
		t, n := binary.Uvarint(b)
		b = b[n:]
		k, n := binary.Uvarint(b)
		b = b[n:]
		fn(int32(t), int32(k))
	}
}

// cacheWriter encodes a cache file: the terms in order of first use.
type cacheWriter struct {
	index   []int32 // by the analyzer's term number: 1 + table index, 0 unused
	terms   []string
	entries []byte
	n       int
	seen    map[[sha256.Size]byte]bool
	scratch []byte
}

// add appends the entry of the file hashed h, whose pairs are given by
// analyzer term numbers (all numbered: below len(numbered)).
func (w *cacheWriter) add(h [sha256.Size]byte, numbered []string, pairs func(fn func(t, k int32))) {
	if w.seen[h] {
		return
	}
	w.seen[h] = true
	if len(w.index) < len(numbered) {
		w.index = append(w.index, make([]int32, len(numbered)-len(w.index))...)
	}
	b, m := w.scratch[:0], 0
	pairs(func(t, k int32) {
		if w.index[t] == 0 {
			w.terms = append(w.terms, numbered[t])
			w.index[t] = int32(len(w.terms))
		}
		b = binary.AppendUvarint(binary.AppendUvarint(b, uint64(w.index[t]-1)), uint64(k))
		m++
	})
	w.entries = append(w.entries, h[:]...)
	w.entries = binary.AppendUvarint(w.entries, uint64(m))
	w.entries = append(w.entries, b...)
	w.scratch = b
	w.n++
}

// bytes returns the cache file.
func (w *cacheWriter) bytes(fingerprint string) []byte {
	size := len(cacheMagic) + len(fingerprint) + len(w.entries) + 30
	for _, t := range w.terms {
		size += len(t) + 2
	}
	b := make([]byte, 0, size)
	b = append(b, cacheMagic...)
	b = appendString(b, fingerprint)
	b = binary.AppendUvarint(b, uint64(len(w.terms)))
	for _, t := range w.terms {
		b = appendString(b, t)
	}
	b = binary.AppendUvarint(b, uint64(w.n))
	return append(b, w.entries...)
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// readCache reads the KB's cache file through kb.Dir, the one confined
// reader of a KB (a regular file inside it, opened without blocking), at
// most maxCacheSize bytes, from a real folder (realFolder). A missing
// file is fs.ErrNotExist.
func readCache(root string) ([]byte, error) {
	d, err := kb.OpenDir(root)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	if err := realFolder(d.FS()); err != nil {
		return nil, err
	}
	return d.ReadFile(CacheFile, maxCacheSize)
}

// realFolder checks that the cache's folder, when it exists, is a folder
// and not a symlink (which, inside the root, could point the cache at the
// KB's content): a cache is read only from where it can be written.
func realFolder(fsys fs.FS) error {
	fi, err := fs.Lstat(fsys, cacheFolder)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder (a symlink or a file)", cacheFolder)
	}
	return nil
}

// writeCache replaces the KB's cache file with b: written to a new
// temporary file in the same folder, then renamed over it, all through an
// os.Root on root.
func writeCache(root string, b []byte) error {
	r, err := os.OpenRoot(root)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := r.Mkdir(cacheFolder, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if err := realFolder(r.FS()); err != nil {
		return err
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := CacheFile + ".tmp-" + hex.EncodeToString(rnd[:])
	f, err := r.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = r.Rename(tmp, CacheFile)
	}
	if err != nil {
		_ = r.Remove(tmp)
	}
	return err
}
