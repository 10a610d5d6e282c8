package analysis

import (
	"slices"

	banalysis "github.com/blevesearch/bleve/v2/analysis"
)

// Compound tokens: identifiers people paste (host names, URLs, IP
// addresses, host:port, paths, scheme:thing, ticket keys, snake_case,
// camelCase…) are indexed whole and by their parts, beside the words
// above, so that a query for the whole or for any part finds them. They
// are made from spans: runs of ASCII letters, digits and the joiners
// . _ - : / @ \ with the joiners at either end cut off. A span holding a
// joiner or a camelCase hump, and a letter or one of . _ / @ \ (dates
// and times stay numbers, ISO 8601 date-times too: see dateTimeLetter),
// gives, at the position of the word it starts
// in:
//
//   - wholes, in lower case and not stemmed: the span; its pieces
//     between / @ \; each piece's parts between : and each two adjacent
//     ones ("s3:getobject" in "arn:aws:s3:getobject"); and each dotted
//     one's suffixes of two labels or more when its last label has a
//     letter ("acme.com" in "status.acme.com") and its labels
//     ("partner-api"). A whole without a joiner (a piece "v1") is a part
//     instead;
//   - parts, analysed like words (lower case, stop words, Porter): each
//     run of letters and digits and, split at camelCase humps, its
//     pieces ("GetObject": "getobject", "get", "object").
//
// A term is never repeated at a position (a word's term is not made a
// compound token). Compound tokens have the type analysis.Shingle; the
// words are bleve's "en" tokens, unchanged. Spans longer than maxSpan give
// only parts, wholes longer than maxWhole are left out. Text that is not
// valid UTF-8 (analysed by bleve's analyzer) gets no compound tokens.
// themes/default/static/search.js does the same, step by step.

const (
	maxSpan  = 256
	maxWhole = 128
)

// Classes of bytes in spans (spanClass): 0 for a byte no span holds.
const (
	sAlnum = 1 << iota
	sJoiner
	sUpper
)

var spanClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch b := byte(c); {
		case isUpper(b):
			t[c] = sAlnum | sUpper
		case isAlnum(b):
			t[c] = sAlnum
		case isJoiner(b):
			t[c] = sJoiner
		}
	}
	return t
}()

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isJoiner(c byte) bool {
	switch c {
	case '.', '_', '-', ':', '/', '@', '\\':
		return true
	}
	return false
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

// hump reports whether a camelCase part starts at s[k] (0 < k < len(s)):
// "aB", or "ABc" at the B.
func hump(s string, k int) bool {
	return isUpper(s[k]) && (isLower(s[k-1]) || isUpper(s[k-1]) && k+1 < len(s) && isLower(s[k+1]))
}

// trim returns [a, b) without the non-alphanumeric bytes at either end.
func trim(text string, a, b int) (int, int) {
	for a < b && !isAlnum(text[a]) {
		a++
	}
	for b > a && !isAlnum(text[b-1]) {
		b--
	}
	return a, b
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// dateTimeLetter reports whether the letter text[k] of the span
// text[a:b] is the T of an ISO 8601 date-time (between two digits) or its
// Z (last, after a digit): such a span has no compound tokens, like dates
// and times ("2025-03-09T08:20:23Z": each is a different term, that no
// one searches for, and they were half the compound terms of a KB).
func dateTimeLetter(text string, a, b, k int) bool {
	switch text[k] {
	case 'T', 't':
		return k > a && k+1 < b && isDigit(text[k-1]) && isDigit(text[k+1])
	case 'Z', 'z':
		return k > a && k+1 == b && isDigit(text[k-1])
	}
	return false
}

// byteRange is the bytes [from, to) of a text.
type byteRange struct{ from, to int }

// candidate notes that text[from:to], a word or a stretch of words that
// analyze found, may be in a span with compound tokens: compounds looks
// at the spans of those bytes only. A span has compound tokens only if a
// joiner is inside it or a camelCase hump (see compounds), so one of its
// words holds either, or is followed by a joiner and more of the span;
// analyze, which reads every byte of the text already, notes those words
// (and every stretch it hands to the segmenter, whole), in order, and the
// rest of the text (most of it) is not read again.
func (w *work) candidate(from, to int) {
	w.cands = append(w.cands, byteRange{from, to})
}

// compounds adds the compound tokens of text to its word tokens
// dst[first:], in order of position (the words first at each position).
func (e *English) compounds(w *work, dst []tok, first int, text string) []tok {
	w.extra = w.extra[:0]
	w.wordAt, w.tokAt = 0, 0
	done := 0 // the spans before done are done
	for _, r := range w.cands {
		// From the start of the span r starts in.
		i := max(r.from, done)
		for i > done && spanClass[text[i-1]] != 0 {
			i--
		}
		done = e.spans(w, dst[first:], text, i, r.to)
	}
	if len(w.extra) == 0 {
		return dst
	}
	// Merge the words and the compound tokens by position, in place from
	// the end (the words stay first at each position).
	nb, nx := len(dst)-first, len(w.extra)
	dst = slices.Grow(dst, nx)[:len(dst)+nx]
	out := dst[first:]
	i, x := nb-1, nx-1
	for k := nb + nx - 1; x >= 0; k-- {
		if i >= 0 && out[i].pos > w.extra[x].pos {
			out[k] = out[i]
			i--
		} else {
			out[k] = w.extra[x]
			x--
		}
	}
	clear(w.extra)
	return dst
}

// spans adds the compound tokens of the spans that start in text[i:to]
// (i is not inside a span) to w.extra, base being the words' tokens, and
// returns the end of the last one.
func (e *English) spans(w *work, base []tok, text string, i, to int) int {
	n := len(text)
	for i < to {
		if spanClass[text[i]] == 0 {
			i++
			continue
		}
		// A span [i, j); most are plain words (no joiner, no upper-case
		// letter after the first byte), which cannot be special.
		j := i + 1
		maybe := spanClass[text[i]]&sJoiner != 0
		for j < n {
			c := spanClass[text[j]]
			if c == 0 {
				break
			}
			maybe = maybe || c&(sJoiner|sUpper) != 0
			j++
		}
		if !maybe {
			i = j
			continue
		}
		a, b := trim(text, i, j)
		i = j
		special, letter, sep := false, false, false
		for k := a; k < b; k++ {
			c := text[k]
			special = special || isJoiner(c) || k > a && hump(text[:b], k) && isAlnum(text[k-1])
			letter = letter || (isUpper(c) || isLower(c)) && !dateTimeLetter(text, a, b, k)
			sep = sep || c != '-' && c != ':' && isJoiner(c)
		}
		// Digits joined by - and : only (dates, times, ISO 8601 date-times
		// such as 2025-03-09T08:20:23Z) stay numbers.
		if special && (letter || sep) {
			e.span(w, base, text, a, b)
		}
	}
	return i
}

// spanWords returns the words of the span [a, b) (those of w.words that
// overlap it; nil if none) and their tokens among base. Both are sorted.
// Spans come in order: the search goes on from the last span's words
// (w.wordAt, w.tokAt), so all the spans of a text read its words once.
func spanWords(w *work, base []tok, a, b int) ([]word, []tok) {
	all := w.words
	lo := w.wordAt
	for lo < len(all) && all[lo].end <= a {
		lo++
	}
	w.wordAt = lo
	hi := lo
	for hi < len(all) && all[hi].start < b {
		hi++
	}
	if lo == hi {
		return nil, nil
	}
	words := all[lo:hi]
	bl := w.tokAt
	for bl < len(base) && base[bl].pos < words[0].pos {
		bl++
	}
	w.tokAt = bl
	bh := bl
	for bh < len(base) && base[bh].pos <= words[len(words)-1].pos {
		bh++
	}
	return words, base[bl:bh]
}

// span adds the compound tokens of the span text[a:b] to w.extra; base
// are the words' tokens.
func (e *English) span(w *work, base []tok, text string, a, b int) {
	words, base := spanWords(w, base, a, b)
	if words == nil {
		return
	}
	w.span = w.span[:0]
	long := b-a > maxSpan // only parts, added in position order
	// add adds text[s:t] as a whole (raw) or a part.
	add := func(s, t int, raw bool) {
		s, t = trim(text, s, t)
		if s >= t {
			return
		}
		if raw {
			raw = false
			for k := s; k < t; k++ {
				if isJoiner(text[k]) {
					raw = true
					break
				}
			}
			if raw && t-s > maxWhole {
				return
			}
		}
		// The position of the word holding text[s], or of the next one
		// (the first word ending after s, else the last; binary search:
		// a span may hold a whole line of words).
		lo, hi := 0, len(words)-1
		for lo < hi {
			m := (lo + hi) / 2
			if words[m].end <= s {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if !raw && words[lo].start == s && words[lo].end == t {
			return // a part that is a word (most are) has its term there
		}
		pos := words[lo].pos
		var c cachedTerm
		if raw {
			c = e.whole(w, text[s:t])
		} else {
			c = e.lookup(w, text[s:t])
		}
		if c.stop {
			return
		}
		// A word's own token (base is in position order).
		i, j := 0, len(base)
		for i < j {
			m := (i + j) / 2
			if base[m].pos < pos {
				i = m + 1
			} else {
				j = m
			}
		}
		for ; i < len(base) && base[i].pos == pos; i++ {
			if base[i].term == c.term {
				return
			}
		}
		// A token of this span already added. Past maxSpan only parts are
		// added, in position order, so the equal positions are at the end.
		for k := len(w.span) - 1; k >= 0; k-- {
			x := w.span[k]
			if x.pos == pos && x.term == c.term {
				return
			}
			if long && x.pos < pos {
				break
			}
		}
		// Another span may start in the same word ("0.0'0.0").
		for k := len(w.extra) - 1; k >= 0 && w.extra[k].pos >= pos; k-- {
			if w.extra[k].pos == pos && w.extra[k].term == c.term {
				return
			}
		}
		w.span = append(w.span, tok{c.term, c.num, pos, s, t, banalysis.Shingle})
	}
	if b-a <= maxSpan {
		add(a, b, true)
		for p := a; p < b; {
			q := p
			for q < b && text[q] != '/' && text[q] != '@' && text[q] != '\\' {
				q++
			}
			e.piece(text, p, q, a, b, add)
			p = q + 1
		}
	}
	addParts(text, a, b, add)
	sortByPos(w.span)
	w.extra = append(w.extra, w.span...)
	clear(w.span)
}

// addParts adds the parts of the span text[a:b]: its runs of letters and
// digits, and their camelCase humps.
func addParts(text string, a, b int, add func(s, t int, raw bool)) {
	for p := a; p < b; {
		if !isAlnum(text[p]) {
			p++
			continue
		}
		q := p
		for q < b && isAlnum(text[q]) {
			q++
		}
		add(p, q, false)
		r := text[:q]
		s := p
		for k := p + 1; k < q; k++ {
			if hump(r, k) {
				add(s, k, false)
				s = k
			}
		}
		if s > p {
			add(s, q, false)
		}
		p = q
	}
}

// sortByPos sorts ts by position (insertion: a span has few tokens,
// mostly in order), keeping the order of equal positions.
func sortByPos(ts []tok) {
	for k := 1; k < len(ts); k++ {
		for m := k; m > 0 && ts[m-1].pos > ts[m].pos; m-- {
			ts[m-1], ts[m] = ts[m], ts[m-1]
		}
	}
}

// piece adds the wholes of text[p:q], a piece of the span text[a:b]
// between / @ \: the piece, its parts between ':' and each two adjacent
// ones, and the dotted suffixes.
func (e *English) piece(text string, p, q, a, b int, add func(s, t int, raw bool)) {
	p, q = trim(text, p, q)
	if p >= q {
		return
	}
	if p != a || q != b {
		add(p, q, true)
	}
	// Parts between ':' (empty ones skipped).
	type part struct{ s, t int }
	var parts [16]part
	n := 0
	for s := p; s < q && n < len(parts); {
		t := s
		for t < q && text[t] != ':' {
			t++
		}
		if s2, t2 := trim(text, s, t); s2 < t2 {
			parts[n] = part{s2, t2}
			n++
		}
		s = t + 1
	}
	if n == 1 {
		suffixes(text, p, q, add)
		return
	}
	for k := 0; k < n; k++ {
		add(parts[k].s, parts[k].t, true)
		if k+1 < n && (parts[k].s != p || parts[k+1].t != q) {
			add(parts[k].s, parts[k+1].t, true)
		}
		suffixes(text, parts[k].s, parts[k].t, add)
	}
}

// suffixes adds the suffixes of two labels or more of the dotted name
// text[p:q] when its last label has a letter ("acme.com" of
// "status.acme.com"), and then its labels that hold a joiner
// ("partner-api").
func suffixes(text string, p, q int, add func(s, t int, raw bool)) {
	last := q
	for last > p && text[last-1] != '.' {
		last--
	}
	if last == p {
		return
	}
	letter := false
	for k := last; k < q; k++ {
		letter = letter || isUpper(text[k]) || isLower(text[k])
	}
	if !letter {
		return
	}
	for k := p; k < last-1; k++ {
		if text[k] == '.' && k+1 < last-1 {
			add(k+1, q, true)
		}
	}
	// Labels with a joiner ("partner-api" of "partner-api.acme.com").
	for s := p; s < q; {
		t := s
		for t < q && text[t] != '.' {
			t++
		}
		if s != p || t != q {
			add(s, t, true)
		}
		s = t + 1
	}
}
