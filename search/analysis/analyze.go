package analysis

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	banalysis "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/segment"
)

// English is the analyzer of title, body, keywords and id: the tokens
// (term, position, byte offsets, type) of bleve's "en" analyzer (Unicode
// word boundaries, possessive_en, to_lower, stop_en, stemmer_porter),
// only faster, and among them, at the positions of the words they are
// made of, the compound tokens of identifiers (see compounds: whole host
// names, URLs, ids… and their parts; type analysis.Shingle). The words:
//
//   - Text made of ASCII is split into words by the word-boundary rules
//     bleve's segmenter (github.com/blevesearch/segment, UAX #29) applies
//     to ASCII: letters, digits and '_' form words; '.' and '\” join two
//     letters or two digits, ':' two letters, ',' and ';' two digits.
//     Every other ASCII byte ends a word. A stretch of text between such
//     bytes that holds any non-ASCII byte is handed to bleve's segmenter
//     as it is, and text that is not valid UTF-8 to bleve's whole
//     analyzer (the segmenter stops at the first invalid byte).
//   - The filters depend on a word alone, so their result for each word
//     as written ("Failover's" → "failov", "the" → stop word) is cached:
//     in maps shared by all goroutines and, in front of them, in a
//     direct-mapped table of the last 8,192 short words of each
//     goroutine's scratch space (work).
//
// The equivalence is tested on every text of the sample and generated KBs
// and by FuzzAnalyze. An English is safe for concurrent use; its cache
// holds at most maxCached words (a few MB), the rest are analysed each
// time; each scratch space (pooled, one or two per thread) is 384 KiB.
//
// An English made by NewNumberingEnglish also numbers the distinct terms
// it produces, for callers that count terms in arrays rather than maps
// (NumberedTokens, Terms).
type English struct {
	full    banalysis.Analyzer      // bleve's "en", for invalid UTF-8
	filters []banalysis.TokenFilter // bleve's "en" filters, for words not cached
	scratch sync.Pool               // *work
	shards  [cacheShards]cacheShard
	nums    *termNumbers            // nil unless made by NewNumberingEnglish
	raw     [cacheShards]cacheShard // compounds' whole terms (lower case only)
	words   bool                    // no compound tokens: bleve's "en" exactly (NewWordsEnglish)
}

// termNumbers numbers distinct terms in order of first request.
type termNumbers struct {
	mu    sync.Mutex
	num   map[string]int32
	terms []string // by number
}

// number returns the number of term, giving it the next one if it has
// none yet.
func (n *termNumbers) number(term string) int32 {
	n.mu.Lock()
	defer n.mu.Unlock()
	k, ok := n.num[term]
	if !ok {
		k = int32(len(n.terms))
		n.num[term] = k
		n.terms = append(n.terms, term)
	}
	return k
}

const (
	cacheShards = 32
	maxCached   = 1 << 18
)

// cacheShard is read without a lock: read is an immutable map, replaced
// by a bigger copy once enough new words wait in dirty (guarded by mu).
type cacheShard struct {
	read  atomic.Pointer[map[string]cachedTerm]
	mu    sync.Mutex
	dirty map[string]cachedTerm
	size  int      // len(read) + len(dirty), guarded by mu
	_     [64]byte // keep shards on their own cache lines
}

// cachedTerm is the analysis of one word: its term, or stop, and for a
// numbering English the term's number + 1 (0: not numbered).
type cachedTerm struct {
	term string
	num  int32
	stop bool
}

// EnglishName is the name English is registered under in bleve's
// registry, for index mappings (see Analyzer).
const EnglishName = "hindsight_en"

// init registers English with bleve, like bleve's own analyzers register
// themselves: each index mapping's registry cache builds one English, so
// each index has its own word cache.
func init() {
	err := registry.RegisterAnalyzer(EnglishName, func(map[string]any, *registry.Cache) (banalysis.Analyzer, error) {
		return NewEnglish()
	})
	if err != nil {
		panic(err)
	}
}

// NewEnglish returns a new English analyzer with an empty cache.
func NewEnglish() (*English, error) {
	a, err := registry.NewCache().AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		return nil, err
	}
	d, ok := a.(*banalysis.DefaultAnalyzer)
	if !ok || d.CharFilters != nil {
		// bleve changed its "en" analyzer: use it as it is.
		return &English{full: a}, nil
	}
	return &English{full: a, filters: d.TokenFilters}, nil
}

// NewNumberingEnglish returns a new English analyzer with an empty cache
// that also numbers the terms it produces: see NumberedTokens. Numbering
// costs a little memory per distinct term, so the index's analyzer
// (NewEnglish) does not.
func NewNumberingEnglish() (*English, error) {
	e, err := NewEnglish()
	if err != nil {
		return nil, err
	}
	e.nums = &termNumbers{num: map[string]int32{}}
	return e, nil
}

// NewWordsEnglish returns a new English analyzer without compound tokens:
// exactly the tokens of bleve's "en" analyzer, for tests that compare an
// index built with English to one built with bleve's analyzer.
func NewWordsEnglish() (*English, error) {
	e, err := NewEnglish()
	if err != nil {
		return nil, err
	}
	e.words = true
	return e, nil
}

// ascii classes of bytes for the fast tokenizer.
const (
	cBreak    = iota // ends a word, and a stretch for the fallback
	cLetter          // A-Z a-z
	cDigit           // 0-9
	cExtend          // '_' (ExtendNumLet)
	cMidLet          // ':' (MidLetter)
	cMidNum          // ',' ';' (MidNum)
	cMidBoth         // '.' '\'' (MidNumLet, Single_Quote)
	cQuote           // '"' (Double_Quote: joins Hebrew letters only)
	cNonASCII        // ≥ 0x80
)

var byteClass = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cLetter
		t[c-'a'+'A'] = cLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit
	}
	t['_'] = cExtend
	t[':'] = cMidLet
	t[','], t[';'] = cMidNum, cMidNum
	t['.'], t['\''] = cMidBoth, cMidBoth
	t['"'] = cQuote
	for c := 0x80; c < 0x100; c++ {
		t[c] = cNonASCII
	}
	return t
}()

// tok is a token as the core produces it.
type tok struct {
	term       string
	num        int32 // the term's number + 1 for a numbering English, else 0
	pos        int
	start, end int
	typ        banalysis.TokenType
}

// analyze appends the tokens of text that are not stop words to dst.
func (e *English) analyze(w *work, dst []tok, text string) []tok {
	if e.filters == nil || !utf8.ValidString(text) {
		return e.analyzeFull(dst, text)
	}
	first := len(dst)
	pos := 1
	n := len(text)
	w.words = w.words[:0]
	for i := 0; i < n; {
		if byteClass[text[i]] == cBreak {
			i++
			continue
		}
		// A stretch [i, j) between break bytes.
		j := i
		nonASCII := false
		for j < n {
			c := byteClass[text[j]]
			if c == cBreak {
				break
			}
			if c == cNonASCII {
				nonASCII = true
			}
			j++
		}
		if nonASCII {
			var ok bool
			if dst, ok = e.segment(w, dst, text, i, j, &pos); !ok {
				// The segmenter stopped early: only bleve's analysis of
				// the whole text reproduces that.
				return e.analyzeFull(dst[:first], text)
			}
			i = j
			continue
		}
		for k := i; k < j; {
			c := byteClass[text[k]]
			if c != cLetter && c != cDigit && c != cExtend {
				k++
				continue
			}
			start := k
			letters := false
			for k < j {
				c := byteClass[text[k]]
				switch c {
				case cLetter:
					letters = true
					k++
					continue
				case cDigit, cExtend:
					k++
					continue
				}
				if k > start && k+1 < j {
					p, q := byteClass[text[k-1]], byteClass[text[k+1]]
					if p == cLetter && q == cLetter && (c == cMidLet || c == cMidBoth) ||
						p == cDigit && q == cDigit && (c == cMidNum || c == cMidBoth) {
						k++
						continue
					}
				}
				break
			}
			typ := banalysis.AlphaNumeric
			if !letters && hasDigit(text[start:k]) {
				typ = banalysis.Numeric
			}
			if t := e.lookup(w, text[start:k]); !t.stop {
				dst = append(dst, tok{t.term, t.num, pos, start, k, typ})
			}
			w.words = append(w.words, word{start, k, pos})
			pos++
		}
		i = j
	}
	if e.words {
		return dst
	}
	return e.compounds(w, dst, first, text)
}

// analyzeFull appends the tokens of bleve's analyzer.
func (e *English) analyzeFull(dst []tok, text string) []tok {
	for _, t := range e.full.Analyze([]byte(text)) {
		dst = append(dst, tok{term: string(t.Term), pos: t.Position, start: t.Start, end: t.End, typ: t.Type})
	}
	return dst
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// segment appends the words of text[i:j], a stretch holding non-ASCII
// text, as bleve's word segmenter splits it. It reports false if the
// segmenter failed (bleve then stops analysing the text there).
func (e *English) segment(w *work, dst []tok, text string, i, j int, pos *int) ([]tok, bool) {
	buf := []byte(text[i:j])
	s := segment.NewWordSegmenterDirect(buf)
	off := 0
	for s.Segment() {
		b := s.Bytes()
		start, end := i+off, i+off+len(b)
		off += len(b)
		if s.Type() == segment.None {
			continue
		}
		typ := banalysis.AlphaNumeric
		switch s.Type() {
		case segment.Ideo, segment.Kana:
			typ = banalysis.Ideographic
		case segment.Number:
			typ = banalysis.Numeric
		}
		if t := e.lookup(w, text[start:end]); !t.stop {
			dst = append(dst, tok{t.term, t.num, *pos, start, end, typ})
		}
		w.words = append(w.words, word{start, end, *pos})
		*pos++
	}
	return dst, s.Err() == nil && off == len(buf)
}

// work is the scratch space of one analysis: the token buffer, and a
// direct-mapped cache of the last words seen (the shared cache's
// maps are several MB at 10,000 postmortems: a lookup there cost a cache
// miss or two, and most words of a text are common ones).
type work struct {
	toks  []tok
	words []word // every word of the text, stop words too
	extra []tok  // compound tokens, see compounds
	span  []tok  // one span's compound tokens
	front [frontSize]frontEntry
	raw   [rawFrontSize]frontEntry // compounds' wholes, see lookupRaw
}

// rawFrontSize is the number of compound wholes work remembers (96 KiB).
const rawFrontSize = 2048

// word is a word of the text (a stop word too) and its position.
type word struct{ start, end, pos int }

// frontSize is the number of words work remembers (48 bytes each, 384
// KiB). Analysing the 10k KB, 5 % of the lookups missed it (16 % with
// 2,048 words, 37 % with 512).
const frontSize = 8192

// frontEntry is a word of at most 23 bytes and its analysis.
type frontEntry struct {
	n    uint8
	word [23]byte
	t    cachedTerm
}

// lookup returns the analysis of one word, from w's words if it can,
// else from the shared cache.
func (e *English) lookup(w *work, word string) cachedTerm {
	h := uint32(2166136261)
	for k := 0; k < len(word); k++ {
		h = (h ^ uint32(word[k])) * 16777619
	}
	if len(word) > len(frontEntry{}.word) {
		return e.term(word, h)
	}
	f := &w.front[h>>5&(frontSize-1)]
	if int(f.n) == len(word) && string(f.word[:f.n]) == word {
		return f.t
	}
	t := e.term(word, h)
	f.n = uint8(copy(f.word[:], word))
	f.t = t
	return t
}

// lookupRaw returns the lower-cased whole (see cached) of the compound
// token word, whose FNV-1a hash is h, from w's wholes if it can, else from
// the shared cache.
func (e *English) lookupRaw(w *work, word string, h uint32) cachedTerm {
	if len(word) > len(frontEntry{}.word) {
		return e.cached(&e.raw[h%cacheShards], word, true)
	}
	f := &w.raw[h>>5&(rawFrontSize-1)]
	if int(f.n) == len(word) && string(f.word[:f.n]) == word {
		return f.t
	}
	t := e.cached(&e.raw[h%cacheShards], word, true)
	f.n = uint8(copy(f.word[:], word))
	f.t = t
	return t
}

// term returns the analysis of one word, whose FNV-1a hash is h, from the
// cache if it can.
func (e *English) term(word string, h uint32) cachedTerm {
	return e.cached(&e.shards[h%cacheShards], word, false)
}

// cached returns the analysis of word from sh, computing and caching it
// if it is not there: the word filters' result or, for raw, the word in
// lower case (ASCII: compounds are ASCII).
func (e *English) cached(sh *cacheShard, word string, raw bool) cachedTerm {
	if m := sh.read.Load(); m != nil {
		if t, ok := (*m)[word]; ok {
			return t
		}
	}
	sh.mu.Lock()
	t, ok := sh.dirty[word]
	sh.mu.Unlock()
	if ok {
		return t
	}
	var ts banalysis.TokenStream
	if raw {
		ts = banalysis.TokenStream{&banalysis.Token{Term: []byte(strings.ToLower(word))}}
	} else {
		ts = banalysis.TokenStream{&banalysis.Token{Term: []byte(word), Position: 1, End: len(word)}}
		for _, f := range e.filters {
			ts = f.Filter(ts)
		}
	}
	if len(ts) == 0 {
		t = cachedTerm{stop: true}
	} else {
		t = cachedTerm{term: string(ts[0].Term)}
		if e.nums != nil {
			t.num = e.nums.number(t.term) + 1
		}
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if _, ok := sh.dirty[word]; ok || sh.size >= maxCached/cacheShards {
		return t
	}
	if sh.dirty == nil {
		sh.dirty = map[string]cachedTerm{}
	}
	sh.dirty[strings.Clone(word)] = t // word may point into the caller's bytes
	sh.size++
	// Move the new words to the lock-free map once they are half of it:
	// each word is copied a bounded number of times on average (three;
	// five when it was a quarter: 36 → 28 MB allocated to analyse the 10k
	// KB with an empty cache).
	old := sh.read.Load()
	n := 0
	if old != nil {
		n = len(*old)
	}
	if len(sh.dirty) >= 16 && len(sh.dirty) >= n/2 {
		m := make(map[string]cachedTerm, n+len(sh.dirty))
		if old != nil {
			for k, v := range *old {
				m[k] = v
			}
		}
		for k, v := range sh.dirty {
			m[k] = v
		}
		sh.read.Store(&m)
		sh.dirty = nil
	}
	return t
}

// work returns a scratch space; put it back into e.scratch.
func (e *English) work() *work {
	if w, ok := e.scratch.Get().(*work); ok {
		return w
	}
	return new(work)
}

// Tokens appends the tokens of text to dst.
func (e *English) Tokens(dst []Token, text string) []Token {
	w := e.work()
	ts := e.analyze(w, w.toks[:0], text)
	for _, t := range ts {
		dst = append(dst, Token{Term: t.term, Position: t.pos, Start: t.start, End: t.end})
	}
	clear(ts)
	w.toks = ts[:0]
	e.scratch.Put(w)
	return dst
}

// NumberedToken is a token whose term is given by its number (see
// English.NumberedTokens).
type NumberedToken struct {
	Term     int32 // the term's number: English.Terms()[Term]
	Position int32 // as Token.Position
}

// NumberedTokens appends the tokens of text to dst, the same ones Tokens
// gives, with their terms as numbers: each distinct term gets the next
// number (0, 1, 2…) when it is first produced, in any goroutine, so
// numbers depend on timing but each names one term for the life of e.
// Terms returns the terms by number. e must have been made by
// NewNumberingEnglish (else NumberedTokens panics).
func (e *English) NumberedTokens(dst []NumberedToken, text string) []NumberedToken {
	if e.nums == nil {
		panic("search: NumberedTokens needs an English made by NewNumberingEnglish")
	}
	w := e.work()
	ts := e.analyze(w, w.toks[:0], text)
	for _, t := range ts {
		n := t.num - 1
		if n < 0 {
			n = e.nums.number(t.term) // bleve's analysis (invalid UTF-8)
		}
		dst = append(dst, NumberedToken{Term: n, Position: int32(t.pos)})
	}
	clear(ts)
	w.toks = ts[:0]
	e.scratch.Put(w)
	return dst
}

// Number returns the number of term as NumberedTokens gives it, numbering
// it now if it has none yet: a caller that kept the terms of an earlier
// analysis (review's cache of word counts) numbers them without analysing
// the text again. term must be a term the analyzer produces (it is not
// analysed). e must have been made by NewNumberingEnglish (else Number
// panics).
func (e *English) Number(term string) int32 {
	if e.nums == nil {
		panic("search: Number needs an English made by NewNumberingEnglish")
	}
	return e.nums.number(term)
}

// Terms returns the terms NumberedTokens has numbered so far, by number.
// The caller must not change the slice.
func (e *English) Terms() []string {
	if e.nums == nil {
		return nil
	}
	e.nums.mu.Lock()
	defer e.nums.mu.Unlock()
	return e.nums.terms[:len(e.nums.terms):len(e.nums.terms)]
}

// Each calls fn with every token of text, in order.
func (e *English) Each(text string, fn func(Token)) {
	w := e.work()
	ts := e.analyze(w, w.toks[:0], text)
	for _, t := range ts {
		fn(Token{Term: t.term, Position: t.pos, Start: t.start, End: t.end})
	}
	clear(ts)
	w.toks = ts[:0]
	e.scratch.Put(w)
}

// Analyze implements bleve's analysis.Analyzer, so the index can use it.
// The terms are new bytes: the caller may keep or change them.
func (e *English) Analyze(input []byte) banalysis.TokenStream {
	// input is only read while analyze runs: the cache copies the words
	// it keeps.
	w := e.work()
	ts := e.analyze(w, w.toks[:0], unsafe.String(unsafe.SliceData(input), len(input)))
	size := 0
	for _, t := range ts {
		size += len(t.term)
	}
	terms := make([]byte, 0, size)
	toks := make([]banalysis.Token, len(ts))
	out := make(banalysis.TokenStream, len(ts))
	for k, t := range ts {
		off := len(terms)
		terms = append(terms, t.term...)
		toks[k] = banalysis.Token{Term: terms[off:len(terms):len(terms)], Start: t.start, End: t.end, Position: t.pos, Type: t.typ}
		out[k] = &toks[k]
	}
	clear(ts)
	w.toks = ts[:0]
	e.scratch.Put(w)
	return out
}

var _ banalysis.Analyzer = (*English)(nil)

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

// compounds adds the compound tokens of text to its word tokens
// dst[first:], in order of position (the words first at each position).
func (e *English) compounds(w *work, dst []tok, first int, text string) []tok {
	w.extra = w.extra[:0]
	n := len(text)
	for i := 0; i < n; {
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
			e.span(w, dst[first:], text, a, b)
		}
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

// span adds the compound tokens of the span text[a:b] to w.extra; base
// are the words' tokens.
func (e *English) span(w *work, base []tok, text string, a, b int) {
	// The words of the span: w.words[lo:hi].
	lo, hi := 0, len(w.words)
	for lo < hi {
		m := (lo + hi) / 2
		if w.words[m].end <= a {
			lo = m + 1
		} else {
			hi = m
		}
	}
	hi = lo
	for hi < len(w.words) && w.words[hi].start < b {
		hi++
	}
	if lo == hi {
		return
	}
	words := w.words[lo:hi]
	// The words' tokens: base[bl:bh].
	bl, bh := 0, len(base)
	for bl < bh {
		m := (bl + bh) / 2
		if base[m].pos < words[0].pos {
			bl = m + 1
		} else {
			bh = m
		}
	}
	bh = bl
	for bh < len(base) && base[bh].pos <= words[len(words)-1].pos {
		bh++
	}
	base = base[bl:bh]
	w.span = w.span[:0]
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
		// The position of the word holding text[s], or of the next one.
		k := 0
		for k+1 < len(words) && words[k].end <= s {
			k++
		}
		pos := words[k].pos
		var c cachedTerm
		if raw {
			h := uint32(2166136261)
			for k := s; k < t; k++ {
				h = (h ^ uint32(text[k])) * 16777619
			}
			c = e.lookupRaw(w, text[s:t], h)
		} else {
			c = e.lookup(w, text[s:t])
		}
		if c.stop {
			return
		}
		for _, x := range base {
			if x.pos == pos && x.term == c.term {
				return
			}
		}
		for _, x := range w.span {
			if x.pos == pos && x.term == c.term {
				return
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
	// Parts: runs of letters and digits, and their camelCase humps.
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
	// Sort by position (insertion: a span has few tokens, mostly in
	// order), keeping the order of equal positions.
	for k := 1; k < len(w.span); k++ {
		for m := k; m > 0 && w.span[m-1].pos > w.span[m].pos; m-- {
			w.span[m-1], w.span[m] = w.span[m], w.span[m-1]
		}
	}
	w.extra = append(w.extra, w.span...)
	clear(w.span)
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
