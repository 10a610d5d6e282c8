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
	fc := fileCache{Config: "c", Files: map[string]fileEntry{
		"content/postmortems/a.md":    {Size: 10, MTime: -5, ID: "a"},
		"content/postmortems/t\tb.md": {Size: 0, MTime: 1 << 60},
		"content/postmortems/\\n.md":  {Size: 1, MTime: 2, ID: "x\\y"},
	}}
	gotFC, ok := decodeFileCache(encodeFileCache(fc))
	if !ok || !reflect.DeepEqual(gotFC, fc) {
		t.Errorf("file cache %v %v", gotFC, ok)
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
