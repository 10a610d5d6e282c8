package store

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestCodecRoundTrip(t *testing.T) {
	m := Manifest{Version: "v\t1", Docs: map[string]string{"a": "h1", "we\tird\nid\\": "h2"}}
	got, ok := DecodeManifest(EncodeManifest(m))
	if !ok || !reflect.DeepEqual(got, m) {
		t.Errorf("manifest %v %v", got, ok)
	}
	fc := FileCache{Config: "c", Files: []FileEntry{
		{Path: "content/postmortems/\\n.md", Size: 1, MTime: 2, ID: "x\\y"},
		{Path: "content/postmortems/a.md", Size: 10, MTime: -5, ID: "a"},
		{Path: "content/postmortems/t\tb.md", Size: 0, MTime: 1 << 60},
	}}
	gotFC, ok := DecodeFileCache(EncodeFileCache(fc))
	if !ok || !reflect.DeepEqual(gotFC, fc) {
		t.Errorf("file cache %v %v", gotFC, ok)
	}
	// Caches written before entries were sorted come back sorted.
	unsorted := FileCache{Config: "c", Files: []FileEntry{fc.Files[2], fc.Files[0], fc.Files[1]}}
	gotFC, ok = DecodeFileCache(EncodeFileCache(unsorted))
	if !ok || !gotFC.Rewrite || !reflect.DeepEqual(gotFC.Files, fc.Files) {
		t.Errorf("unsorted file cache %v %v", gotFC, ok)
	}
	if v, n, ok := ManifestHeader(EncodeManifest(m)); !ok || v != m.Version || n != 2 {
		t.Errorf("manifestHeader = %q %d %v", v, n, ok)
	}
	for _, bad := range []string{"", "x", "manifest1", "manifest1\tv\nnotab", "files1\tc\n1\t2\t3", "files1\tc\nx\t2\t3\t4"} {
		if _, ok := DecodeManifest([]byte(bad)); ok && bad != "manifest1\tv\n" {
			if bad != "" && bad[:9] == "manifest1" && bad != "manifest1\tv\nnotab" {
				continue
			}
			t.Errorf("decodeManifest(%q) ok", bad)
		}
		if _, ok := DecodeFileCache([]byte(bad)); ok {
			t.Errorf("decodeFileCache(%q) ok", bad)
		}
	}
}

func TestFileCacheMatches(t *testing.T) {
	fc := FileCache{Config: "fp", Files: []FileEntry{
		{Path: "content/postmortems/a.md", Size: 10, MTime: -5, ID: "a"},
		{Path: "content/postmortems/b\\c.md", Size: 3, MTime: 1 << 60, ID: "weird\tid"},
		{Path: "content/postmortems/c.md", Size: 0, MTime: 7},
	}}
	data := EncodeFileCache(fc)
	files := []File{{"content/postmortems/a.md", 10, -5}, {"content/postmortems/b\\c.md", 3, 1 << 60}, {"content/postmortems/c.md", 0, 7}}
	if n, ok := FileCacheMatches(data, "fp", files); !ok || n != 2 {
		t.Errorf("same listing: %d %v", n, ok)
	}
	for _, tc := range []struct {
		name  string
		fp    string
		files []File
	}{
		{"other config", "fp2", files},
		{"file added", "fp", append(append([]File{}, files...), File{"content/postmortems/d.md", 1, 1})},
		{"file gone", "fp", files[:2]},
		{"size", "fp", []File{{"content/postmortems/a.md", 11, -5}, files[1], files[2]}},
		{"mtime", "fp", []File{{"content/postmortems/a.md", 10, -4}, files[1], files[2]}},
		{"renamed", "fp", []File{{"content/postmortems/a2.md", 10, -5}, files[1], files[2]}},
	} {
		if _, ok := FileCacheMatches(data, tc.fp, tc.files); ok {
			t.Errorf("%s: matches", tc.name)
		}
	}
	for _, bad := range []string{"", "files1\tfp\n", "files1\tfp\nx\t-5\ta\tcontent/postmortems/a.md\n"} {
		if _, ok := FileCacheMatches([]byte(bad), "fp", files); ok {
			t.Errorf("%q matches", bad)
		}
	}
	ids := map[string]string{}
	ScanFileCache(data, func(_, _ int64, id, path []byte) bool {
		ids[string(path)] = string(id)
		return true
	})
	if want := map[string]string{"content/postmortems/a.md": "a", "content/postmortems/b\\c.md": "weird\tid", "content/postmortems/c.md": ""}; !reflect.DeepEqual(ids, want) {
		t.Errorf("scanFileCache ids %v", ids)
	}
}

// TestFileCacheEncodings: the compact encoding (shared path prefixes,
// mtime deltas, ids named after their file) round-trips, and caches in
// the older one-line-per-file encoding are still read (and rewritten).
func TestFileCacheEncodings(t *testing.T) {
	fc := FileCache{Config: "fp", Files: []FileEntry{
		{Path: "content/postmortems/2023/a.md", Size: 1, MTime: 1795766134477542895, ID: "a"},
		{Path: "content/postmortems/2023/a.md.d/x.markdown", Size: 2, MTime: 1795766134477542895, ID: "x"},
		{Path: "content/postmortems/2024/b.md", Size: 3, MTime: 5, ID: "other-id"},
		{Path: "content/postmortems/2024/b\tc.md", Size: 4, MTime: -7, ID: "b\tc"},
		{Path: "content/postmortems/2024/noext", Size: 5, MTime: 9, ID: "noext"},
		{Path: "content/postmortems/2024/z.md", Size: 6, MTime: 9},
		{Path: "content/postmortems/2024/zz.md", Size: 7, MTime: 9, ID: `\=`},
		{Path: "content/postmortems/2024/\\=.md", Size: 8, MTime: 9, ID: `\=`},
	}}
	sort.Slice(fc.Files, func(i, j int) bool { return fc.Files[i].Path < fc.Files[j].Path })
	data := EncodeFileCache(fc)
	got, ok := DecodeFileCache(data)
	if !ok || got.Rewrite || !reflect.DeepEqual(got, fc) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, fc)
	}
	if !strings.Contains(string(data), "\t\\=\t") {
		t.Errorf("no id named after its file in\n%s", data)
	}
	var files []File
	for _, e := range fc.Files {
		files = append(files, File{e.Path, e.Size, e.MTime})
	}
	if n, ok := FileCacheMatches(data, "fp", files); !ok || n != 7 {
		t.Errorf("fileCacheMatches = %d %v", n, ok)
	}
	var old strings.Builder
	old.WriteString("files1\tfp\n")
	for _, e := range fc.Files {
		fmt.Fprintf(&old, "%d\t%d\t%s\t%s\n", e.Size, e.MTime, esc(e.ID), esc(e.Path))
	}
	got, ok = DecodeFileCache([]byte(old.String()))
	if !ok || !got.Rewrite || !reflect.DeepEqual(got.Files, fc.Files) {
		t.Errorf("files1:\n got %+v\nwant %+v", got, fc)
	}
	if _, ok := FileCacheMatches([]byte(old.String()), "fp", files); ok {
		t.Errorf("files1 matches: it should be rewritten")
	}
	for _, bad := range []string{"files2\tfp\n1\t2\t\t99\tx\n", "files2\tfp\n1\t2\t\t-1\tx\n", "files2\tfp\n1\t2\tx\n"} {
		if _, ok := DecodeFileCache([]byte(bad)); ok {
			t.Errorf("decodeFileCache(%q) ok", bad)
		}
	}
}
