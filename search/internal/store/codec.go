package store

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

// EncodeManifest writes "manifest1\tVERSION\n" then "ID\tHASH\n" lines.
func EncodeManifest(m Manifest) []byte {
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

// DecodeManifest reads what EncodeManifest wrote; ok is false when data is
// not an encoded manifest.
func DecodeManifest(data []byte) (Manifest, bool) {
	s := string(data)
	line, rest, _ := strings.Cut(s, "\n")
	tag, version, ok := strings.Cut(line, "\t")
	if !ok || tag != "manifest1" {
		return Manifest{}, false
	}
	m := Manifest{Version: unesc(version), Docs: make(map[string]string, strings.Count(rest, "\n"))}
	for rest != "" {
		line, rest, _ = strings.Cut(rest, "\n")
		id, h, ok := strings.Cut(line, "\t")
		if !ok {
			return Manifest{}, false
		}
		m.Docs[unesc(id)] = h
	}
	return m, true
}

// EncodeFileCache writes the file cache in order (sorted by path, so
// SyncKB can compare it with a folder listing without building a map):
// "files2\tCONFIG\n", then per file
//
//	SIZE \t MTIME-PREVIOUS_MTIME \t ID \t SHARED \t PATH[SHARED:] \n
//
// where SHARED is the length of the prefix the path shares with the
// previous one, and ID is "\=" when it is the file name without its
// extension (as kb names documents without an id), "" when the file gives
// no document. On a 10,000-file KB this is 0.45 MB instead of 1.4 MB for
// one line of plain fields per file ("files1", still read): scorch copies
// every internal value when it opens the index, so the size is paid by
// every `hindsight search`.
func EncodeFileCache(fc FileCache) []byte {
	var b bytes.Buffer
	b.Grow(len(fc.Files) * 48)
	b.WriteString("files2\t" + esc(fc.Config) + "\n")
	var num []byte
	prev, prevMT := "", int64(0)
	for _, e := range fc.Files {
		num = strconv.AppendInt(num[:0], e.Size, 10)
		num = append(num, '\t')
		num = strconv.AppendInt(num, e.MTime-prevMT, 10)
		num = append(num, '\t')
		b.Write(num)
		switch {
		case e.ID == "":
		case e.ID == nameID(e.Path):
			b.WriteString(`\=`)
		default:
			b.WriteString(esc(e.ID))
		}
		shared := 0
		for shared < len(prev) && shared < len(e.Path) && prev[shared] == e.Path[shared] {
			shared++
		}
		num = append(num[:0], '\t')
		num = strconv.AppendInt(num, int64(shared), 10)
		num = append(num, '\t')
		b.Write(num)
		b.WriteString(esc(e.Path[shared:]))
		b.WriteByte('\n')
		prev, prevMT = e.Path, e.MTime
	}
	return b.Bytes()
}

// nameID is the file name of path without its extension.
func nameID(path string) string {
	name := path[strings.LastIndexByte(path, '/')+1:]
	if k := strings.LastIndexByte(name, '.'); k >= 0 {
		name = name[:k]
	}
	return name
}

// ScanFileCache calls fn with every entry of an encoded file cache, in
// order, and returns its configuration; ok is false when data is not a
// file cache, or fn returned false. path and id may point into data or a
// buffer reused for the next entry: copy what you keep. It allocates
// nothing for entries without escaped characters.
func ScanFileCache(data []byte, fn func(size, mt int64, id, path []byte) bool) (config string, ok bool) {
	line, rest, _ := bytes.Cut(data, []byte("\n"))
	tag, cfg, ok := bytes.Cut(line, []byte("\t"))
	if !ok || (string(tag) != "files1" && string(tag) != "files2") {
		return "", false
	}
	v2 := string(tag) == "files2"
	var path []byte
	var mt int64
	for len(rest) > 0 {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			return "", false
		}
		line, rest = rest[:nl], rest[nl+1:]
		size, line, ok1 := cutInt(line)
		m, line, ok2 := cutInt(line)
		tab := bytes.IndexByte(line, '\t')
		if !ok1 || !ok2 || tab < 0 {
			return "", false
		}
		id, line := line[:tab], line[tab+1:]
		if v2 {
			shared, suffix, ok := cutInt(line)
			if !ok || shared < 0 || shared > int64(len(path)) {
				return "", false
			}
			path = appendUnesc(path[:shared], suffix)
			mt += m
		} else {
			path = appendUnesc(path[:0], line)
			mt = m
		}
		switch {
		case v2 && string(id) == `\=`:
			id = path[bytes.LastIndexByte(path, '/')+1:]
			if k := bytes.LastIndexByte(id, '.'); k >= 0 {
				id = id[:k]
			}
		case bytes.IndexByte(id, '\\') >= 0:
			id = []byte(unesc(string(id)))
		}
		if !fn(size, mt, id, path) {
			return "", false
		}
	}
	return unesc(string(cfg)), true
}

// ManifestHeader checks the first line of an encoded manifest and returns
// its version and number of documents without decoding it.
func ManifestHeader(data []byte) (version string, n int, ok bool) {
	line, rest, _ := bytes.Cut(data, []byte("\n"))
	tag, v, ok := bytes.Cut(line, []byte("\t"))
	if !ok || string(tag) != "manifest1" {
		return "", 0, false
	}
	return unesc(string(v)), bytes.Count(rest, []byte("\n")), true
}

// FileCacheMatches reports whether the encoded file cache data is for
// configuration fp and lists exactly files (sorted by path) with the same
// sizes and modification times, and counts its entries that produced a
// document. It allocates nothing: `hindsight search` calls it on every
// run, and decoding 10,000 entries would cost more than the search.
func FileCacheMatches(data []byte, fp string, files []File) (docs int, ok bool) {
	if !bytes.HasPrefix(data, []byte("files2\t"+esc(fp)+"\n")) {
		return 0, false // another configuration, or the older encoding: Rewrite
	}
	i := 0
	_, ok = ScanFileCache(data, func(size, mt int64, id, path []byte) bool {
		if i >= len(files) || size != files[i].Size || mt != files[i].MT || string(path) != files[i].Rel {
			return false
		}
		if len(id) > 0 {
			docs++
		}
		i++
		return true
	})
	return docs, ok && i == len(files)
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

// appendUnesc appends the unescaped src to dst.
func appendUnesc(dst, src []byte) []byte {
	if bytes.IndexByte(src, '\\') < 0 {
		return append(dst, src...)
	}
	return append(dst, unesc(string(src))...)
}

// DecodeFileCache reads what EncodeFileCache (or an earlier version)
// wrote. The entries come back sorted by path; rewrite is set when the
// cache was stored unsorted or in the older encoding.
func DecodeFileCache(data []byte) (FileCache, bool) {
	fc := FileCache{Files: make([]FileEntry, 0, bytes.Count(data, []byte("\n")))}
	sorted := true
	cfg, ok := ScanFileCache(data, func(size, mt int64, id, path []byte) bool {
		e := FileEntry{Path: string(path), Size: size, MTime: mt, ID: string(id)}
		if n := len(fc.Files); n > 0 && fc.Files[n-1].Path >= e.Path {
			sorted = false
		}
		fc.Files = append(fc.Files, e)
		return true
	})
	if !ok {
		return FileCache{}, false
	}
	fc.Config = cfg
	fc.Rewrite = !bytes.HasPrefix(data, []byte("files2\t"))
	if !sorted {
		fc.Rewrite = true
		// A path listed twice keeps its last entry, as the map it was
		// written from could not hold two.
		fc.SortFiles()
	}
	return fc, true
}

// SortFiles sorts the entries by path and keeps the last one of a path
// listed twice.
func (fc *FileCache) SortFiles() {
	sort.SliceStable(fc.Files, func(i, j int) bool { return fc.Files[i].Path < fc.Files[j].Path })
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
