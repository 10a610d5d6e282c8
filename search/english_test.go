package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	banalysis "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/hindsight-kb/hindsight/search/analysis"
)

// TestMappingUsesEnglish checks that the index analyses text with English
// (registered with bleve), so index, queries and the static export agree.
func TestMappingUsesEnglish(t *testing.T) {
	m := NewMapping()
	a := m.AnalyzerNamed(Analyzer)
	if _, ok := a.(*analysis.English); !ok {
		t.Fatalf("mapping analyzer %q is %T, want *English", Analyzer, a)
	}
	const text = "The team's failovers failed at db1.acme.com."
	var got []string
	for _, tk := range a.Analyze([]byte(text)) {
		if tk.Type != banalysis.Shingle {
			got = append(got, fmt.Sprintf("%s@%d[%d,%d)", tk.Term, tk.Position, tk.Start, tk.End))
		}
	}
	bleveEn, err := registry.NewCache().AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, tk := range bleveEn.Analyze([]byte(text)) {
		want = append(want, fmt.Sprintf("%s@%d[%d,%d)", tk.Term, tk.Position, tk.Start, tk.End))
	}
	if !slices.Equal(got, want) {
		t.Errorf("English's words %q, want bleve's %q", got, want)
	}

}

// wordsOnly is the name of English without compound tokens, registered
// for TestIndexTermsUnchanged.
const wordsOnly = "hindsight_en_words_test"

func init() {
	err := registry.RegisterAnalyzer(wordsOnly, func(map[string]any, *registry.Cache) (banalysis.Analyzer, error) {
		return analysis.NewWordsEnglish()
	})
	if err != nil {
		panic(err)
	}
}

// TestIndexTermsUnchanged indexes the same documents with the mapping's
// text fields analysed by bleve's "en" and by English without its
// compound tokens (whose words sameTokens compares), and compares every
// term of title, body and keywords: document frequency, and for each
// document its frequency, norm and term vectors (positions, offsets).
func TestIndexTermsUnchanged(t *testing.T) {
	docs := fixtureDocs(t)
	if _, err := os.Stat(filepath.Join("..", "content", "postmortems")); err == nil {
		k := loadKB(t, "..")
		docs = append(docs, Docs(k.Postmortems, DocOptionsFor(k.Config, false, true))...)
	}
	build := func(analyzer string) index.IndexReader {
		m := NewMapping().(*mapping.IndexMappingImpl)
		for _, f := range textFields {
			m.DefaultMapping.Properties[f].Fields[0].Analyzer = analyzer
		}
		m.DefaultAnalyzer = analyzer
		idx, err := bleve.NewMemOnly(m)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { idx.Close() })
		b := idx.NewBatch()
		for i := range docs {
			if err := b.Index(docs[i].ID, toIndexDoc(&docs[i])); err != nil {
				t.Fatal(err)
			}
		}
		if err := idx.Batch(b); err != nil {
			t.Fatal(err)
		}
		ai, err := idx.Advanced()
		if err != nil {
			t.Fatal(err)
		}
		r, err := ai.Reader()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		return r
	}
	want, got := build(en.AnalyzerName), build(wordsOnly)
	dump := func(r index.IndexReader, field string) map[string]string {
		out := map[string]string{}
		d, err := r.FieldDict(field)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		for e, err := d.Next(); e != nil && err == nil; e, err = d.Next() {
			tr, err := r.TermFieldReader(context.Background(), []byte(e.Term), field, true, true, true)
			if err != nil {
				t.Fatal(err)
			}
			var sb strings.Builder
			fmt.Fprintf(&sb, "df=%d", e.Count)
			for td, err := tr.Next(nil); td != nil && err == nil; td, err = tr.Next(nil) {
				id, _ := r.ExternalID(td.ID)
				fmt.Fprintf(&sb, " %s:%d:%v", id, td.Freq, td.Norm)
				for _, v := range td.Vectors {
					fmt.Fprintf(&sb, ":%d/%d-%d", v.Pos, v.Start, v.End)
				}
			}
			tr.Close()
			out[e.Term] = sb.String()
		}
		return out
	}
	for _, f := range textFields {
		w, g := dump(want, f), dump(got, f)
		if len(w) < 50 || !strings.Contains(fmt.Sprint(w), "/") {
			t.Errorf("%s: only %d terms, or no term vectors", f, len(w))
		}
		if !reflect.DeepEqual(w, g) {
			for term, x := range w {
				if g[term] != x {
					t.Errorf("%s %q: English %s, want %s", f, term, g[term], x)
				}
			}
			for term := range g {
				if _, ok := w[term]; !ok {
					t.Errorf("%s: extra term %q", f, term)
				}
			}
		}
	}
}

// TestIdentifierQueries searches the sample KB (and, for a pasted exploit
// string, the realworld test KB) for identifiers, their parts and ids.
func TestIdentifierQueries(t *testing.T) {
	for _, kbCase := range []struct {
		root  string
		cases []struct{ q, want string }
	}{
		{filepath.Join("..", "content"), identifierQueries},
		{filepath.Join("..", "site", "testdata", "realworld"), realworldIdentifierQueries},
	} {
		if _, err := os.Stat(filepath.Join(kbCase.root, "postmortems")); err != nil {
			if _, err := os.Stat(filepath.Join(kbCase.root, "content", "postmortems")); err != nil {
				t.Logf("%s: no KB", kbCase.root)
				continue
			}
		}
		root := kbCase.root
		if filepath.Base(root) == "content" {
			root = filepath.Dir(root)
		}
		k := loadKB(t, root)
		ix := memIndex(t, Docs(k.Postmortems, DocOptionsFor(k.Config, false, true)))
		for _, c := range kbCase.cases {
			res, err := ix.Search(context.Background(), c.q, SearchOptions{Limit: 100})
			if err != nil {
				t.Fatalf("%q: %v", c.q, err)
			}
			if got := strings.Join(ids(res), " "); got != c.want {
				t.Errorf("%s: %q:\n got %s\nwant %s", root, c.q, got, c.want)
			}
		}
	}
}

// identifierQueries are run on the sample KB with the ids they must
// return; realworldIdentifierQueries on site/testdata/realworld.
var identifierQueries = []struct{ q, want string }{
	{"jndi", ""}, // only in the realworld KB
	{"acme", "2023-01-17-ransomware-finance-laptop 2023-03-08-dns-zone-push-dropped-mx 2023-05-02-edge-cert-expiry 2023-09-12-aws-key-in-public-repo 2024-01-23-phishing-support-account-takeover 2024-03-14-public-s3-customer-exports 2024-09-03-ssrf-image-proxy-metadata 2025-03-14-edge-cert-expiry-partner-api 2025-07-09-aws-key-in-sdk-examples 2025-09-16-status-page-dns-delegation 2025-10-30-ci-runner-cryptominer 2026-08-11-edge-tls-handshake-saturation"},
	{"acme.com", "2023-03-08-dns-zone-push-dropped-mx 2023-05-02-edge-cert-expiry 2025-03-14-edge-cert-expiry-partner-api 2025-09-16-status-page-dns-delegation"},
	{"status.acme.com", "2025-09-16-status-page-dns-delegation"},
	{"s3:GetObject", s3Ids},
	{"GetObject", s3Ids},
	{"getobject", s3Ids},
	{"2025-09-16-status-page-dns-delegation", "2025-09-16-status-page-dns-delegation"},
	{"partner-api", "2025-03-14-edge-cert-expiry-partner-api"},
	{"AcmeApp", "2026-08-11-edge-tls-handshake-saturation"},
}

const s3Ids = "2024-03-14-public-s3-customer-exports 2024-09-03-ssrf-image-proxy-metadata"

var realworldIdentifierQueries = []struct{ q, want string }{
	{"jndi", "2021-12-10-log4j-exposure"},
	{"198.51.100.23", "2021-12-10-log4j-exposure"},
	{`"jndi:ldap"`, "2021-12-10-log4j-exposure"},
	{"ldap", "2021-12-10-log4j-exposure"},
	{"2021-12-10-log4j-exposure", "2021-12-10-log4j-exposure"},
}
