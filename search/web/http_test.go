package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/search/query"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
)

func TestHandler(t *testing.T) {
	ix := memIndex(t)
	srv := httptest.NewServer(HandlerFor(func() *search.Index { return ix }, nil))
	defer srv.Close()
	get := func(q string) (int, map[string]any) {
		t.Helper()
		resp, err := http.Get(srv.URL + "/api/search?" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	code, m := get("q=cause:expired-certificate&facets=1&limit=1")
	if code != 200 || m["total"].(float64) != 2 || len(m["hits"].([]any)) != 1 || m["facets"].(map[string]any)["severity"] == nil {
		t.Errorf("%d %v", code, m)
	}
	code, m = get("q=" + "sytem:x")
	if code != 400 || m["column"].(float64) != 1 || !strings.Contains(m["error"].(string), "system:") {
		t.Errorf("%d %v", code, m)
	}
	code, m = get("q=" + url.QueryEscape("casue:x"))
	if code != 400 || !strings.Contains(m["error"].(string), `did you mean "cause:"`) {
		t.Errorf("unknown field: %d %v", code, m)
	}
	code, m = get("q=certifcate")
	if code != 200 || m["did_you_mean"] != "certificate" || m["total"].(float64) == 0 {
		t.Errorf("typo: %d %v", code, m)
	}
	code, _ = get("q=x&limit=abc")
	if code != 400 {
		t.Errorf("bad limit: %d", code)
	}
	code, m = get("")
	if code != 200 || m["total"].(float64) != 0 {
		t.Errorf("empty: %d %v", code, m)
	}
}

func TestPage(t *testing.T) {
	ix := memIndex(t)
	pd := Page(context.Background(), ix, "certificate", 10, nil)
	if pd.Result == nil || pd.Result.Total != 3 || pd.Error != "" || !strings.Contains(string(pd.Result.Hits[0].SnippetHTML()), "<mark>") {
		t.Errorf("%+v", pd)
	}
	pd = Page(context.Background(), ix, `"open`, 10, nil)
	if pd.Result != nil || pd.ErrorCol != 1 {
		t.Errorf("%+v", pd)
	}
	pd = Page(context.Background(), ix, "certifcate", 10, nil)
	if pd.Result == nil || pd.Result.DidYouMean != "certificate" || pd.Result.Total == 0 {
		t.Errorf("typo: %+v", pd)
	}
	pd = Page(context.Background(), ix, "mesh-certifcate", 10, nil)
	if pd.Result == nil || pd.Result.DidYouMean != "mesh-certificate" || pd.Result.Total == 0 {
		t.Errorf("typo in a compound: %+v", pd.Result)
	}
	pd = Page(context.Background(), ix, "casue:x", 10, nil)
	if pd.Code != http.StatusBadRequest || !strings.Contains(pd.Error, `did you mean "cause:"`) {
		t.Errorf("unknown field: %+v", pd)
	}
	if pd = Page(context.Background(), ix, "", 10, nil); pd.Result != nil || pd.Error != "" {
		t.Errorf("%+v", pd)
	}
	// No index yet: a bad query is still a 400, a good one waits (503).
	var none *search.Index
	if pd = Page(context.Background(), none, `"open`, 10, nil); pd.Code != http.StatusBadRequest || pd.ErrorCol != 1 {
		t.Errorf("no index, bad query: %+v", pd)
	}
	if pd = Page(context.Background(), none, "certificate", 10, nil); pd.Code != http.StatusServiceUnavailable || !strings.Contains(pd.Error, "being built") {
		t.Errorf("no index: %+v", pd)
	}
}

// TestSecuritySearchLimits: /api/search refuses an oversized query at
// once, and bounds how many searches run together and for how long.
func TestSecuritySearchLimits(t *testing.T) {
	ix := memIndex(t)
	lim := NewLimiter(Limits{Concurrent: 1, Wait: 20 * time.Millisecond})
	srv := httptest.NewServer(HandlerFor(func() *search.Index { return ix }, lim))
	defer srv.Close()
	get := func(q string) (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + "/api/search?q=" + url.QueryEscape(q))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		msg, _ := m["error"].(string)
		return resp.StatusCode, msg
	}

	start := time.Now()
	code, msg := get(strings.Repeat("outage ", 150000))
	if took := time.Since(start); code != http.StatusBadRequest || !strings.Contains(msg, "limit of 1000 bytes") || took > time.Second {
		t.Errorf("150,000 words: %d %q in %s; want 400 saying the limit, in well under a second", code, msg, took)
	}
	if code, msg = get(strings.Repeat("x ", query.MaxTerms+1)); code != http.StatusBadRequest || !strings.Contains(msg, "32 terms") {
		t.Errorf("33 words: %d %q", code, msg)
	}

	// Every slot taken: the request waits a little, then gets 503.
	hold, held := make(chan struct{}), make(chan struct{})
	go lim.Do(context.Background(), func(context.Context) error { close(held); <-hold; return nil })
	<-held
	if code, msg = get("certificate"); code != http.StatusServiceUnavailable || !strings.Contains(msg, "too many searches") {
		t.Errorf("busy: %d %q", code, msg)
	}
	close(hold)
	if code, msg = get("certificate"); code != http.StatusOK {
		t.Errorf("after the slot came free: %d %q", code, msg)
	}
}

// TestSecurityLimiterTimeout: a search that runs past the timeout gets
// its context cancelled and an error that says the limit.
func TestSecurityLimiterTimeout(t *testing.T) {
	lim := NewLimiter(Limits{Timeout: 20 * time.Millisecond})
	err := lim.Do(context.Background(), func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	})
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "20ms") {
		t.Errorf("got %v, want ErrTimeout saying 20ms", err)
	}
	// Through the handler: a timeout too short for any search.
	ix := memIndex(t)
	h := HandlerFor(func() *search.Index { return ix }, NewLimiter(Limits{Timeout: time.Nanosecond}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=certificate", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "time limit") {
		t.Errorf("handler: %d %s", rec.Code, rec.Body)
	}
}

// memIndex returns an in-memory index of the test KB of package search
// (drafts included, as the CLI indexes it).
func memIndex(t testing.TB) *search.Index {
	t.Helper()
	root := filepath.Join("..", "testdata", "kb")
	cfg, ds, err := config.Load(root)
	if err != nil || len(ds) > 0 {
		t.Fatal(err, ds)
	}
	k, err := kb.Load(root, cfg, kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open("", search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Update(context.Background(), search.Docs(k.Postmortems, search.DocOptionsFor(cfg, false, true))); err != nil {
		t.Fatal(err)
	}
	return ix
}
