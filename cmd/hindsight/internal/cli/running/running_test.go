package running

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

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

// TestSearchOnlyOnThisMachine: a record naming another host (a pull
// request can add .hindsight/serve.json to the KB) is ignored, without
// a request: the user's query never leaves the machine.
func TestSearchOnlyOnThisMachine(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".hindsight"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{
		"http://192.0.2.1:1717/",           // not this machine's (TEST-NET-1)
		"http://attacker.example:1717/",    // a name other than localhost is never resolved
		"http://user@127.0.0.1:1717/",      // userinfo
		"http://127.0.0.1:1717/elsewhere/", // a path
		"http://127.0.0.1/",                // no port
	} {
		rec := fmt.Sprintf(`{"url":%q,"pid":%d}`, u, os.Getpid()) // an alive process
		if err := os.WriteFile(file(root), []byte(rec), 0o644); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, _, ok := Search(context.Background(), root, "secret incident", search.SearchOptions{Limit: 7}); ok {
			t.Errorf("%s: answered", u)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: took %v: it was tried", u, d)
		}
	}
	for _, u := range []string{"http://127.0.0.1:1717/", "http://localhost:1717/", "http://[::1]:1717/"} {
		if !onThisMachine(u) {
			t.Errorf("%s: not on this machine", u)
		}
	}
}
