// Package static exports a prebuilt, sharded search index for the static
// site: the files themes/default/static/search.js loads on demand, so the
// /search/ page works on a plain static host.
//
// Layout (paths relative to the site's search/ folder):
//
//	index/meta.json      {"version","n","shards","pshards","chunk","stop":[…]}
//	index/t/<k>.json     term shards: {"term":[Δdoc,w,Δdoc,w,…], "~cause:x":[Δdoc,…]}
//	index/p/<k>.json     position shards: {"term":[[doc,field,pos,…],…]}
//	index/d/<k>.json     document chunks: [[id,title,severity,day,url,summary],…]
//	index/dates.json     the local start date (YYYY-MM-DD) of every document, as
//	                     runs [["2026-01-05",3],…] in document order
//
// Documents are numbered by start date, newest first. A term lives in
// shard fnv1a32(utf8(term)) mod shards. Terms are the output of the same
// bleve "en" analyzer as the server-side index, so the browser only has to
// tokenize, lower-case, drop stop words and Porter-stem the query the same
// way. Filter values are keys "~field:value" (lower-cased; field one of
// cause, system, data, technique, severity, category, status). Weights w
// are 1000 × Σ over title (×3), body (×1) and keywords (×1.5) of
// √tf/√length; the browser scores Σ idf·w.
package static

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// Version is the format version written into meta.json.
const Version = 2

// Options tune the export.
type Options struct {
	// ShardSize is the target size in bytes of a term or position shard;
	// 0 means 24 KiB.
	ShardSize int
	// ChunkDocs is the number of documents per metadata chunk; 0 means 4
	// (a page of 20 hits then costs about 20 small files, not 20 large
	// ones).
	ChunkDocs int
}

// field numbers in position shards.
const (
	fieldTitle = iota
	fieldBody
	fieldKeywords
)

var fieldBoost = [...]float64{3, 1, 1.5}

// Export builds the static index of docs (already filtered for the
// audience, see search.Docs) and returns its files by slash path relative
// to the site's search/ folder.
func Export(docs []search.Doc, opts Options) (map[string][]byte, error) {
	if opts.ShardSize <= 0 {
		opts.ShardSize = 24 << 10
	}
	if opts.ChunkDocs <= 0 {
		opts.ChunkDocs = 4
	}
	a, err := search.NewAnalyzer()
	if err != nil {
		return nil, err
	}
	docs = dedupe(docs)
	sort.SliceStable(docs, func(i, j int) bool {
		if !docs[i].Started.Equal(docs[j].Started) {
			return docs[i].Started.After(docs[j].Started)
		}
		return docs[i].ID < docs[j].ID
	})

	// Analysis is the expensive part: done per document in parallel, then
	// merged in document order, so the output does not depend on timing.
	type termRec struct {
		term string
		w    int
		pos  [3][]int
	}
	analysed := make([][]termRec, len(docs))
	kb.Parallel(len(docs), 0, func(i int) {
		d := &docs[i]
		texts := [3]string{d.Title, d.Body, d.Keywords}
		idx := map[string]int{}
		var recs []termRec
		var tf [][3]int
		var lens [3]int
		for f, text := range texts {
			toks := search.Analyze(a, text)
			lens[f] = len(toks)
			for _, t := range toks {
				j, ok := idx[t.Term]
				if !ok {
					j = len(recs)
					idx[t.Term] = j
					recs = append(recs, termRec{term: t.Term})
					tf = append(tf, [3]int{})
				}
				tf[j][f]++
				recs[j].pos[f] = append(recs[j].pos[f], t.Position)
			}
		}
		for j := range recs {
			w := 0.0
			for f := 0; f < 3; f++ {
				if tf[j][f] > 0 {
					w += fieldBoost[f] * math.Sqrt(float64(tf[j][f])) / math.Sqrt(float64(lens[f]))
				}
			}
			wi := int(math.Round(w * 1000))
			if wi < 1 {
				wi = 1
			}
			recs[j].w = wi
		}
		analysed[i] = recs
	})

	postings := map[string][]int{}   // term → doc, w pairs (absolute doc)
	positions := map[string][]byte{} // term → JSON records [doc, field, pos…], comma-separated
	filters := map[string][]int{}
	dates := make([]string, len(docs))
	for i := range docs {
		d := &docs[i]
		dates[i] = d.Day()
		for _, r := range analysed[i] {
			postings[r.term] = append(postings[r.term], i, r.w)
			for f := 0; f < 3; f++ {
				if len(r.pos[f]) > 0 {
					b := positions[r.term]
					if len(b) > 0 {
						b = append(b, ',')
					}
					b = append(b, '[')
					b = strconv.AppendInt(b, int64(i), 10)
					b = append(b, ',')
					b = strconv.AppendInt(b, int64(f), 10)
					for _, p := range r.pos[f] {
						b = append(b, ',')
						b = strconv.AppendInt(b, int64(p), 10)
					}
					positions[r.term] = append(b, ']')
				}
			}
		}
		analysed[i] = nil
		addFilter := func(field string, vals ...string) {
			seen := map[string]bool{}
			for _, v := range vals {
				k := "~" + field + ":" + strings.ToLower(v)
				if v == "" || seen[k] {
					continue
				}
				seen[k] = true
				filters[k] = append(filters[k], i)
			}
		}
		addFilter("cause", d.Causes...)
		addFilter("system", d.Systems...)
		addFilter("data", d.Data...)
		addFilter("technique", search.TechniqueTerms(d.Techniques)...)
		addFilter("severity", d.Severity)
		addFilter("category", d.Category)
		addFilter("status", d.Status)
	}

	// Term shards: postings delta-encoded on the document number.
	enc := map[string]json.RawMessage{}
	total := 0
	for term, p := range postings {
		out := make([]int, len(p))
		prev := 0
		for j := 0; j < len(p); j += 2 {
			out[j] = p[j] - prev
			out[j+1] = p[j+1]
			prev = p[j]
		}
		b := appendInts(make([]byte, 0, 4*len(out)), out)
		enc[term] = b
		total += len(b) + len(term) + 4
	}
	for key, p := range filters {
		out := make([]int, len(p))
		prev := 0
		for j, d := range p {
			out[j] = d - prev
			prev = d
		}
		b := appendInts(make([]byte, 0, 4*len(out)), out)
		enc[key] = b
		total += len(b) + len(key) + 4
	}
	files := map[string][]byte{}
	shards := shardCount(total, opts.ShardSize)
	if err := writeShards(files, "index/t/", enc, shards); err != nil {
		return nil, err
	}
	penc := map[string]json.RawMessage{}
	ptotal := 0
	for term, recs := range positions {
		b := make([]byte, 0, len(recs)+2)
		b = append(append(append(b, '['), recs...), ']')
		penc[term] = b
		ptotal += len(b) + len(term) + 4
	}
	pshards := shardCount(ptotal, opts.ShardSize)
	if err := writeShards(files, "index/p/", penc, pshards); err != nil {
		return nil, err
	}
	for c := 0; c*opts.ChunkDocs < len(docs) || c == 0; c++ {
		var rows [][]string
		for i := c * opts.ChunkDocs; i < len(docs) && i < (c+1)*opts.ChunkDocs; i++ {
			d := &docs[i]
			rows = append(rows, []string{d.ID, d.Title, d.Severity, d.Day(), d.URL, shorten(d.Summary, 180)})
		}
		if rows == nil {
			rows = [][]string{}
		}
		b, err := json.Marshal(rows)
		if err != nil {
			return nil, err
		}
		files[fmt.Sprintf("index/d/%d.json", c)] = b
	}
	// Documents are sorted by date, so dates are written as runs:
	// [["2026-01-05",3],…] in document order.
	runs := [][2]any{}
	for i := 0; i < len(dates); {
		j := i
		for j < len(dates) && dates[j] == dates[i] {
			j++
		}
		runs = append(runs, [2]any{dates[i], j - i})
		i = j
	}
	b, _ := json.Marshal(runs)
	files["index/dates.json"] = b
	meta := map[string]any{
		"version": Version,
		"n":       len(docs),
		"shards":  shards,
		"pshards": pshards,
		"chunk":   opts.ChunkDocs,
		"stop":    search.StopWords(),
	}
	b, _ = json.Marshal(meta)
	files["index/meta.json"] = b
	return files, nil
}

func dedupe(docs []search.Doc) []search.Doc {
	seen := map[string]bool{}
	out := make([]search.Doc, 0, len(docs))
	for _, d := range docs {
		if !seen[d.ID] {
			seen[d.ID] = true
			out = append(out, d)
		}
	}
	return out
}

func shardCount(total, size int) int {
	n := (total + size - 1) / size
	if n < 1 {
		n = 1
	}
	return n
}

// Shard returns the shard number of a key: FNV-1a (32 bit) of its UTF-8
// bytes modulo n. search.js computes the same.
func Shard(key string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(n))
}

func writeShards(files map[string][]byte, prefix string, enc map[string]json.RawMessage, n int) error {
	parts := make([]map[string]json.RawMessage, n)
	for i := range parts {
		parts[i] = map[string]json.RawMessage{}
	}
	for k, v := range enc {
		parts[Shard(k, n)][k] = v
	}
	for i, p := range parts {
		b, err := json.Marshal(p)
		if err != nil {
			return err
		}
		files[fmt.Sprintf("%s%d.json", prefix, i)] = b
	}
	return nil
}

// shorten cuts s to about n bytes at a space.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexByte(s[:cut], ' '); i > n/2 {
		cut = i
	}
	return strings.TrimSuffix(strings.TrimSpace(s[:cut]), " …") + " …"
}

// appendInts appends xs as a JSON array.
func appendInts(b []byte, xs []int) []byte {
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(x), 10)
	}
	return append(b, ']')
}
