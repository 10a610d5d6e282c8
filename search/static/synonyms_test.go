package static

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
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

// TestStaticSearchSynonyms: with the default synonym groups (and a few of
// our own: phrases, a split word, a stop word), the static search returns
// the CLI's ids.
func TestStaticSearchSynonyms(t *testing.T) {
	ctx := browser(t)
	queries := []string{
		"ssl", "tls", "SSL certificate", "ddos", "denial of service", "dos", `"denial of service"`,
		"db", "database failover", "db severity:SEV1", "creds", "credentials", "2fa", "two-factor", "mfa",
		"k8s", "kubernetes", "vuln", "cert", "certificates expired", "expiry", "auth after:2024",
		"config", "configuration push", "repo", "prod", "secret", "api key", `"access key"`,
		"outage", "hotline", "the login api", "only", "cause:expired-certificate ssl", "waf", "the",
	}
	syn := append(config.DefaultSynonyms(), []string{"hotline", "the login api"}, []string{"only", "the"})
	for _, kb := range []string{filepath.Join("..", "testdata", "kb"), filepath.Join("..", "..")} {
		n := compareWithCLI(t, ctx, loadDocs(t, kb, false), queries, Options{Synonyms: syn})
		t.Logf("%s: %d of %d queries with results", kb, n, len(queries))
		if n < 10 {
			t.Errorf("%s: only %d queries with results", kb, n)
		}
	}
}
