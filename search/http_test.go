package search

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/search/query"
)

func TestHandler(t *testing.T) {
	ix := memIndex(t, fixtureDocs(t))
	srv := httptest.NewServer(HandlerFor(func() *Index { return ix }, nil))
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
	ix := memIndex(t, fixtureDocs(t))
	pd := ix.Page(context.Background(), "certificate", 10, nil)
	if pd.Result == nil || pd.Result.Total != 3 || pd.Error != "" || !strings.Contains(string(pd.Result.Hits[0].SnippetHTML()), "<mark>") {
		t.Errorf("%+v", pd)
	}
	pd = ix.Page(context.Background(), `"open`, 10, nil)
	if pd.Result != nil || pd.ErrorCol != 1 {
		t.Errorf("%+v", pd)
	}
	pd = ix.Page(context.Background(), "certifcate", 10, nil)
	if pd.Result == nil || pd.Result.DidYouMean != "certificate" || pd.Result.Total == 0 {
		t.Errorf("typo: %+v", pd)
	}
	pd = ix.Page(context.Background(), "mesh-certifcate", 10, nil)
	if pd.Result == nil || pd.Result.DidYouMean != "mesh-certificate" || pd.Result.Total == 0 {
		t.Errorf("typo in a compound: %+v", pd.Result)
	}
	pd = ix.Page(context.Background(), "casue:x", 10, nil)
	if pd.Code != http.StatusBadRequest || !strings.Contains(pd.Error, `did you mean "cause:"`) {
		t.Errorf("unknown field: %+v", pd)
	}
	if pd = ix.Page(context.Background(), "", 10, nil); pd.Result != nil || pd.Error != "" {
		t.Errorf("%+v", pd)
	}
	// No index yet: a bad query is still a 400, a good one waits (503).
	var none *Index
	if pd = none.Page(context.Background(), `"open`, 10, nil); pd.Code != http.StatusBadRequest || pd.ErrorCol != 1 {
		t.Errorf("no index, bad query: %+v", pd)
	}
	if pd = none.Page(context.Background(), "certificate", 10, nil); pd.Code != http.StatusServiceUnavailable || !strings.Contains(pd.Error, "being built") {
		t.Errorf("no index: %+v", pd)
	}
}

// TestConcurrentUpdateSearch: serve updates its index while requests
// search it (run with -race).
func TestConcurrentUpdateSearch(t *testing.T) {
	docs := fixtureDocs(t)
	ix := memIndex(t, docs)
	ctx := context.Background()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20; i++ {
			d2 := append([]Doc(nil), docs...)
			d2[i%len(d2)].Body += " change"
			if _, err := ix.Update(ctx, d2); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; i < 50; i++ {
		if _, err := ix.Search(ctx, "certificate severity:SEV1,SEV2", SearchOptions{Facets: true}); err != nil {
			t.Fatal(err)
		}
	}
	<-done
}

// TestSecuritySearchLimits: /api/search refuses an oversized query at
// once, and bounds how many searches run together and for how long.
func TestSecuritySearchLimits(t *testing.T) {
	ix := memIndex(t, fixtureDocs(t))
	lim := NewLimiter(Limits{Concurrent: 1, Wait: 20 * time.Millisecond})
	srv := httptest.NewServer(HandlerFor(func() *Index { return ix }, lim))
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
	ix := memIndex(t, fixtureDocs(t))
	h := HandlerFor(func() *Index { return ix }, NewLimiter(Limits{Timeout: time.Nanosecond}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=certificate", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "time limit") {
		t.Errorf("handler: %d %s", rec.Code, rec.Body)
	}
}
