package search

import (
	"reflect"
	"testing"
)

func TestCodecRoundTrip(t *testing.T) {
	m := manifest{Version: "v\t1", Docs: map[string]string{"a": "h1", "we\tird\nid\\": "h2"}}
	got, ok := decodeManifest(encodeManifest(m))
	if !ok || !reflect.DeepEqual(got, m) {
		t.Errorf("manifest %v %v", got, ok)
	}
	fc := fileCache{Config: "c", Files: []fileEntry{
		{Path: "content/postmortems/\\n.md", Size: 1, MTime: 2, ID: "x\\y"},
		{Path: "content/postmortems/a.md", Size: 10, MTime: -5, ID: "a"},
		{Path: "content/postmortems/t\tb.md", Size: 0, MTime: 1 << 60},
	}}
	gotFC, ok := decodeFileCache(encodeFileCache(fc))
	if !ok || !reflect.DeepEqual(gotFC, fc) {
		t.Errorf("file cache %v %v", gotFC, ok)
	}
	// Caches written before entries were sorted come back sorted.
	unsorted := fileCache{Config: "c", Files: []fileEntry{fc.Files[2], fc.Files[0], fc.Files[1]}}
	gotFC, ok = decodeFileCache(encodeFileCache(unsorted))
	if !ok || !gotFC.unsorted || !reflect.DeepEqual(gotFC.Files, fc.Files) {
		t.Errorf("unsorted file cache %v %v", gotFC, ok)
	}
	if v, n, ok := manifestHeader(encodeManifest(m)); !ok || v != m.Version || n != 2 {
		t.Errorf("manifestHeader = %q %d %v", v, n, ok)
	}
	for _, bad := range []string{"", "x", "manifest1", "manifest1\tv\nnotab", "files1\tc\n1\t2\t3", "files1\tc\nx\t2\t3\t4"} {
		if _, ok := decodeManifest([]byte(bad)); ok && bad != "manifest1\tv\n" {
			if bad != "" && bad[:9] == "manifest1" && bad != "manifest1\tv\nnotab" {
				continue
			}
			t.Errorf("decodeManifest(%q) ok", bad)
		}
		if _, ok := decodeFileCache([]byte(bad)); ok {
			t.Errorf("decodeFileCache(%q) ok", bad)
		}
	}
}

func TestFileCacheMatches(t *testing.T) {
	fc := fileCache{Config: "fp", Files: []fileEntry{
		{Path: "content/postmortems/a.md", Size: 10, MTime: -5, ID: "a"},
		{Path: "content/postmortems/b\\c.md", Size: 3, MTime: 1 << 60, ID: "weird\tid"},
		{Path: "content/postmortems/c.md", Size: 0, MTime: 7},
	}}
	data := encodeFileCache(fc)
	files := []found{{"content/postmortems/a.md", 10, -5}, {"content/postmortems/b\\c.md", 3, 1 << 60}, {"content/postmortems/c.md", 0, 7}}
	if n, ok := fileCacheMatches(data, "fp", files); !ok || n != 2 {
		t.Errorf("same listing: %d %v", n, ok)
	}
	for _, tc := range []struct {
		name  string
		fp    string
		files []found
	}{
		{"other config", "fp2", files},
		{"file added", "fp", append(append([]found{}, files...), found{"content/postmortems/d.md", 1, 1})},
		{"file gone", "fp", files[:2]},
		{"size", "fp", []found{{"content/postmortems/a.md", 11, -5}, files[1], files[2]}},
		{"mtime", "fp", []found{{"content/postmortems/a.md", 10, -4}, files[1], files[2]}},
		{"renamed", "fp", []found{{"content/postmortems/a2.md", 10, -5}, files[1], files[2]}},
	} {
		if _, ok := fileCacheMatches(data, tc.fp, tc.files); ok {
			t.Errorf("%s: matches", tc.name)
		}
	}
	for _, bad := range []string{"", "files1\tfp\n", "files1\tfp\nx\t-5\ta\tcontent/postmortems/a.md\n"} {
		if _, ok := fileCacheMatches([]byte(bad), "fp", files); ok {
			t.Errorf("%q matches", bad)
		}
	}
	for id, want := range map[string]string{"a": "content/postmortems/a.md", "weird\tid": "content/postmortems/b\\c.md", "": "", "c": "", "-5": "", "fp": ""} {
		if got := cachePathOf(data, id); got != want {
			t.Errorf("cachePathOf(%q) = %q, want %q", id, got, want)
		}
	}
}
