package search

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"

	"github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/search/internal/snippet"
)

// fixtureRoot is the small test KB.
const fixtureRoot = "testdata/kb"

func loadKB(t testing.TB, root string) *kb.KB {
	t.Helper()
	cfg, ds, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) > 0 {
		t.Fatalf("config: %v", ds)
	}
	k, err := kb.Load(root, cfg, kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// fixtureDocs returns the fixture's documents for the internal audience
// (drafts included), as the CLI indexes them.
func fixtureDocs(t testing.TB) []Doc {
	k := loadKB(t, fixtureRoot)
	return Docs(k.Postmortems, DocOptionsFor(k.Config, false, true))
}

func memIndex(t testing.TB, docs []Doc) *Index {
	t.Helper()
	ix, err := Open("", Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Update(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	return ix
}

func ids(r *Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	sort.Strings(out)
	return out
}

// relevanceCases are queries on the fixture KB with the ids they must
// return (exactly, as a set). They are shared with the static search
// test, which checks that search.js returns the same sets.
var relevanceCases = []struct {
	q    string
	want []string
}{
	// Stemming: "certificates expiring" finds "certificate … expired".
	{"certificates expiring", []string{"cert-expiry", "mesh-ca"}},
	{"certificate", []string{"cert-expiry", "mesh-ca", "ransomware-laptop"}},
	{"Certificates", []string{"cert-expiry", "mesh-ca", "ransomware-laptop"}},
	{"renewal", []string{"cert-expiry"}},
	{"renewed renewing", []string{"cert-expiry"}},
	// Possessive: "attacker's" indexes as "attacker".
	{"attacker", []string{"phishing-support"}},
	{"attackers", []string{"phishing-support"}},
	// AND of words.
	{"login api", []string{"cert-expiry", "login-flood"}},
	{"login rate", []string{"login-flood"}},
	// Phrases: words in order.
	{`"rate limit"`, []string{"login-flood"}},
	{`"out of memory"`, []string{"db-failover"}},
	{`"database primary"`, nil},
	{`"primary database"`, []string{"db-failover"}},
	{`"limit rate"`, nil},
	{`"replication lag"`, []string{"db-failover"}},
	// Stop words only match nothing.
	{"the", nil},
	// Field filters.
	{"cause:expired-certificate", []string{"cert-expiry", "mesh-ca"}},
	{"cause:EXPIRED-CERTIFICATE", []string{"cert-expiry", "mesh-ca"}},
	{"system:login-api", []string{"cert-expiry", "login-flood"}},
	{"severity:sev1", []string{"cert-expiry", "s3-exports"}},
	{"severity:SEV1,SEV3", []string{"cert-expiry", "login-flood", "s3-exports"}},
	{"category:outage", []string{"cert-expiry", "db-failover", "mesh-ca"}},
	{"status:draft", []string{"dns-draft"}},
	{"status:in-review", []string{"ransomware-laptop"}},
	{"data:customer-pii", []string{"phishing-support", "s3-exports"}},
	{"data:credentials", []string{"s3-exports"}},
	{"technique:T1566", []string{"phishing-support"}},
	{"technique:t1566.001", []string{"phishing-support"}},
	{"technique:T1498", []string{"login-flood"}},
	{"cause:no-such-cause", nil},
	// Filters AND words AND filters.
	{"certificate severity:SEV2", []string{"mesh-ca", "ransomware-laptop"}},
	{"certificate category:outage severity:SEV2", []string{"mesh-ca"}},
	{"cause:expired-certificate system:login-api", []string{"cert-expiry"}},
	// Dates (UTC fixture timezone).
	{"after:2024", []string{"dns-draft", "login-flood", "mesh-ca", "phishing-support", "s3-exports"}},
	{"before:2024", []string{"cert-expiry", "db-failover", "ransomware-laptop"}},
	{"after:2024-02 before:2024-04", []string{"mesh-ca", "s3-exports"}},
	{"after:2024-03-14 before:2024-03-15", []string{"s3-exports"}},
	{"after:2024-03-15 before:2024-06-11", nil},
	{"after:2024-01-23 before:2024-01-24", []string{"phishing-support"}},
	{"certificate after:2024", []string{"mesh-ca"}},
	// Keywords: tags and slugs are searchable text.
	{"tls", []string{"cert-expiry"}},
	{"mfa", []string{"phishing-support"}},
	// Internal fields are never indexed: authors, action owners. (Quoted:
	// an unknown bare word is retried fuzzily, and "alike" is one edit
	// from "alice".)
	{`"alice"`, nil},
	{"owl", nil},
	// Internal sections are indexed for the internal audience.
	{"zanzibar", []string{"cert-expiry"}},
}

func TestRelevance(t *testing.T) {
	ix := memIndex(t, fixtureDocs(t))
	for _, tc := range relevanceCases {
		t.Run(tc.q, func(t *testing.T) {
			r, err := ix.Search(context.Background(), tc.q, SearchOptions{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			got := ids(r)
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q: got %v, want %v", tc.q, got, want)
			}
			if r.Total != len(got) {
				t.Errorf("%q: total %d, %d hits", tc.q, r.Total, len(got))
			}
		})
	}
}

func TestRankingAndSnippet(t *testing.T) {
	ix := memIndex(t, fixtureDocs(t))
	r, err := ix.Search(context.Background(), "certificate expired edge", SearchOptions{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) == 0 || r.Hits[0].ID != "cert-expiry" {
		t.Fatalf("want cert-expiry first, got %+v", r.Hits)
	}
	h := r.Hits[0]
	if !strings.Contains(h.Snippet, "<mark>") {
		t.Errorf("snippet without <mark>: %q", h.Snippet)
	}
	if h.Title == "" || h.Severity != "SEV1" || h.URL != "postmortems/cert-expiry/" || h.Started.IsZero() || h.Score <= 0 {
		t.Errorf("hit fields: %+v", h)
	}
	// Filter-only queries are sorted by date, newest first, and still
	// get a snippet.
	r, err = ix.Search(context.Background(), "category:outage", SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{r.Hits[0].ID, r.Hits[1].ID, r.Hits[2].ID}; !reflect.DeepEqual(got, []string{"mesh-ca", "db-failover", "cert-expiry"}) {
		t.Errorf("order %v", got)
	}
	if r.Hits[0].Snippet == "" {
		t.Error("no snippet for a filter-only hit")
	}
	// Limit.
	r, _ = ix.Search(context.Background(), "after:2020", SearchOptions{Limit: 2})
	if len(r.Hits) != 2 || r.Total != 8 {
		t.Errorf("limit: %d hits, total %d", len(r.Hits), r.Total)
	}
}

func TestFacetsAndJSON(t *testing.T) {
	ix := memIndex(t, fixtureDocs(t))
	r, err := ix.Search(context.Background(), "certificate", SearchOptions{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]FacetCount{
		"severity": {{"SEV2", 2}, {"SEV1", 1}},
		"category": {{"outage", 2}, {"malware", 1}},
		"cause":    {{"expired-certificate", 2}, {"missing-monitoring", 1}, {"unpatched-software", 1}},
		"system":   {{"edge-proxy", 1}, {"finance-laptops", 1}, {"login-api", 1}, {"service-mesh", 1}},
	}
	if !reflect.DeepEqual(r.Facets, want) {
		t.Errorf("facets\n got %v\nwant %v", r.Facets, want)
	}
	b, _ := json.Marshal(r)
	var m map[string]json.RawMessage
	json.Unmarshal(b, &m)
	if len(m) != 3 || m["total"] == nil || m["hits"] == nil || m["facets"] == nil {
		t.Errorf("json keys: %s", b)
	}
	var hits []map[string]any
	json.Unmarshal(m["hits"], &hits)
	var keys []string
	for k := range hits[0] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if !reflect.DeepEqual(keys, []string{"id", "score", "severity", "snippet", "started", "title", "url"}) {
		t.Errorf("hit keys %v", keys)
	}
}

func TestHints(t *testing.T) {
	ix := memIndex(t, fixtureDocs(t))
	r, err := ix.Search(context.Background(), "cause:expired-cert", SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 0 || len(r.Hints) != 1 || !strings.Contains(r.Hints[0], "expired-certificate") {
		t.Errorf("hints %v", r.Hints)
	}
}

func TestPublicAudience(t *testing.T) {
	k := loadKB(t, fixtureRoot)
	docs := Docs(k.Postmortems, DocOptionsFor(k.Config, true, true))
	var got []string
	for _, d := range docs {
		got = append(got, d.ID)
		if strings.Contains(d.Body, "zanzibar") || strings.Contains(d.Body, "Internal Notes") {
			t.Errorf("%s: internal section indexed", d.ID)
		}
	}
	sort.Strings(got)
	want := []string{"cert-expiry", "db-failover", "login-flood", "phishing-support", "s3-exports"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("public docs %v, want %v", got, want)
	}
	ix := memIndex(t, docs)
	r, _ := ix.Search(context.Background(), "zanzibar", SearchOptions{})
	if r.Total != 0 {
		t.Errorf("internal section searchable in a public index")
	}
	// Internal audience without drafts.
	docs = Docs(k.Postmortems, DocOptionsFor(k.Config, false, false))
	for _, d := range docs {
		if d.Status == "draft" {
			t.Errorf("draft %s indexed", d.ID)
		}
	}
}

// syncedCopy copies the KB at src into a temporary folder and indexes
// it there with SyncKB, the way the first `hindsight search` does; the
// index, opened with opts, is returned open.
func syncedCopy(t testing.TB, src string, opts Options) (root string, cfg *config.Config, o DocOptions, ix *Index) {
	t.Helper()
	root = t.TempDir()
	copyDir(t, src, root)
	cfg, _, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	o = DocOptionsFor(cfg, false, true)
	if ix, err = Open(DefaultDir(root), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.SyncKB(context.Background(), root, cfg, o); err != nil {
		ix.Close()
		t.Fatal(err)
	}
	return root, cfg, o, ix
}

func copyDir(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSnippetEnglish: snippets made with English's own analysis equal
// those made by splitting words with bleve's tokenizer and analysing
// each (the path for other analyzers).
func TestSnippetEnglish(t *testing.T) {
	e, err := analysis.NewEnglish()
	if err != nil {
		t.Fatal(err)
	}
	bleveEn, err := registry.NewCache().AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{"certificate expired", "database failover", "rate limit", "credentials", "the", "phishing emails", "ransomware laptop encrypted"}
	for _, d := range fixtureDocs(t) {
		for _, q := range queries {
			terms := map[string]bool{}
			for _, tk := range analysis.Analyze(e, q) {
				terms[tk.Term] = true
			}
			for _, text := range []string{d.Body, d.Title + ". " + d.Body, "Übergröße café: certificates’ expiry — failed over; don't 2024-03-01 " + d.Body} {
				got, want := snippet.Snippet(e, text, terms, 220), snippet.Snippet(bleveEn, text, terms, 220)
				if got != want {
					t.Errorf("%s, %q:\n got %s\nwant %s", d.ID, q, got, want)
				}
			}
		}
	}
}

// longAgoCases run on testdata/longago: incidents in 1628, 1995 and 2025.
// bleve's datetime fields hold only 1677–2262; started is indexed as a
// number so every year check accepts can be searched. The static search
// runs the same queries (search/static TestStaticSearchMatchesCLI).
var longAgoCases = []struct {
	q    string
	want []string
}{
	{"after:1600", []string{"harbour-capsize", "mail-relay", "queue-stall"}},
	{"before:1700", []string{"harbour-capsize"}},
	{"after:1990 before:2000", []string{"mail-relay"}},
	{"after:1628-08-10 before:1628-08-11", []string{"harbour-capsize"}},
	{"after:1628-08-11", []string{"mail-relay", "queue-stall"}},
	{"before:0001", nil},
	{"after:9999", nil},
	{"ship before:1995", []string{"harbour-capsize"}},
}

func TestLongAgoDates(t *testing.T) {
	k := loadKB(t, "testdata/longago")
	ix := memIndex(t, Docs(k.Postmortems, DocOptionsFor(k.Config, false, false)))
	for _, tc := range longAgoCases {
		r, err := ix.Search(context.Background(), tc.q, SearchOptions{Limit: 100})
		if err != nil {
			t.Errorf("%q: %v", tc.q, err)
			continue
		}
		if got := ids(r); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.q, got, tc.want)
		}
	}
	// Filter-only results are newest first; a hit's started is the
	// postmortem's.
	r, err := ix.Search(context.Background(), "after:1600", SearchOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, h := range r.Hits {
		order = append(order, h.ID+" "+h.Started.Format(time.RFC3339))
	}
	want := []string{"queue-stall 2025-02-11T09:30:00Z", "mail-relay 1995-06-03T08:00:00Z", "harbour-capsize 1628-08-10T16:00:00Z"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
}
