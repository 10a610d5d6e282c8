package search

import (
	"bytes"
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

// encodeFileCache writes "files1\tCONFIG\n" then "SIZE\tMTIME\tID\tPATH\n".
func encodeFileCache(fc fileCache) []byte {
	var b bytes.Buffer
	b.Grow(len(fc.Files) * 96)
	b.WriteString("files1\t" + esc(fc.Config) + "\n")
	var num []byte
	for p, e := range fc.Files {
		num = strconv.AppendInt(num[:0], e.Size, 10)
		b.Write(num)
		b.WriteByte('\t')
		num = strconv.AppendInt(num[:0], e.MTime, 10)
		b.Write(num)
		b.WriteByte('\t')
		b.WriteString(esc(e.ID))
		b.WriteByte('\t')
		b.WriteString(esc(p))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func decodeFileCache(data []byte) (fileCache, bool) {
	s := string(data)
	line, rest, _ := strings.Cut(s, "\n")
	tag, cfg, ok := strings.Cut(line, "\t")
	if !ok || tag != "files1" {
		return fileCache{}, false
	}
	fc := fileCache{Config: unesc(cfg), Files: make(map[string]fileEntry, strings.Count(rest, "\n"))}
	for rest != "" {
		line, rest, _ = strings.Cut(rest, "\n")
		f := strings.SplitN(line, "\t", 4)
		if len(f) != 4 {
			return fileCache{}, false
		}
		size, err1 := strconv.ParseInt(f[0], 10, 64)
		mt, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil {
			return fileCache{}, false
		}
		fc.Files[unesc(f[3])] = fileEntry{Size: size, MTime: mt, ID: unesc(f[2])}
	}
	return fc, true
}
