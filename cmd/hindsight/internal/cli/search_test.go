package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli"
	"github.com/hindsight-kb/hindsight/search"
)

// searchKB copies the search package's fixture KB into a temporary folder.
func searchKB(t *testing.T) string {
	t.Helper()
	return copyKB(t, filepath.Join("..", "..", "..", "..", "search", "testdata", "kb"))
}

// copyKB copies a KB's content/ and hindsight.yaml (never its caches) to a
// temporary folder.
func copyKB(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel != "." && rel != "content" && !strings.HasPrefix(rel, "content"+string(filepath.Separator)) && rel != "hindsight.yaml" {
			if info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func runSearch(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli.Main(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestSearchCommandJSON(t *testing.T) {
	root := searchKB(t)
	out, errs, code := runSearch(t, "--root", root, "search", "--format", "json", "--facets", "certificates", "expiring")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			ID, Title, Severity, Started, URL, Snippet string
			Score                                      float64
		} `json:"hits"`
		Facets map[string][]struct {
			Term  string `json:"term"`
			Count int    `json:"count"`
		} `json:"facets"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
		if h.Title == "" || h.Severity == "" || h.Started == "" || h.URL == "" || h.Score <= 0 || !strings.Contains(h.Snippet, "<mark>") {
			t.Errorf("incomplete hit %+v", h)
		}
	}
	sort.Strings(ids)
	if res.Total != 2 || !reflect.DeepEqual(ids, []string{"cert-expiry", "mesh-ca"}) {
		t.Errorf("total %d ids %v", res.Total, ids)
	}
	if len(res.Facets["severity"]) != 2 || len(res.Facets["cause"]) == 0 {
		t.Errorf("facets %v", res.Facets)
	}
	// The index was written under .hindsight/search.
	if _, err := os.Stat(filepath.Join(root, ".hindsight", "search", "index_meta.json")); err != nil {
		t.Errorf("no on-disk index: %v", err)
	}
	// Without --facets, facets is an empty object.
	out, _, _ = runSearch(t, "--root", root, "search", "--format", "json", "--limit", "1", "cause:expired-certificate")
	var raw map[string]json.RawMessage
	json.Unmarshal([]byte(out), &raw)
	if string(raw["facets"]) != "{}" || string(raw["total"]) != "2" {
		t.Errorf("json %s", out)
	}
}

func TestSearchCommandText(t *testing.T) {
	root := searchKB(t)
	out, errs, code := runSearch(t, "--root", root, "search", "--facets", `"rate limit"`, "system:login-api")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"1 result for", "HTTP flood against the login API", "login-flood · SEV3 · 2024-06-11", "rate limit", "severity: SEV3 (1)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") || strings.Contains(out, "<mark>") {
		t.Errorf("escapes or tags in non-terminal output:\n%q", out)
	}
	// A filter value nobody has: no results and a hint.
	out, errs, code = runSearch(t, "--root", root, "search", "cause:expired-cert")
	if code != 0 || !strings.Contains(out, "0 results") || !strings.Contains(errs, `"expired-certificate"`) {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
}

func TestSearchCommandErrors(t *testing.T) {
	root := searchKB(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"search", `certificate "expired`}, "col 13: unclosed quote"},
		{[]string{"search", "sytem:login-api"}, `did you mean "system:"`},
		{[]string{"search", "after:2024-13"}, `bad date "2024-13"`},
		{[]string{"search", "--format", "xml", "x"}, "--format"},
		{[]string{"search", " "}, "empty query"},
		{[]string{"search"}, "requires at least 1 arg"},
	}
	for _, tc := range tests {
		_, errs, code := runSearch(t, append([]string{"--root", root}, tc.args...)...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	// The caret points at the column.
	_, errs, _ := runSearch(t, "--root", root, "search", `certificate "expired`)
	if !strings.Contains(errs, "\n  certificate \"expired\n              ^") {
		t.Errorf("no caret:\n%s", errs)
	}
}

// TestSearchCommandWhileLocked: another process (serve) holds the index;
// search still answers, from a temporary index.
func TestSearchCommandWhileLocked(t *testing.T) {
	root := searchKB(t)
	ix, err := search.Open(search.DefaultDir(root), search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	out, errs, code := runSearch(t, "--root", root, "search", "--format", "json", "severity:SEV1")
	if code != 0 || !strings.Contains(errs, "in use by another hindsight process") || !strings.Contains(out, `"total": 2`) {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
}

// TestBuildKeepsSearchIndexCurrent: once a KB has a search index, build
// brings it up to date, so a postmortem added before the build is found by
// the next search without it re-indexing.
func TestBuildKeepsSearchIndexCurrent(t *testing.T) {
	root := copyKB(t, filepath.Join("..", "..", "..", ".."))
	t.Setenv("HINDSIGHT_NOW", "2026-11-27")
	if _, serr, code := runSearch(t, "--root", root, "search", "certificate", "--limit", "1"); code != 0 {
		t.Fatalf("first search: %d %s", code, serr)
	}
	var first string
	_ = filepath.Walk(filepath.Join(root, "content", "postmortems"), func(p string, info os.FileInfo, err error) error {
		if first == "" && err == nil && strings.HasSuffix(p, ".md") {
			first = p
		}
		return nil
	})
	b, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	// A copy with a new id and a word no other postmortem has.
	text := strings.Replace(string(b), "\n## Summary\n", "\n## Summary\n\nQuixotically zygomorphic.\n", 1)
	// Drop an explicit id: the copy takes its file name as id.
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(l, "id:") {
			lines = append(lines, l)
		}
	}
	text = strings.Join(lines, "\n")
	if err := os.WriteFile(filepath.Join(filepath.Dir(first), "zz-new.md"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, serr, code := runSearch(t, "--root", root, "build", "--out", filepath.Join(t.TempDir(), "site")); code != 0 {
		t.Fatalf("build: %d %s %s", code, out, serr)
	}
	ix, err := search.Open(search.DefaultDir(root), search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), "zygomorphic", search.SearchOptions{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].ID != "zz-new" {
		t.Fatalf("index not updated by build: %+v", res)
	}
}

// TestSearchAsksRunningServe: while serve runs it holds the index, and
// records its address; search then asks it instead of indexing again.
func TestSearchAsksRunningServe(t *testing.T) {
	root := searchKB(t)
	var gotQuery string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/search" {
			http.NotFound(w, r)
			return
		}
		gotQuery = r.URL.Query().Get("q")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"total":1,"hits":[{"id":"from-serve","title":"Answered by serve","severity":"SEV2","started":"2025-01-02T00:00:00Z","url":"postmortems/from-serve/","score":1,"snippet":"x"}],"facets":null}`))
	}))
	defer srv.Close()
	rec := fmt.Sprintf(`{"url":%q,"pid":%d}`, srv.URL+"/", os.Getpid())
	if err := os.MkdirAll(filepath.Join(root, ".hindsight"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, ".hindsight", "serve.json"), []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	out, serr, code := runSearch(t, "--root", root, "search", "--format", "json", "certificate", "system:edge")
	if code != 0 || gotQuery != "certificate system:edge" || !strings.Contains(out, `"from-serve"`) || !strings.Contains(serr, "running hindsight serve") {
		t.Fatalf("code %d, query %q\nstdout %s\nstderr %s", code, gotQuery, out, serr)
	}
	// A record whose process is gone is ignored.
	if err := os.WriteFile(filepath.Join(root, ".hindsight", "serve.json"), []byte(fmt.Sprintf(`{"url":%q,"pid":%d}`, srv.URL+"/", 1<<30)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = runSearch(t, "--root", root, "search", "--format", "json", "certificate")
	if code != 0 || strings.Contains(out, `"from-serve"`) {
		t.Fatalf("stale record used: code %d\n%s", code, out)
	}
}

// TestSearchCommandDidYouMean: a typo gets results and a suggestion, in
// text and in JSON; synonyms come from hindsight.yaml.
func TestSearchCommandDidYouMean(t *testing.T) {
	root := searchKB(t)
	out, errs, code := runSearch(t, "--root", root, "search", "certifcate")
	if code != 0 || !strings.Contains(out, "did you mean: certificate\n") || !strings.Contains(out, "mesh-ca") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
	out, errs, code = runSearch(t, "--root", root, "search", "--format", "json", "certifcate")
	var res struct {
		Total      int    `json:"total"`
		DidYouMean string `json:"did_you_mean"`
	}
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || res.DidYouMean != "certificate" || res.Total == 0 {
		t.Errorf("exit %d %v %+v\n%s", code, err, res, errs)
	}
	// The KB's own synonyms replace the default ones.
	out, _, _ = runSearch(t, "--root", root, "search", "--format", "json", "hotline")
	if strings.Contains(out, "cert-expiry") {
		t.Fatalf("hotline found something before it was a synonym:\n%s", out)
	}
	cfg, err := os.ReadFile(filepath.Join(root, "hindsight.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg = append(cfg, "\nsearch:\n  synonyms: [[hotline, tls]]\n"...)
	if err := os.WriteFile(filepath.Join(root, "hindsight.yaml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code = runSearch(t, "--root", root, "search", "--format", "json", "hotline")
	if code != 0 || !strings.Contains(out, `"cert-expiry"`) {
		t.Errorf("synonym from hindsight.yaml: exit %d\n%s\n%s", code, out, errs)
	}
	out, _, _ = runSearch(t, "--root", root, "search", "--format", "json", "ssl")
	if strings.Contains(out, "cert-expiry") {
		t.Errorf("the default ssl/tls group still applies:\n%s", out)
	}
}
