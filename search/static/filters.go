// The filter keys (~field:value) and their postings.

package static

import (
	"strings"

	"github.com/hindsight-kb/hindsight/search"
)

// filterAcc accumulates the documents of a filter key.
type filterAcc struct {
	post []byte // Δdoc,Δdoc…
	prev int
	n    int // documents
}

// addFilters adds document i to the keys "~field:value" of its filter
// values. key is a buffer for the keys; it returns it for the next call.
func addFilters(filters map[string]*filterAcc, d *search.Doc, i int, key []byte) []byte {
	add := func(field string, vals ...string) {
		for _, v := range vals {
			if v == "" {
				continue
			}
			key = append(append(append(key[:0], '~'), field...), ':')
			key = appendLower(key, v)
			acc := filters[string(key)]
			if acc == nil {
				acc = &filterAcc{}
				filters[string(key)] = acc
			} else if acc.n > 0 && acc.prev == i {
				continue // a repeated value
			}
			acc.post = appendNum(acc.post, i-acc.prev)
			acc.prev = i
			acc.n++
		}
	}
	add("cause", d.Causes...)
	add("system", d.Systems...)
	add("data", d.Data...)
	add("technique", search.TechniqueTerms(d.Techniques)...)
	add("severity", d.Severity)
	add("category", d.Category)
	add("status", d.Status)
	add("id", d.ID)
	return key
}

// appendLower appends strings.ToLower(s) to b, without a new string when
// s is ASCII.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return append(b, strings.ToLower(s)...)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}
