// The first pass over the documents: their tokens, in a compact form,
// and their term counts for similar incidents.

package static

import (
	"encoding/binary"
	"runtime"

	"github.com/hindsight-kb/hindsight/search"
	textan "github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// tokenize returns the tokens of every document's title, body and
// keywords, analysed in parallel, in a compact form: for each field, the
// number of tokens, then each token's term number and position (as the
// difference from the previous token's), uvarints; about three bytes a
// token, a fraction of the text. It gives each document's term counts to
// opts.Terms, lets the body go when opts.ReleaseBodies (nothing reads it
// again: the document chunks and filters use the other fields), and calls
// opts.Analysed at the end. from are the documents' indexes for
// opts.Terms.
func tokenize(a *textan.English, docs []search.Doc, from []int, opts Options) ([][]byte, map[string]int32) {
	n := runtime.GOMAXPROCS(0)
	workers := make(chan *tokenizer, n)
	all := make([]*tokenizer, n)
	for k := range n {
		all[k] = &tokenizer{seen: map[string]*surfaceCount{}}
		workers <- all[k]
	}
	out := make([][]byte, len(docs))
	kb.Parallel(len(docs), n, func(i int) {
		w := <-workers
		out[i] = w.doc(a, &docs[i])
		w.surfaceWords(&docs[i], int32(i))
		if opts.Terms != nil {
			w.count()
			opts.Terms(from[i], w.terms, w.tf)
		}
		if opts.ReleaseBodies {
			docs[i].Body = ""
		}
		workers <- w
	})
	if opts.Analysed != nil {
		opts.Analysed()
	}
	// A document is counted by one worker only: the counts add up.
	surface := map[string]int32{}
	for _, w := range all {
		for k, c := range w.seen {
			surface[k] += c.docs
		}
	}
	return out, surface
}

// tokenizer is the scratch space of one tokenize worker.
type tokenizer struct {
	toks []textan.NumberedToken
	ends [3]int // the end of each field's tokens in toks
	// seen holds, for each lower-case word (see surfaceWords), the count
	// of documents holding it; front the last words looked up.
	seen  map[string]*surfaceCount
	front [surfaceFront]surfaceEntry
	slot  []int32
	terms []int32
	tf    [][3]int32
}

// doc returns the compact tokens of d (see tokenize), keeping them in
// w.toks for count.
func (w *tokenizer) doc(a *textan.English, d *search.Doc) []byte {
	w.toks = w.toks[:0]
	for f, text := range [3]string{d.Title, d.Body, d.Keywords} {
		w.toks = a.NumberedTokens(w.toks, text)
		w.ends[f] = len(w.toks)
	}
	size, from := 0, 0
	for _, end := range w.ends {
		size += uvarintLen(uint64(end - from))
		last := int32(0)
		for _, t := range w.toks[from:end] {
			size += uvarintLen(uint64(t.Term)) + uvarintLen(uint64(t.Position-last))
			last = t.Position
		}
		from = end
	}
	b := make([]byte, 0, size)
	from = 0
	for _, end := range w.ends {
		b = binary.AppendUvarint(b, uint64(end-from))
		last := int32(0)
		for _, t := range w.toks[from:end] {
			b = binary.AppendUvarint(b, uint64(t.Term))
			b = binary.AppendUvarint(b, uint64(t.Position-last))
			last = t.Position
		}
		from = end
	}
	return b
}

// count sets w.terms and w.tf to the distinct terms of the last
// document, in order of first appearance, and their counts per field.
func (w *tokenizer) count() {
	w.terms, w.tf = w.terms[:0], w.tf[:0]
	f := 0
	for k, t := range w.toks {
		for k == w.ends[f] {
			f++
		}
		if int(t.Term) >= len(w.slot) {
			w.slot = append(w.slot, make([]int32, int(t.Term)+1-len(w.slot))...)
			w.slot = w.slot[:cap(w.slot)]
		}
		j := w.slot[t.Term] - 1
		if j < 0 {
			j = int32(len(w.terms))
			w.slot[t.Term] = j + 1
			w.terms = append(w.terms, t.Term)
			w.tf = append(w.tf, [3]int32{})
		}
		w.tf[j][f]++
	}
	for _, t := range w.terms {
		w.slot[t] = 0
	}
}
