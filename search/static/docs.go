// The document chunks (index/d/) and the dates file.

package static

import (
	"strconv"
	"time"

	"github.com/hindsight-kb/hindsight/search"
)

// docFiles adds the document chunks index/d/<k>.json, chunk documents
// each, in one buffer (a growing one per chunk allocated 15 MB at 10,000
// postmortems), and index/dates.json to files.
func docFiles(files map[string][]byte, docs []search.Doc, chunk int) {
	size := 0
	for i := range docs {
		d := &docs[i]
		size += len(d.ID) + len(d.Title) + len(d.Severity) + len(d.URL) + min(len(d.Summary), 200) + 40
	}
	all := make([]byte, 0, size+2*(len(docs)/chunk+1))
	for c := 0; c*chunk < len(docs) || c == 0; c++ {
		from := len(all)
		all = append(all, '[')
		for i := c * chunk; i < len(docs) && i < (c+1)*chunk; i++ {
			d := &docs[i]
			if all[len(all)-1] != '[' {
				all = append(all, ',')
			}
			all = append(all, '[')
			for k, s := range [...]string{d.ID, d.Title, d.Severity, d.Day(), d.URL, search.Shorten(d.Summary, 180)} {
				if k > 0 {
					all = append(all, ',')
				}
				all = appendString(all, s)
			}
			all = append(all, ']')
		}
		all = append(all, ']')
		files["index/d/"+strconv.Itoa(c)+".json"] = all[from:len(all):len(all)]
	}
	files["index/dates.json"] = datesFile(docs)
}

// datesFile returns index/dates.json. Documents are sorted by date, so
// dates are written as runs, in document order: {"runs":"v,count,…"}
// where v is 1 for documents without a date, else 2·zigzag(day − the
// previous run's day), days counted from 1970-01-01 (usually one or two
// characters per run).
func datesFile(docs []search.Doc) []byte {
	b := []byte(`{"runs":"`)
	prev := int64(0)
	for i := 0; i < len(docs); {
		day := docs[i].Day()
		j := i + 1
		for j < len(docs) && docs[j].Day() == day {
			j++
		}
		v := int64(1)
		if t, err := time.Parse(time.DateOnly, day); err == nil {
			k := t.Unix() / 86400
			v = 2 * zigzag(k-prev)
			prev = k
		}
		b = appendNum(b, int(v))
		b = appendNum(b, j-i)
		i = j
	}
	return append(b, `"}`...)
}

// zigzag maps signed to unsigned numbers: 0, -1, 1, -2… → 0, 1, 2, 3….
func zigzag(v int64) int64 { return v<<1 ^ v>>63 }
