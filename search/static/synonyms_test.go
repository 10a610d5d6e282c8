package static

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kbgen"
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
	// A site without tiers reads every list: a word whose synonyms are
	// phrases still gets its exact count, also past the first page.
	root, err := kbgen.Cached(1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	counted := []string{"ddos", "dos", "2fa", "mfa", "secret", "lb", "sso", "denial of service"}
	compareWithCLI(t, ctx, loadDocs(t, root, false), counted, Options{Synonyms: config.DefaultSynonyms()})
	exactCounts(t, ctx, "1k", counted)
}

// exactCounts: on the site compareWithCLI left open, the first page's
// count of each query is exact, and that of the whole answer (which
// must have more than a page, or the check could not fail).
func exactCounts(t *testing.T, ctx context.Context, name string, queries []string) {
	t.Helper()
	for _, q := range queries {
		qj, _ := json.Marshal(q)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](fmt.Sprintf(
			`Promise.all([hindsightSearch.searcher.search(%s, 20), hindsightSearch.searcher.ids(%[1]s)]).then(([r, ids]) => [r.total, r.exact ? 1 : 0, ids.length])`,
			qj), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if got[2] <= 20 {
			t.Errorf("%s: %q: %d results, a page's worth or fewer", name, q, got[2])
		}
		if got[1] != 1 || got[0] != got[2] {
			t.Errorf("%s: %q: the first page says %d results (exact %v), the whole answer has %d", name, q, got[0], got[1] == 1, got[2])
		}
	}
}
