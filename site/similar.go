package site

import (
	"math"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// similarTerms is how many distinctive terms represent a postmortem.
const similarTerms = 16

// similar finds, for each postmortem, up to n others most similar by
// content: each is represented by its most distinctive words (tf-idf over
// title and body), and two postmortems score by the weights of the words
// they share. Ties go to the more recent one. It runs in O(N·K·P) where P
// is the length of a word's posting list, kept short by using only each
// postmortem's top words.
func similar(ps []*postmortem.Postmortem, n, workers int) map[string][]string {
	N := len(ps)
	out := make(map[string][]string, N)
	if N < 2 || n <= 0 {
		return out
	}
	if workers < 1 {
		workers = 1
	}
	// Term frequencies per document, in parallel.
	tfs := make([]map[string]int, N)
	kb.Parallel(N, workers, func(i int) {
		p := ps[i]
		tf := map[string]int{}
		for range 3 { // the title counts three times
			words(p.Title, func(w string) { tf[w]++ })
		}
		words(p.Body.Text, func(w string) { tf[w]++ })
		tfs[i] = tf
	})
	df := map[string]int{}
	for _, tf := range tfs {
		for w := range tf {
			df[w]++
		}
	}
	type tw struct {
		term string
		w    float64
	}
	// A word in more than maxDF postmortems is not distinctive (and its
	// posting list would make scoring quadratic).
	maxDF := N / 20
	if maxDF < 20 {
		maxDF = 20
	}
	if maxDF > N/3+1 {
		maxDF = N/3 + 1
	}
	tops := make([][]tw, N)
	kb.Parallel(N, workers, func(i int) {
		var ws []tw
		for w, c := range tfs[i] {
			d := df[w]
			if d < 2 || d > maxDF { // unique or too common: says nothing
				continue
			}
			ws = append(ws, tw{w, (1 + math.Log(float64(c))) * math.Log(float64(N)/float64(d))})
		}
		sort.Slice(ws, func(a, b int) bool {
			if ws[a].w != ws[b].w {
				return ws[a].w > ws[b].w
			}
			return ws[a].term < ws[b].term
		})
		if len(ws) > similarTerms {
			ws = ws[:similarTerms]
		}
		var norm float64
		for _, x := range ws {
			norm += x.w * x.w
		}
		norm = math.Sqrt(norm)
		for k := range ws {
			ws[k].w /= norm
		}
		tops[i] = ws
	})
	tfs = nil
	type posting struct {
		doc int32
		w   float64
	}
	postings := map[string][]posting{}
	for i, ws := range tops {
		for _, x := range ws {
			postings[x.term] = append(postings[x.term], posting{int32(i), x.w})
		}
	}
	results := make([][]string, N)
	pool := sync.Pool{New: func() any { return make([]float64, N) }}
	kb.Parallel(N, workers, func(i int) {
		score := pool.Get().([]float64)
		var touched []int32
		for _, x := range tops[i] {
			for _, pj := range postings[x.term] {
				j := pj.doc
				if int(j) == i {
					continue
				}
				if score[j] == 0 {
					touched = append(touched, j)
				}
				score[j] += x.w * pj.w
			}
		}
		sort.Slice(touched, func(a, b int) bool {
			sa, sb := score[touched[a]], score[touched[b]]
			if sa != sb {
				return sa > sb
			}
			return touched[a] < touched[b] // ps is newest first
		})
		k := n
		if k > len(touched) {
			k = len(touched)
		}
		ids := make([]string, 0, k)
		for _, j := range touched[:k] {
			ids = append(ids, ps[j].URLID())
		}
		for _, j := range touched {
			score[j] = 0
		}
		pool.Put(score)
		results[i] = ids
	})
	for i, p := range ps {
		out[p.URLID()] = results[i]
	}
	return out
}

// words calls fn with each lower-cased word of s of 3 letters or more that
// is not a stop word.
func words(s string, fn func(string)) {
	start := -1
	emit := func(end int) {
		if start < 0 {
			return
		}
		w := s[start:end]
		start = -1
		if utf8.RuneCountInString(w) < 3 {
			return
		}
		w = strings.ToLower(w)
		if stopWords[w] {
			return
		}
		fn(w)
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		emit(i)
	}
	emit(len(s))
}

// stopWords are English function words left out of similarity.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the and for are but not you all any can had her was one our out day get has him his how man new now old see two way who boy did its let put say she too use
	that with have this will your from they know want been good much some time very when come here just like long make many more only over such take than them well were what
	into also after before because about there their then these those which while would could should being other where each most both through during without again further once
	under above below between off own same few nor very can will just don should now was were has had having does doing until against why how all any both each`) {
		m[w] = true
	}
	return m
}()
