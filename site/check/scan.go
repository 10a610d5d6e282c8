package check

import "bytes"

// wordScanner finds many lower-case words in one pass over a text, as a
// cheap filter before the regexps of a rule run. It is built once per
// package and never modified.
type wordScanner struct {
	// pairs has bit c0<<8|c1 set when a word starts with bytes c0 c1 (or
	// is the single byte c0).
	pairs   [1 << 16 / 64]uint64
	byFirst [256][]scanWord
}

type scanWord struct {
	w   []byte
	tag int
}

// newWordScanner indexes words; tags[i] is reported for words[i].
func newWordScanner(words []string, tags []int) *wordScanner {
	s := &wordScanner{}
	for i, w := range words {
		s.byFirst[w[0]] = append(s.byFirst[w[0]], scanWord{w: []byte(w), tag: tags[i]})
		if len(w) == 1 {
			for c := 0; c < 256; c++ {
				s.set(w[0], byte(c))
			}
		} else {
			s.set(w[0], w[1])
		}
	}
	return s
}

func (s *wordScanner) set(a, b byte) {
	k := int(a)<<8 | int(b)
	s.pairs[k/64] |= 1 << (k % 64)
}

// scan calls fn with the offset and tag of every word occurrence in lower
// (an ASCII-lower-cased text), and the offset where its line starts.
func (s *wordScanner) scan(lower []byte, fn func(at, end, lineStart, tag int)) {
	ls := 0
	n := len(lower)
	for i := 0; i+1 < n; i++ {
		c := lower[i]
		if c == '\n' {
			ls = i + 1
			continue
		}
		k := int(c)<<8 | int(lower[i+1])
		if s.pairs[k/64]&(1<<(k%64)) == 0 {
			continue
		}
		for _, w := range s.byFirst[c] {
			if bytes.HasPrefix(lower[i:], w.w) {
				fn(i, i+len(w.w), ls, w.tag)
			}
		}
	}
	if n > 0 {
		// The last byte can only match a one-byte word.
		for _, w := range s.byFirst[lower[n-1]] {
			if len(w.w) == 1 {
				fn(n-1, n, ls, w.tag)
			}
		}
	}
}

// asciiLower lower-cases ASCII letters only, so offsets stay those of the
// original text.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}
