package running

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/hindsight-kb/hindsight/search"
)

// TestRecordSearch: a search reaches the server recorded by Record, and
// none is asked once the record is removed; a record removed by another
// process's is left alone.
func TestRecordSearch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/search" || r.URL.Query().Get("q") != "cause:dns" || r.URL.Query().Get("limit") != "7" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		_, _ = w.Write([]byte(`{"total":1,"hits":[{"id":"a"}]}`))
	}))
	defer srv.Close()
	root := t.TempDir()
	ctx := context.Background()
	if _, _, ok := Search(ctx, root, "cause:dns", search.SearchOptions{Limit: 7}); ok {
		t.Fatal("answered without a record")
	}
	remove := Record(root, srv.URL+"/")
	if remove == nil {
		t.Fatal("no record")
	}
	res, url, ok := Search(ctx, root, "cause:dns", search.SearchOptions{Limit: 7})
	if !ok || url != srv.URL+"/" || res.Total != 1 {
		t.Fatalf("Search = %+v %q %v", res, url, ok)
	}
	remove()
	if _, err := os.Stat(file(root)); !os.IsNotExist(err) {
		t.Fatalf("the record is still there: %v", err)
	}
	// Another serve's record is not this one's to remove.
	other := Record(root, srv.URL+"/")
	if err := os.WriteFile(filepath.Join(root, ".hindsight", "serve.json"), []byte(`{"url":"http://x/","pid":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	other()
	if _, err := os.Stat(file(root)); err != nil {
		t.Fatalf("another process's record was removed: %v", err)
	}
}
