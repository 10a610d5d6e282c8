package static

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"
)

// TestExportSynonyms: meta.json carries the synonym groups as given, for
// search.js; without groups it has no "synonyms" key.
func TestExportSynonyms(t *testing.T) {
	docs := loadDocs(t, filepath.Join("..", "testdata", "kb"), true)
	groups := [][]string{{"tls", "ssl"}, {"ddos", "denial of service"}}
	for _, tt := range []struct {
		syn  [][]string
		want [][]string
	}{{groups, groups}, {nil, nil}} {
		files, err := Export(docs, Options{Synonyms: tt.syn})
		if err != nil {
			t.Fatal(err)
		}
		var meta struct{ Synonyms [][]string }
		if err := json.Unmarshal(files["index/meta.json"], &meta); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(meta.Synonyms, tt.want) {
			t.Errorf("meta synonyms %q, want %q", meta.Synonyms, tt.want)
		}
	}
}
