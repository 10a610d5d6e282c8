package site

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/kbtest"
)

func updateOpts(root string) Options {
	return Options{Root: root, Now: testNow, NoGit: true, Drafts: true, LiveReload: true, Workers: 2}
}

// sameSite compares what a reader of the two sites can see: diagnostics,
// the page list and every rendered page. The search data (static export,
// similar incidents) is kept from the previous site by design (see
// updateSearch), so want is given got's.
func sameSite(t *testing.T, got, want *Site) {
	t.Helper()
	w := *want
	w.Search = got.Search
	if err := pagesStage(&job{ctx: context.Background(), s: &w}); err != nil {
		t.Fatal(err)
	}
	want = &w
	gd, wd := got.Diagnostics, want.Diagnostics
	if len(gd) == 0 && len(wd) == 0 {
		gd, wd = nil, nil
	}
	if !reflect.DeepEqual(gd, wd) {
		t.Errorf("diagnostics differ:\ngot  %v\nwant %v", gd, wd)
	}
	if g, w := got.Pages(), want.Pages(); !reflect.DeepEqual(g, w) {
		t.Fatalf("pages differ:\ngot  %q\nwant %q", g, w)
	}
	for _, p := range want.Pages() {
		wb, wm, werr := want.Render(p)
		gb, gm, gerr := got.Render(p)
		if (werr == nil) != (gerr == nil) || gm != wm || !bytes.Equal(gb, wb) {
			t.Errorf("%s differs: got %d bytes %s %v, want %d bytes %s %v", p, len(gb), gm, gerr, len(wb), wm, werr)
		}
	}
}

func TestUpdateMatchesLoad(t *testing.T) {
	const cert = "content/postmortems/2024/cert-expiry.md"
	tests := []struct {
		name   string
		change func(t *testing.T, root string) []string
		// kept lists files whose last good version must stay served
		// (so the site differs from a fresh Load there).
		kept string
	}{
		{"edit body", func(t *testing.T, root string) []string {
			return []string{edit(t, root, cert, "Renewal was manual.", "Renewal was manual and forgotten.")}
		}, ""},
		{"edit title", func(t *testing.T, root string) []string {
			return []string{edit(t, root, cert, "title: Edge certificate expired", "title: Edge certificate lapsed")}
		}, ""},
		{"change id", func(t *testing.T, root string) []string {
			return []string{edit(t, root, cert, "id: 2024-cert-expiry", "id: 2024-cert-lapse")}
		}, ""},
		{"add error", func(t *testing.T, root string) []string {
			return []string{edit(t, root, cert, "severity: SEV2", "severity: SEV9")}
		}, ""},
		{"add file", func(t *testing.T, root string) []string {
			b, _ := os.ReadFile(filepath.Join(root, cert))
			nb := strings.Replace(string(b), "id: 2024-cert-expiry", "id: copy", 1)
			return []string{kbtest.WriteFile(t, root, "content/postmortems/2026/copy.md", nb)}
		}, ""},
		{"remove file", func(t *testing.T, root string) []string {
			p := filepath.Join(root, cert)
			os.Remove(p)
			return []string{p}
		}, ""},
		{"rename folder", func(t *testing.T, root string) []string {
			a, b := filepath.Join(root, "content/postmortems/2025"), filepath.Join(root, "content/postmortems/y2025")
			os.Rename(a, b)
			return []string{a, b}
		}, ""},
		{"edit page", func(t *testing.T, root string) []string {
			p := filepath.Join(root, "content/about.md")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, append(b, []byte("\nMore text.\n")...), 0o644)
			return []string{p}
		}, ""},
		{"page with a reserved slug", func(t *testing.T, root string) []string {
			p := filepath.Join(root, "content/trends.md")
			os.WriteFile(p, []byte("---\ntitle: Trends\n---\n\nMine.\n"), 0o644)
			return []string{p}
		}, ""},
		{"config", func(t *testing.T, root string) []string {
			p := filepath.Join(root, "hindsight.yaml")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, append(b, []byte("title: Changed title\n")...), 0o644)
			return []string{p}
		}, ""},
		{"break front matter", func(t *testing.T, root string) []string {
			return []string{edit(t, root, cert, "severity: SEV2", "severity: [SEV2")}
		}, cert},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeTxtar(t, fixtureKB)
			ctx := context.Background()
			old, err := Load(ctx, updateOpts(root))
			if err != nil {
				t.Fatal(err)
			}
			oldPages := old.Pages()
			changed := tt.change(t, root)
			got, err := old.Update(ctx, changed)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Load(ctx, updateOpts(root))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(old.Pages(), oldPages) {
				t.Error("Update changed the old site")
			}
			if tt.kept == "" {
				sameSite(t, got, want)
				return
			}
			// The broken file: diagnostics are the new version's, the
			// page is the last good one.
			if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
				t.Errorf("diagnostics differ:\ngot  %v\nwant %v", got.Diagnostics, want.Diagnostics)
			}
			if !reflect.DeepEqual(got.Pages(), old.Pages()) {
				t.Errorf("pages of a site with a broken file: %q, want the last good %q", got.Pages(), old.Pages())
			}
			// Another change keeps the last good version and the
			// diagnostics; fixing the file brings everything back.
			other := edit(t, root, "content/postmortems/2025/cert-again.md", "## Summary", "## Summary\n\nMore.\n")
			got2, err := got.Update(ctx, []string{other})
			if err != nil {
				t.Fatal(err)
			}
			want2, _ := Load(ctx, updateOpts(root))
			if !reflect.DeepEqual(got2.Diagnostics, want2.Diagnostics) {
				t.Errorf("diagnostics after another change differ:\ngot  %v\nwant %v", got2.Diagnostics, want2.Diagnostics)
			}
			if !reflect.DeepEqual(got2.Pages(), old.Pages()) {
				t.Errorf("the last good version was lost after another change")
			}
			fixed := edit(t, root, cert, "severity: [SEV2", "severity: SEV2")
			got3, err := got2.Update(ctx, []string{fixed})
			if err != nil {
				t.Fatal(err)
			}
			want3, _ := Load(ctx, updateOpts(root))
			sameSite(t, got3, want3)
		})
	}
}

// edit replaces old by new in a file of the KB and returns its absolute
// path.
func edit(t *testing.T, root, rel, old, new string) string {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %q", rel, old)
	}
	if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestUpdateSimilarOfChanged: a postmortem written while serve runs gets
// its own similar incidents at once, not those of the last full Load
// (none, for a new one).
func TestUpdateSimilarOfChanged(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	ctx := context.Background()
	old, err := Load(ctx, updateOpts(root))
	if err != nil {
		t.Fatal(err)
	}
	const src = "content/postmortems/2024/cert-expiry.md"
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(src)))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(b), "id: 2024-cert-expiry", "id: 2026-cert-copy", 1)
	dst := kbtest.WriteFile(t, root, "content/postmortems/2026/cert-copy.md", text)
	got, err := old.Update(ctx, []string{dst})
	if err != nil {
		t.Fatal(err)
	}
	if l := got.Search.Similar["2026-cert-copy"]; len(l) == 0 || l[0] != "2024-cert-expiry" {
		t.Errorf("similar incidents of a new copy of 2024-cert-expiry: %v, want it first", l)
	}
	if _, ok := old.Search.Similar["2026-cert-copy"]; ok {
		t.Error("Update changed the old site's similar incidents")
	}
	page, _, err := got.Render("postmortems/2026-cert-copy/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if i := bytes.Index(page, []byte("<h2>Similar incidents</h2>")); i < 0 || !bytes.Contains(page[i:], []byte("2024-cert-expiry/index.html")) {
		t.Error("the new postmortem's page does not list 2024-cert-expiry under Similar incidents")
	}
}
