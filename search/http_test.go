package search

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	ix := memIndex(t, fixtureDocs(t))
	srv := httptest.NewServer(Handler(ix))
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
	pd := ix.Page(context.Background(), "certificate", 10)
	if pd.Result == nil || pd.Result.Total != 3 || pd.Error != "" || !strings.Contains(string(pd.Result.Hits[0].SnippetHTML()), "<mark>") {
		t.Errorf("%+v", pd)
	}
	pd = ix.Page(context.Background(), `"open`, 10)
	if pd.Result != nil || pd.ErrorCol != 1 {
		t.Errorf("%+v", pd)
	}
	if pd = ix.Page(context.Background(), "", 10); pd.Result != nil || pd.Error != "" {
		t.Errorf("%+v", pd)
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
