// The word lists of the typo retry and "did you mean" (index/w/,
// index/v/), and the counting of the spellings they read.

package static

import (
	"slices"
	"strconv"

	"github.com/blevesearch/go-porterstemmer"
	"github.com/hindsight-kb/hindsight/search"
)

// surfaceWords counts, in w.seen, the documents holding each
// lower-cased run of 3 or more ASCII letters in d's title or body that no
// other letter or digit touches: the spellings search.js's "did you mean"
// picks from (the CLI's too: search.Index.spelling reads titles and
// bodies, not keywords).
func (w *tokenizer) surfaceWords(d *search.Doc, doc int32) {
	var word [40]byte
	for _, text := range [2]string{d.Title, d.Body} {
		for i := 0; i < len(text); {
			if byteClass[text[i]] != classLetter {
				i++
				continue
			}
			// The run's lower-case bytes (its first 40) and FNV-1a hash,
			// in one pass.
			j, h := i, uint32(2166136261)
			for ; j < len(text) && byteClass[text[j]] == classLetter; j++ {
				c := text[j] | 0x20
				if j-i < len(word) {
					word[j-i] = c
				}
				h = (h ^ uint32(c)) * 16777619
			}
			touched := i > 0 && byteClass[text[i-1]] == classToucher ||
				j < len(text) && byteClass[text[j]] == classToucher
			if !touched && j-i >= 3 && j-i <= len(word) {
				if c := w.surface(word[:j-i], h); c.last != doc+1 {
					c.docs++
					c.last = doc + 1
				}
			}
			i = j
		}
	}
}

// The classes of bytes for surfaceWords: ASCII letters, the bytes that
// make a run of letters no word when they touch it (digits and the bytes
// of non-ASCII characters), and the rest.
const (
	classOther = iota
	classLetter
	classToucher
)

// byteClass is the class of each byte (a constant table: never written).
var byteClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case isASCIILetter(byte(c)):
			t[c] = classLetter
		case c >= 0x80 || '0' <= c && c <= '9':
			t[c] = classToucher
		}
	}
	return t
}()

// surfaceCount counts the documents holding a word (see surfaceWords).
type surfaceCount struct {
	docs int32
	last int32 // the last one's index + 1
}

// surfaceFront is the number of words a tokenizer remembers in front of
// its map (most words of a text are common ones).
const surfaceFront = 4096

// surfaceEntry is a remembered word of at most 24 bytes and its count.
type surfaceEntry struct {
	n    uint8
	word [24]byte
	c    *surfaceCount
}

// surface returns the count of word (lower case), whose FNV-1a hash is h,
// adding it if new.
func (w *tokenizer) surface(word []byte, h uint32) *surfaceCount {
	var f *surfaceEntry
	if len(word) <= len(surfaceEntry{}.word) {
		f = &w.front[h&(surfaceFront-1)]
		if int(f.n) == len(word) && string(f.word[:f.n]) == string(word) {
			return f.c
		}
	}
	c := w.seen[string(word)]
	if c == nil {
		c = &surfaceCount{}
		w.seen[string(word)] = c
	}
	if f != nil {
		f.n = uint8(copy(f.word[:], word))
		f.c = c
	}
	return c
}

// isASCIILetter reports whether c is an ASCII letter.
func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// writeWordShards adds the word lists for search.js's typo retry and
// its "did you mean":
//
//   - index/w/<n>.json holds each term of n letters (a–z only: the terms
//     a misspelt word can be near) with its count of documents in the
//     field that holds it most and, when it is not the term itself, its
//     commonest spelling (of surface's words; none when no title or body
//     spells it): {"term":count, [count,"spelling"] or [count],…}, terms
//     in order;
//   - index/v/<n>.json holds the words of surface of n letters with their
//     document counts, {"word":count,…}.
//
// Every length up to the longest has its file ({} for none), so a word's
// lookup fetches the lengths its candidates can have. It returns the
// longest term length and the longest word length.
func writeWordShards(files map[string][]byte, accs *termAccs, order []int32, names []string, surface map[string]int32) [2]int {
	// The commonest spelling of each stem (then the smaller word).
	spell := map[string]string{}
	words := make([]string, 0, len(surface))
	for w := range surface {
		words = append(words, w)
	}
	slices.Sort(words)
	for _, w := range words {
		st := porterstemmer.StemString(w)
		if b, ok := spell[st]; !ok || surface[w] > surface[b] {
			spell[st] = w
		}
	}
	var longest [2]int
	byLen := map[int][]byte{}
	for _, t := range order {
		name := names[t]
		if !lettersOnly(name) {
			continue
		}
		acc := accs.at(t)
		n := int64(max(acc.fdf[0], acc.fdf[1], acc.fdf[2]))
		b := byLen[len(name)]
		if b == nil {
			b = []byte{'{'}
		} else {
			b = append(b, ',')
		}
		b = appendString(b, name)
		b = append(b, ':')
		switch sp, ok := spell[name]; {
		case ok && sp == name:
			b = strconv.AppendInt(b, n, 10)
		case ok:
			b = append(b, '[')
			b = strconv.AppendInt(b, n, 10)
			b = append(b, ',')
			b = appendString(b, sp)
			b = append(b, ']')
		default: // only in keywords or identifiers: no spelling
			b = append(b, '[')
			b = strconv.AppendInt(b, n, 10)
			b = append(b, ']')
		}
		byLen[len(name)] = b
		longest[0] = max(longest[0], len(name))
	}
	writeByLen(files, "index/w/", byLen, longest[0])
	clear(byLen)
	for _, w := range words {
		b := byLen[len(w)]
		if b == nil {
			b = []byte{'{'}
		} else {
			b = append(b, ',')
		}
		b = appendString(b, w)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(surface[w]), 10)
		byLen[len(w)] = b
		longest[1] = max(longest[1], len(w))
	}
	writeByLen(files, "index/v/", byLen, longest[1])
	return longest
}

// writeByLen adds prefix<n>.json for n from 1 to longest, the object
// byLen[n] holds the start of ({} when none).
func writeByLen(files map[string][]byte, prefix string, byLen map[int][]byte, longest int) {
	for n := 1; n <= longest; n++ {
		b := byLen[n]
		if b == nil {
			b = []byte{'{'}
		}
		files[prefix+strconv.Itoa(n)+".json"] = append(b, '}')
	}
}

// lettersOnly reports whether s is lower-case ASCII letters only (and not
// empty).
func lettersOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}
