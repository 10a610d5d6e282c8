package search

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
)

// The manifest and the file cache are stored as lines of tab-separated
// fields rather than JSON: `hindsight search` reads them on every run and
// a 10,000-entry JSON object takes tens of milliseconds to decode.

var (
	escField   = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`)
	unescField = strings.NewReplacer(`\\`, `\`, `\t`, "\t", `\n`, "\n")
)

func esc(s string) string {
	if strings.ContainsAny(s, "\\\t\n") {
		return escField.Replace(s)
	}
	return s
}

func unesc(s string) string {
	if strings.IndexByte(s, '\\') >= 0 {
		return unescField.Replace(s)
	}
	return s
}

// encodeManifest writes "manifest1\tVERSION\n" then "ID\tHASH\n" lines.
func encodeManifest(m manifest) []byte {
	var b bytes.Buffer
	b.Grow(len(m.Docs) * 48)
	b.WriteString("manifest1\t" + esc(m.Version) + "\n")
	for id, h := range m.Docs {
		b.WriteString(esc(id))
		b.WriteByte('\t')
		b.WriteString(h)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func decodeManifest(data []byte) (manifest, bool) {
	s := string(data)
	line, rest, _ := strings.Cut(s, "\n")
	tag, version, ok := strings.Cut(line, "\t")
	if !ok || tag != "manifest1" {
		return manifest{}, false
	}
	m := manifest{Version: unesc(version), Docs: make(map[string]string, strings.Count(rest, "\n"))}
	for rest != "" {
		line, rest, _ = strings.Cut(rest, "\n")
		id, h, ok := strings.Cut(line, "\t")
		if !ok {
			return manifest{}, false
		}
		m.Docs[unesc(id)] = h
	}
	return m, true
}

// encodeFileCache writes "files1\tCONFIG\n" then "SIZE\tMTIME\tID\tPATH\n",
// in the order of fc.Files (sorted by path, so SyncKB can compare it with
// a folder listing without building a map).
func encodeFileCache(fc fileCache) []byte {
	var b bytes.Buffer
	b.Grow(len(fc.Files) * 96)
	b.WriteString("files1\t" + esc(fc.Config) + "\n")
	var num []byte
	for _, e := range fc.Files {
		num = strconv.AppendInt(num[:0], e.Size, 10)
		b.Write(num)
		b.WriteByte('\t')
		num = strconv.AppendInt(num[:0], e.MTime, 10)
		b.Write(num)
		b.WriteByte('\t')
		b.WriteString(esc(e.ID))
		b.WriteByte('\t')
		b.WriteString(esc(e.Path))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// decodeFileCache reads what encodeFileCache wrote. The entries come back
// sorted by path (caches written before they were sorted are sorted here).
// Strings share one copy of data: no allocation per entry.
func decodeFileCache(data []byte) (fileCache, bool) {
	s := string(data)
	line, rest, _ := strings.Cut(s, "\n")
	tag, cfg, ok := strings.Cut(line, "\t")
	if !ok || tag != "files1" {
		return fileCache{}, false
	}
	fc := fileCache{Config: unesc(cfg), Files: make([]fileEntry, 0, strings.Count(rest, "\n"))}
	sorted := true
	for rest != "" {
		line, rest, _ = strings.Cut(rest, "\n")
		f0, line, ok0 := strings.Cut(line, "\t")
		f1, line, ok1 := strings.Cut(line, "\t")
		id, path, ok2 := strings.Cut(line, "\t")
		if !ok0 || !ok1 || !ok2 {
			return fileCache{}, false
		}
		size, err1 := strconv.ParseInt(f0, 10, 64)
		mt, err2 := strconv.ParseInt(f1, 10, 64)
		if err1 != nil || err2 != nil {
			return fileCache{}, false
		}
		e := fileEntry{Path: unesc(path), Size: size, MTime: mt, ID: unesc(id)}
		if n := len(fc.Files); n > 0 && fc.Files[n-1].Path >= e.Path {
			sorted = false
		}
		fc.Files = append(fc.Files, e)
	}
	if !sorted {
		fc.unsorted = true
		sort.SliceStable(fc.Files, func(i, j int) bool { return fc.Files[i].Path < fc.Files[j].Path })
		// A path listed twice keeps its last entry, as the map it was
		// written from could not hold two.
		out := fc.Files[:0]
		for _, e := range fc.Files {
			if n := len(out); n > 0 && out[n-1].Path == e.Path {
				out[n-1] = e
				continue
			}
			out = append(out, e)
		}
		fc.Files = out
	}
	return fc, true
}

// manifestHeader checks the first line of an encoded manifest and returns
// its version and number of documents without decoding it.
func manifestHeader(data []byte) (version string, n int, ok bool) {
	line, rest, _ := bytes.Cut(data, []byte("\n"))
	tag, v, ok := bytes.Cut(line, []byte("\t"))
	if !ok || string(tag) != "manifest1" {
		return "", 0, false
	}
	return unesc(string(v)), bytes.Count(rest, []byte("\n")), true
}

// fileCacheMatches reports whether the encoded file cache data is for
// configuration fp and lists exactly files (sorted by path) with the same
// sizes and modification times, and counts its entries that produced a
// document. It allocates nothing: `hindsight search` calls it on every
// run, and decoding 10,000 entries would cost more than the search.
func fileCacheMatches(data []byte, fp string, files []found) (docs int, ok bool) {
	head := "files1\t" + esc(fp) + "\n"
	if len(data) < len(head) || string(data[:len(head)]) != head {
		return 0, false
	}
	rest := data[len(head):]
	for i := range files {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			return 0, false
		}
		line := rest[:nl]
		rest = rest[nl+1:]
		size, line, ok1 := cutInt(line)
		mt, line, ok2 := cutInt(line)
		tab := bytes.IndexByte(line, '\t')
		if !ok1 || !ok2 || tab < 0 || size != files[i].size || mt != files[i].mt {
			return 0, false
		}
		path := line[tab+1:]
		if bytes.IndexByte(path, '\\') >= 0 {
			if unesc(string(path)) != files[i].rel {
				return 0, false
			}
		} else if string(path) != files[i].rel {
			return 0, false
		}
		if tab > 0 {
			docs++
		}
	}
	return docs, len(rest) == 0
}

// cutInt parses the decimal number before the first tab of b and returns
// what follows the tab.
func cutInt(b []byte) (n int64, rest []byte, ok bool) {
	i, neg := 0, false
	if len(b) > 0 && b[0] == '-' {
		neg, i = true, 1
	}
	start := i
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if i-start >= 19 {
			return 0, nil, false
		}
		n = n*10 + int64(b[i]-'0')
	}
	if i == start || i >= len(b) || b[i] != '\t' {
		return 0, nil, false
	}
	if neg {
		n = -n
	}
	return n, b[i+1:], true
}

// cachePathOf returns the path of the file that produced document id in
// the encoded file cache data, or "".
func cachePathOf(data []byte, id string) string {
	if id == "" {
		return ""
	}
	key := []byte("\t" + esc(id) + "\t")
	for off := 0; ; {
		i := bytes.Index(data[off:], key)
		if i < 0 {
			return ""
		}
		i += off
		off = i + 1
		start := bytes.LastIndexByte(data[:i], '\n') + 1
		if start == 0 {
			continue // the header
		}
		end := bytes.IndexByte(data[i:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += i
		}
		line := string(data[start:end])
		_, r, _ := strings.Cut(line, "\t")
		_, r, _ = strings.Cut(r, "\t")
		got, path, ok := strings.Cut(r, "\t")
		if ok && unesc(got) == id {
			return unesc(path)
		}
	}
}
