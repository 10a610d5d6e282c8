package analysis

import (
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
// time; each scratch space (pooled, one or two per thread) is 480 KiB.
//
// An English made by NewNumberingEnglish also numbers the distinct terms
// it produces, for callers that count terms in arrays rather than maps
// (NumberedTokens, Terms). Compound wholes need no cache of their own
// (see whole).
type English struct {
	full    banalysis.Analyzer      // bleve's "en", for invalid UTF-8
	filters []banalysis.TokenFilter // bleve's "en" filters, for words not cached
	scratch sync.Pool               // *work
	shards  [cacheShards]cacheShard
	nums    *termNumbers // nil unless made by NewNumberingEnglish
	words   bool         // no compound tokens: bleve's "en" exactly (NewWordsEnglish)
}

// termNumbers numbers distinct terms in order of first request.
type termNumbers struct {
	mu    sync.Mutex
	num   map[string]int32
	terms []string // by number
}

// number returns the number of term, giving it the next one if it has
// none yet, and the copy of term it keeps (term may point into the
// caller's bytes).
func (n *termNumbers) number(term string) (int32, string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if k, ok := n.num[term]; ok {
		return k, n.terms[k]
	}
	term = strings.Clone(term)
	k := int32(len(n.terms))
	n.num[term] = k
	n.terms = append(n.terms, term)
	return k, term
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
	if e.filters == nil {
		return e.analyzeFull(dst, text)
	}
	first := len(dst)
	pos := 1
	n := len(text)
	w.words, w.cands = w.words[:0], w.cands[:0]
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
			// Text that is not valid UTF-8 (its bad bytes are in such
			// stretches, ASCII is valid) is bleve's to analyse, and so is
			// the rest of a text the segmenter stopped early in: only
			// bleve's analysis of the whole text reproduces that.
			if !utf8.ValidString(text[i:j]) {
				return e.analyzeFull(dst[:first], text)
			}
			var ok bool
			if dst, ok = e.segment(w, dst, text, i, j, &pos); !ok {
				return e.analyzeFull(dst[:first], text)
			}
			w.candidate(i, j)
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
			// cand: the word may be part of a span with compound tokens
			// (see candidate): it holds a joiner or a camelCase hump.
			cand := false
			for k < j {
				c := byteClass[text[k]]
				switch c {
				case cLetter:
					letters = true
					cand = cand || text[k] <= 'Z' && k > start && hump(text[:j], k)
					k++
					continue
				case cDigit:
					k++
					continue
				case cExtend:
					cand = true
					k++
					continue
				}
				if k > start && k+1 < j {
					p, q := byteClass[text[k-1]], byteClass[text[k+1]]
					if p == cLetter && q == cLetter && (c == cMidLet || c == cMidBoth) ||
						p == cDigit && q == cDigit && (c == cMidNum || c == cMidBoth) {
						cand = cand || text[k] == '.' || text[k] == ':'
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
			// Or it is followed by a joiner and more of a span.
			if cand || k+1 < n && spanClass[text[k]]&sJoiner != 0 && spanClass[text[k+1]] != 0 {
				w.candidate(start, k)
			}
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
	words []word      // every word of the text, stop words too
	cands []byteRange // where spans with compound tokens may be, see candidate
	extra []tok       // compound tokens, see compounds
	span  []tok       // one span's compound tokens
	// wordAt and tokAt are where spanWords goes on in words and in the
	// word tokens.
	wordAt, tokAt int
	front         [frontSize]frontEntry
	wholes        [wholesSize]frontEntry // compounds' wholes, see whole
}

// wholesSize is the number of compound wholes work remembers (96 KiB).
const wholesSize = 2048

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

// whole returns the term of the compound whole word (ASCII, see
// compounds): word in lower case, not stemmed; for a plain English it
// may point into the text (word itself). A numbering English numbers it,
// and remembers the short ones in w: its terms are its numbers' copies.
func (e *English) whole(w *work, word string) cachedTerm {
	if e.nums == nil {
		return cachedTerm{term: strings.ToLower(word)}
	}
	var f *frontEntry
	if len(word) <= len(frontEntry{}.word) {
		h := uint32(2166136261)
		for k := 0; k < len(word); k++ {
			h = (h ^ uint32(word[k])) * 16777619
		}
		f = &w.wholes[h>>5&(wholesSize-1)]
		if int(f.n) == len(word) && string(f.word[:f.n]) == word {
			return f.t
		}
	}
	k, term := e.nums.number(strings.ToLower(word))
	t := cachedTerm{term: term, num: k + 1}
	if f != nil {
		f.n = uint8(copy(f.word[:], word))
		f.t = t
	}
	return t
}

// term returns the analysis of one word, whose FNV-1a hash is h, from the
// cache if it can.
func (e *English) term(word string, h uint32) cachedTerm {
	return e.cached(&e.shards[h%cacheShards], word)
}

// cached returns the analysis of word from sh, computing and caching it
// if it is not there.
func (e *English) cached(sh *cacheShard, word string) cachedTerm {
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
	key := strings.Clone(word) // word may point into the caller's bytes
	t = e.analyzeWord(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if _, ok := sh.dirty[word]; ok || sh.size >= maxCached/cacheShards {
		return t
	}
	if sh.dirty == nil {
		sh.dirty = map[string]cachedTerm{}
	}
	sh.dirty[key] = t
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

// analyzeWord returns the word filters' analysis of word (see cached). A
// term equal to word is word itself, so the cache holds one string for
// both (a numbering English's, the copy its numbers keep).
func (e *English) analyzeWord(word string) cachedTerm {
	ts := banalysis.TokenStream{&banalysis.Token{Term: []byte(word), Position: 1, End: len(word)}}
	for _, f := range e.filters {
		ts = f.Filter(ts)
	}
	var t cachedTerm
	switch {
	case len(ts) == 0:
		return cachedTerm{stop: true}
	case string(ts[0].Term) == word:
		t.term = word
	default:
		t.term = string(ts[0].Term)
	}
	if e.nums != nil {
		var k int32
		k, t.term = e.nums.number(t.term)
		t.num = k + 1
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
			n, _ = e.nums.number(t.term) // bleve's analysis (invalid UTF-8)
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
	k, _ := e.nums.number(term)
	return k
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
