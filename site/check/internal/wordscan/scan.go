package wordscan

// Scanner finds many lower-case words in one pass over a text, as a
// cheap filter before the regexps of a rule run. It is built once per
// rule set and never modified.
type Scanner struct {
	// first is set for the bytes a word starts with, in either case.
	first [256]bool
	// pairs has bit c0<<8|c1 set when a word starts with bytes c0 c1 (or
	// is the single byte c0), in either case: the text's bytes index it
	// as they are.
	pairs   [1 << 16 / 64]uint64
	byFirst [256][]scanWord
	// tri has bit triHash(c0, c1, c2) set for the first three bytes
	// (lower-cased) of each word: a second filter, for the pairs common
	// in prose ("se", "to", "th"). useTri is false when a word is
	// shorter than three bytes.
	tri    [triBits / 64]uint64
	useTri bool
}

// triBits is the size of Scanner.tri.
const triBits = 1 << 12

// lowerTable maps each byte to LowerByte of it.
var lowerTable = func() (t [256]byte) {
	for c := range t {
		t[c] = LowerByte(byte(c))
	}
	return t
}()

// triHash hashes three bytes, compared case-insensitively (ASCII).
func triHash(a, b, c byte) uint {
	return (uint(lowerTable[a])*31*31 + uint(lowerTable[b])*31 + uint(lowerTable[c])) % triBits
}

// hasTri reports whether a word may start with the bytes a b c.
func (s *Scanner) hasTri(a, b, c byte) bool {
	h := triHash(a, b, c)
	return s.tri[h/64]>>(h%64)&1 != 0
}

type scanWord struct {
	w   []byte
	tag int
}

// Of indexes the trigger words of items; a match reports the
// index of the item the word belongs to.
func Of[T any](items []T, triggers func(T) []string) *Scanner {
	var words []string
	var tags []int
	for i, it := range items {
		for _, t := range triggers(it) {
			words = append(words, t)
			tags = append(tags, i)
		}
	}
	return New(words, tags)
}

// New indexes words; tags[i] is reported for words[i].
func New(words []string, tags []int) *Scanner {
	s := &Scanner{useTri: true}
	for _, w := range words {
		if len(w) < 3 {
			s.useTri = false
			continue
		}
		h := triHash(w[0], w[1], w[2])
		s.tri[h/64] |= 1 << (h % 64)
	}
	for i, w := range words {
		s.byFirst[w[0]] = append(s.byFirst[w[0]], scanWord{w: []byte(w), tag: tags[i]})
		for _, a := range bothCases(w[0]) {
			s.first[a] = true
			if len(w) == 1 {
				for c := 0; c < 256; c++ {
					s.set(a, byte(c))
				}
				continue
			}
			for _, b := range bothCases(w[1]) {
				s.set(a, b)
			}
		}
	}
	return s
}

// bothCases returns the lower-case byte c and its upper-case form, if it
// has one.
func bothCases(c byte) []byte {
	if c >= 'a' && c <= 'z' {
		return []byte{c, c - 'a' + 'A'}
	}
	return []byte{c}
}

func (s *Scanner) set(a, b byte) {
	k := uint(a)<<8 | uint(b)
	s.pairs[k/64] |= 1 << (k % 64)
}

// has reports whether a word starts with the bytes a b (as written).
func (s *Scanner) has(a, b byte) bool {
	k := uint(a)<<8 | uint(b)
	return s.pairs[k/64]&(1<<(k%64)) != 0
}

// Words calls fn with the offset and tag of every word occurrence in
// text, compared case-insensitively (ASCII), and the offset where its line
// starts. It allocates nothing.
//
// Each byte is tested with the next one against the pairs that start a
// word: one table look-up, which lets through about 3 % of the bytes of a
// postmortem (testing the first byte alone lets through 40 %, at a branch
// the processor cannot predict). The line start is found only for a
// match.
func Words[T string | []byte](s *Scanner, text T, fn func(at, end, lineStart, tag int)) {
	n := len(text)
	if n == 0 {
		return
	}
	ls, seen := 0, 0 // the line start of text[:seen]
	match := func(i int) {
		for _, w := range s.byFirst[LowerByte(text[i])] {
			if hasPrefixFold(text[i:], w.w) {
				// The last newline before i, looked for backwards: only
				// the bytes of the match's line are read, not all those
				// since the last match.
				for j := i - 1; j >= seen; j-- {
					if text[j] == '\n' {
						ls = j + 1
						break
					}
				}
				seen = max(seen, i)
				fn(i, i+len(w.w), ls, w.tag)
			}
		}
	}
	for i := 0; i < n-1; i++ {
		k := uint(text[i])<<8 | uint(text[i+1])
		if s.pairs[k/64]>>(k%64)&1 != 0 && (!s.useTri || i+2 >= n || s.hasTri(text[i], text[i+1], text[i+2])) {
			match(i)
		}
	}
	if s.first[text[n-1]] {
		match(n - 1)
	}
}

// notWord is 1 for the bytes IsWordByte rejects, 0 for the others.
var notWord = func() (t [256]uint64) {
	for c := range t {
		if !IsWordByte(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

// WordStarts is Words for the occurrences that start a word: at
// the start of text or after a byte that is not a word byte (IsWordByte,
// which counts only lower-case ASCII letters). It allocates nothing. The
// pair and the byte before are tested together, without a branch, so that
// the one branch taken is rare (about 2 % of the bytes of prose).
func WordStarts[T string | []byte](s *Scanner, text T, fn func(at, end, tag int)) {
	n := len(text)
	if n == 0 {
		return
	}
	match := func(i int) {
		for _, w := range s.byFirst[LowerByte(text[i])] {
			if hasPrefixFold(text[i:], w.w) {
				fn(i, i+len(w.w), w.tag)
			}
		}
	}
	if n == 1 {
		if s.first[text[0]] {
			match(0)
		}
		return
	}
	if s.has(text[0], text[1]) {
		match(0)
	}
	for i := 1; i < n-1; i++ {
		k := uint(text[i])<<8 | uint(text[i+1])
		if s.pairs[k/64]>>(k%64)&notWord[text[i-1]] != 0 && (!s.useTri || i+2 >= n || s.hasTri(text[i], text[i+1], text[i+2])) {
			match(i)
		}
	}
	if n >= 2 && s.first[text[n-1]] && !IsWordByte(text[n-2]) {
		match(n - 1)
	}
}

// LowerByte lower-cases an ASCII letter; other bytes are returned as
// they are.
func LowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether b starts with the lower-case word w,
// ignoring ASCII case.
func hasPrefixFold[T string | []byte](b T, w []byte) bool {
	if len(b) < len(w) {
		return false
	}
	for i, c := range w {
		if LowerByte(b[i]) != c {
			return false
		}
	}
	return true
}

// ASCIILower lower-cases ASCII letters only, so offsets stay those of the
// original text.
func ASCIILower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// IsWordByte reports whether c can be inside a word: a lower-case ASCII
// letter, a digit, '_', or a byte of a multi-byte UTF-8 letter.
func IsWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}
