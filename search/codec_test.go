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
	if !ok || !reflect.DeepEqual(gotFC, fc) {
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
