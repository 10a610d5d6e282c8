package review

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"

	"github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/similar"
)

// cacheUse is the word-count cache during one review: the file read (in
// the background while the front matter loads), and for each postmortem
// of the population (by its index in Stream.pop) the hash of its file and
// either the counts the cache had for it or those counted now.
type cacheUse struct {
	root, key string
	done      chan struct{} // closed once the file is read
	// old is the cache file's content, nil when there is none or it was
	// ignored (why: ignored).
	old         *termCache
	ignored     error
	fingerprint string
	// By population index, set from the parsing goroutines (one index
	// each) and read once the load is over.
	hash  [][sha256.Size]byte
	hit   [][]byte // the cached pairs (table index, count): body skipped
	fresh [][]byte // the pairs counted now (term number, count)
	// nums are the analyzer's numbers of the table's terms, by table
	// index, once numbered is closed.
	nums     []int32
	numbered chan struct{}
	workers  int
}

// openCache starts reading the cache of the KB at root.
func openCache(root, key string) *cacheUse {
	c := &cacheUse{root: root, key: key, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		b, err := readCache(root)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				c.ignored = err
			}
			return
		}
		c.old, c.ignored = decodeCache(b)
	}()
	return c
}

// prepare waits for the file and readies the use of the cache for a
// population of n postmortems: the table's terms are numbered by a
// meanwhile (the model ignores a numbered term no postmortem has).
func (c *cacheUse) prepare(cfg *config.Config, n, workers int, a *analysis.English) {
	<-c.done
	c.fingerprint = cacheFingerprint(cfg, c.key)
	if c.old != nil && c.old.fingerprint != c.fingerprint {
		c.old, c.ignored = nil, fmt.Errorf("%w: written by another hindsight build or configuration", errCache)
	}
	c.hash = make([][sha256.Size]byte, n)
	c.hit = make([][]byte, n)
	c.fresh = make([][]byte, n)
	c.workers = workers
	c.numbered = make(chan struct{})
	go func() {
		defer close(c.numbered)
		if c.old != nil {
			c.nums = make([]int32, len(c.old.terms))
			for i, t := range c.old.terms {
				c.nums[i] = a.Number(t)
			}
		}
	}()
}

// skipBody is kb.Options.SkipBody: a changed file is parsed (and, when
// published, its hash kept); an unchanged one is skipped when it is not
// counted (a draft, an internal postmortem of a public build: only the
// changed files are checked) or when the cache has its counts.
func (s *Stream) skipBody(p *postmortem.Postmortem) bool {
	i, counted := s.at[p]
	if s.opts.Only(p.Path) {
		if counted && s.cache != nil {
			s.cache.hash[i] = sha256.Sum256(p.Source)
		}
		return false
	}
	if !counted {
		return true
	}
	return s.cache != nil && s.cache.lookup(i, p.Source)
}

// lookup keeps the hash of postmortem i's file src and reports whether
// the cache has its counts.
func (c *cacheUse) lookup(i int, src []byte) bool {
	h := sha256.Sum256(src)
	c.hash[i] = h
	if c.old == nil {
		return false
	}
	e, ok := c.old.entries[h]
	if ok {
		if e == nil {
			e = []byte{} // nil in hit means not from the cache
		}
		c.hit[i] = e
	}
	return ok
}

// counted keeps the counts of postmortem i, as Stream.count hands them to
// similar.Counts.FromFields, for the cache file.
func (c *cacheUse) counted(i int, terms []int32, tf [][3]int32) {
	b := make([]byte, 0, 4*len(terms)+1)
	for j, t := range terms {
		if k := tf[j][0]*3 + tf[j][1]; k > 0 {
			b = binary.AppendUvarint(binary.AppendUvarint(b, uint64(t)), uint64(k))
		}
	}
	c.fresh[i] = b
}

// apply hands the cached counts of the postmortems whose bodies were
// skipped to counts, their terms numbered as the analyzer numbers them.
func (c *cacheUse) apply(counts *similar.Counts) {
	<-c.numbered
	if c.old == nil {
		return
	}
	type scratch struct {
		terms []int32
		tf    [][3]int32
	}
	free := make(chan *scratch, c.workers)
	kb.Parallel(len(c.hit), c.workers, func(i int) {
		e := c.hit[i]
		if e == nil {
			return
		}
		var s *scratch
		select {
		case s = <-free:
		default:
			s = &scratch{}
		}
		s.terms, s.tf = s.terms[:0], s.tf[:0]
		eachPair(e, func(t, k int32) {
			s.terms = append(s.terms, c.nums[t])
			s.tf = append(s.tf, [3]int32{0, k, 0}) // FromFields weighs title words ×3: k is the sum
		})
		counts.FromFields(i, s.terms, s.tf)
		select {
		case free <- s:
		default:
		}
	})
}

// stale reports whether the cache file should be written again: there is
// none, or it lacks a file of the population, or has files it no longer
// has.
func (c *cacheUse) stale() bool {
	if c.old == nil {
		return true
	}
	seen := make(map[[sha256.Size]byte]bool, len(c.hash))
	for i, h := range c.hash {
		if c.hit[i] == nil && c.fresh[i] == nil {
			continue
		}
		if _, ok := c.old.entries[h]; !ok {
			return true
		}
		seen[h] = true
	}
	return len(seen) != len(c.old.entries)
}

// WriteCache updates the word-count cache of Options.CacheRoot after
// Finish, when it lacked what this review counted or held files the KB no
// longer has (a review that counted nothing writes nothing). The file
// then holds the counts of every published postmortem of this KB.
func (s *Stream) WriteCache() error {
	c := s.cache
	if c == nil || c.hash == nil {
		return nil
	}
	<-c.numbered
	if !c.stale() {
		return nil
	}
	numbered := s.a.Terms()
	w := &cacheWriter{seen: make(map[[sha256.Size]byte]bool, len(c.hash))}
	for i, h := range c.hash {
		switch {
		case c.hit[i] != nil:
			w.add(h, numbered, func(fn func(t, k int32)) {
				eachPair(c.hit[i], func(t, k int32) { fn(c.nums[t], k) })
			})
		case c.fresh[i] != nil:
			w.add(h, numbered, func(fn func(t, k int32)) { eachPair(c.fresh[i], fn) })
		}
	}
	return writeCache(c.root, w.bytes(c.fingerprint))
}
