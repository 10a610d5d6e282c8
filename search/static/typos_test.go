package static

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/search/internal/relevance"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// typoKBs are the KBs of the typo and relevance browser tests, by the
// names testdata/relevance.txt gives them.
var typoKBs = map[string]string{
	"sample":    filepath.Join("..", ".."),
	"realworld": filepath.Join("..", "..", "site", "testdata", "realworld"),
}

// typoQueries are the misspelt queries run on each KB: the static page
// must find the CLI's ids and suggest what the CLI suggests.
var typoQueries = []string{
	"certifcate", "certificat", "phishng", "cert-manger", "ransomwre", "databse", "databse failover",
	"mfa fatige", "credental stuffing", "faiover", "expird certifcate", "certifcate severity:SEV2",
	`"rate limit" phishng`, "cretificate", "kubernets", "ransomwar", "xyzzyplugh",
	"credntials", "passwrd reset", "ransomeware", "certficate expird", "denail of service",
}

// typoKB loads a KB as the relevance test does (internal audience,
// drafts included) and its synonym groups; ok is false without the KB.
func typoKB(t *testing.T, root string) (docs []search.Doc, syn [][]string, ok bool) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(root, "content", "postmortems")); err != nil {
		return nil, nil, false
	}
	cfg, k := kbtest.Load(t, root, kb.Options{})
	return search.Docs(k.Postmortems, search.DocOptionsFor(cfg, false, true)), cfg.Search.Synonyms, true
}

// staticPage exports docs, serves the site and opens its search page; it
// returns the CLI's index of the same documents.
func staticPage(t *testing.T, ctx context.Context, docs []search.Doc, opts Options) (*search.Index, *siteServer) {
	t.Helper()
	files, err := Export(docs, opts)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open("", search.Options{Synonyms: opts.Synonyms})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Update(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	srv := newSiteServer(t, files)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/search/")); err != nil {
		t.Fatal(err)
	}
	return ix, srv
}

// staticAnswer is what search.js answers a query with: all ids and the
// suggestion.
type staticAnswer struct {
	IDs        []string `json:"ids"`
	DidYouMean string   `json:"dym"`
}

// ask runs q on the open search page.
func ask(t *testing.T, ctx context.Context, q string) staticAnswer {
	t.Helper()
	qj, _ := json.Marshal(q)
	a, err := chromedp.Run(ctx, chromedp.Evaluate[staticAnswer](fmt.Sprintf(`hindsightSearch.ready.then(() => {
  const s = hindsightSearch.searcher;
  return s.search(%s).then(r => {
    if (r.error) throw new Error(r.error);
    return s.docs(r.hits.map(h => h.doc)).then(ds => ({ids: ds.map(d => d.id), dym: r.didYouMean || ''}));
  });
})`, qj), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return a
}

// cliIDs runs q with the CLI's index: every id, in order.
func cliIDs(t *testing.T, ix *search.Index, q string) ([]string, *search.Result) {
	t.Helper()
	r, err := ix.Search(context.Background(), q, search.SearchOptions{Limit: 10000})
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	ids := []string{}
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	return ids, r
}

// TestStaticSearchTypos: for misspelt queries on the sample and
// real-world KBs, the static page finds the CLI's ids (with its fuzzy
// retry) and shows the CLI's "did you mean"; the page shows it as a link
// to the suggested query.
func TestStaticSearchTypos(t *testing.T) {
	ctx := browser(t)
	retried := 0
	for _, name := range []string{"sample", "realworld"} {
		docs, syn, ok := typoKB(t, typoKBs[name])
		if !ok {
			t.Logf("%s: no KB", name)
			continue
		}
		ix, _ := staticPage(t, ctx, docs, Options{Synonyms: syn})
		for _, q := range typoQueries {
			want, r := cliIDs(t, ix, q)
			got := ask(t, ctx, q)
			if got.IDs == nil {
				got.IDs = []string{}
			}
			if !slices.Equal(got.IDs, want) {
				t.Errorf("[%s] %q: static %v, CLI %v", name, q, got.IDs, want)
			}
			if got.DidYouMean != r.DidYouMean {
				t.Errorf("[%s] %q: static did you mean %q, CLI %q", name, q, got.DidYouMean, r.DidYouMean)
			}
			if r.DidYouMean != "" {
				retried++
			}
		}
		assertNoErrors(t, ctx)
	}
	t.Logf("%d answers with a suggestion", retried)
	if retried == 0 {
		t.Skip("no KB with typo answers")
	}
	// The page: the suggestion is a link to its query.
	docs, syn, ok := typoKB(t, typoKBs["sample"])
	if !ok {
		return
	}
	_, srv := staticPage(t, ctx, docs, Options{Synonyms: syn})
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx,
		chromedp.Navigate(srv.URL+"/search/?q=certifcate"),
		chromedp.WaitVisible(chromedp.CSS(".search-did-you-mean a")),
	); err != nil {
		t.Fatal(err)
	}
	type link struct{ Text, Href, P string }
	l, err := chromedp.Run(tctx, chromedp.Evaluate[link](`(() => { const a = document.querySelector('.search-did-you-mean a');
  return {Text: a.textContent, Href: a.getAttribute('href'), P: a.parentElement.textContent}; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if want := (link{"certificate", "?q=certificate", "did you mean: certificate"}); l != want {
		t.Errorf("did you mean on the page: %+v, want %+v", l, want)
	}
	if u, _ := url.Parse(l.Href); u.Query().Get("q") != l.Text {
		t.Errorf("link %q does not search %q", l.Href, l.Text)
	}
}

// staticCannot maps the queries of the relevance set the static page
// cannot answer as the CLI does to the reason (none so far).
var staticCannot = map[string]string{}

// TestStaticSearchRelevance runs the relevance set
// (search/testdata/relevance.txt) on the static page: every must-return
// id is returned and no must-not id, and the ids are the CLI's, in the
// same order.
func TestStaticSearchRelevance(t *testing.T) {
	cases, err := relevance.Read(filepath.Join("..", "testdata", "relevance.txt"), typoKBs)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 60 {
		t.Fatalf("%d queries in relevance.txt", len(cases))
	}
	ctx := browser(t)
	ran := 0
	for _, name := range []string{"sample", "realworld"} {
		docs, syn, ok := typoKB(t, typoKBs[name])
		if !ok {
			t.Logf("%s: no KB", name)
			continue
		}
		ix, _ := staticPage(t, ctx, docs, Options{Synonyms: syn})
		for _, c := range cases {
			if c.KB != name {
				continue
			}
			if why, ok := staticCannot[c.Query]; ok {
				t.Logf("relevance.txt:%d: %q skipped: %s", c.Line, c.Query, why)
				continue
			}
			ran++
			got := ask(t, ctx, c.Query).IDs
			// The same ids in the same order as the CLI (search/rank.go).
			if want, _ := cliIDs(t, ix, c.Query); !slices.Equal(got, want) && (len(got) > 0 || len(want) > 0) {
				t.Errorf("relevance.txt:%d: [%s] %q: static %v, CLI %v", c.Line, name, c.Query, got, want)
			}
			for _, id := range c.Must {
				if !slices.Contains(got, id) {
					t.Errorf("relevance.txt:%d: [%s] %q misses %s (static page: %v)", c.Line, name, c.Query, id, got)
				}
			}
			for _, id := range c.Never {
				if slices.Contains(got, id) {
					t.Errorf("relevance.txt:%d: [%s] %q returns %s, which it must not", c.Line, name, c.Query, id)
				}
			}
		}
		assertNoErrors(t, ctx)
	}
	t.Logf("%d of %d relevance queries run on the static page", ran, len(cases))
}
