package kb

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// TestReread: a load that drops each source after its front matter
// (DropBody, DropSource, from RereadFrom files) reads the file again for
// its body, and gives the
// same postmortems as one that keeps every source; a file changed between
// the two reads is taken whole as it is at the second (front matter and
// body of one version, never the front matter of one and the body of
// another), and one that can no longer be read (deleted, grown past the
// size limit) keeps its front matter and says why, with no body.
func TestReread(t *testing.T) {
	files := map[string]string{
		"content/postmortems/a.md":       pmText("a", "Alpha", "The first."),
		"content/postmortems/b.md":       "\ufeff" + pmText("b", "Bravo", "With a byte order mark."),
		"content/postmortems/same.md":    pmText("same", "Same", "Rewritten with the same bytes."),
		"content/postmortems/changed.md": pmText("old-id", "Old title", "Old body."),
		"content/postmortems/longer.md":  pmText("short", "Short", "x"),
		"content/postmortems/gone.md":    pmText("gone", "Gone", "Deleted between the two reads."),
		"content/postmortems/big.md":     pmText("big", "Big", "Grows past the size limit."),
		"content/about.md":               "---\ntitle: About\n---\nA page.\n",
	}
	between := map[string]func(p string) error{
		"same.md": func(p string) error { return os.WriteFile(p, []byte(files["content/postmortems/same.md"]), 0o644) },
		"changed.md": func(p string) error {
			return os.WriteFile(p, []byte(pmText("new-id", "New title", "New body.")), 0o644)
		},
		"longer.md": func(p string) error {
			return os.WriteFile(p, []byte(pmText("longer", "Longer", strings.Repeat("More words. ", 50))), 0o644)
		},
		"gone.md": os.Remove,
		"big.md": func(p string) error {
			return os.WriteFile(p, []byte(pmText("big", "Big", strings.Repeat("x", 5000))), 0o644)
		},
	}
	root := t.TempDir()
	writeFiles(t, root, files)
	cfg := config.Default()
	cfg.MaxFileSize = 4096
	load := func(opts Options) (*KB, map[string]string) {
		var mu sync.Mutex
		visited := map[string]string{}
		opts.RenderHTML = true
		opts.Visit = func(p *postmortem.Postmortem) {
			mu.Lock()
			visited[p.Path] = p.ID + " " + p.Title + " " + p.Body.Text
			mu.Unlock()
		}
		k, err := Load(root, cfg, opts)
		if err != nil {
			t.Fatal(err)
		}
		return k, visited
	}
	_, kept := load(Options{})
	_, dropped := load(Options{DropSource: true, RereadFrom: -1})
	for path, want := range kept {
		if got := dropped[path]; got != want {
			t.Errorf("%s: read again for its body: %q, want %q", path, got, want)
		}
	}

	_, want := load(Options{})
	want["content/postmortems/changed.md"] = "new-id New title Summary\n\nNew body."
	opts := Options{DropSource: true, RereadFrom: -1, Prepare: func(k *KB, _ []string) {
		for name, change := range between {
			if err := change(filepath.Join(root, "content", "postmortems", name)); err != nil {
				t.Fatal(err)
			}
		}
	}}
	k, got := load(opts)
	byPath := map[string]*postmortem.Postmortem{}
	for _, p := range k.Postmortems {
		byPath[p.Path] = p
	}
	for _, path := range []string{"a.md", "b.md", "same.md", "changed.md"} {
		path = "content/postmortems/" + path
		if got[path] != want[path] {
			t.Errorf("%s: %q, want %q", path, got[path], want[path])
		}
	}
	if p := byPath["content/postmortems/longer.md"]; p == nil || p.ID != "longer" || !strings.Contains(p.Body.Text, "More words.") {
		t.Errorf("longer.md: %+v, want the second version whole", p)
	}
	for _, name := range []string{"gone.md", "big.md"} {
		p := byPath["content/postmortems/"+name]
		if p == nil {
			t.Fatalf("%s: no postmortem", name)
		}
		var rules []string
		for _, d := range p.Problems {
			rules = append(rules, d.Rule)
		}
		if p.ID != strings.TrimSuffix(name, ".md") || p.Body.Text != "" || p.Body.HTML != "" || len(rules) != 1 || !strings.HasPrefix(rules[0], "file-") {
			t.Errorf("%s: id %q, body %q, problems %v: want its front matter, no body and why it cannot be read", name, p.ID, p.Body.Text, rules)
		}
	}
}

// TestBodies: a load of front matter alone (Options.Bodies) gives every
// postmortem's front matter as a full load does (ids, titles, problems of
// the front matter, where the body starts), no body and no Visit but for
// the bodies asked for, and the content pages as usual.
func TestBodies(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"content/postmortems/a.md":   pmText("a", "Alpha", "The first."),
		"content/postmortems/b.md":   pmText("b", "Bravo", "Asked for."),
		"content/postmortems/bad.md": "---\ntitle: [unclosed\n---\nBody.\n",
		"content/postmortems/no.md":  "No front matter.\n",
		"content/about.md":           "---\ntitle: About\n---\nA page.\n",
	})
	full, err := Load(root, config.Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"", "content/postmortems/b.md"} {
		var visited []string
		fm, err := Load(root, config.Default(), Options{Bodies: func(rel string) bool { return rel == want },
			Visit: func(p *postmortem.Postmortem) { visited = append(visited, p.Path) }})
		if err != nil {
			t.Fatal(err)
		}
		if len(fm.Postmortems) != len(full.Postmortems) || len(fm.Pages) != 1 || fm.Pages[0].Body.Text == "" {
			t.Fatalf("%d postmortems, %d pages: want %d and the page parsed", len(fm.Postmortems), len(fm.Pages), len(full.Postmortems))
		}
		if (want == "") != (len(visited) == 0) || want != "" && (len(visited) != 1 || visited[0] != want) {
			t.Errorf("bodies of %q: visited %v", want, visited)
		}
		for i, p := range fm.Postmortems {
			w := full.Postmortems[i]
			if p.ID != w.ID || p.Title != w.Title || p.Body.Line != w.Body.Line {
				t.Errorf("%s: id %q title %q body line %d; want %q %q %d", p.Path, p.ID, p.Title, p.Body.Line, w.ID, w.Title, w.Body.Line)
			}
			switch {
			case p.Path == want:
				if p.Body.Text != w.Body.Text || len(p.Problems) != len(w.Problems) {
					t.Errorf("%s: asked for, body %q problems %v; want %q %v", p.Path, p.Body.Text, p.Problems, w.Body.Text, w.Problems)
				}
			case p.Source != nil || p.Body.Text != "" || p.Body.Sections != nil || len(p.Problems) > len(w.Problems):
				t.Errorf("%s: source %d bytes, body %q, problems %v: want front matter alone", p.Path, len(p.Source), p.Body.Text, p.Problems)
			}
		}
	}
}

// TestRereadFrom: below RereadFrom files the sources are held between
// the passes, so a file deleted in between still gets its body (one
// read); from it, the file is read again and found gone.
func TestRereadFrom(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"content/postmortems/a.md": pmText("a", "Alpha", "Kept in memory."),
		"content/postmortems/b.md": pmText("b", "Bravo", "Also kept."),
	})
	for _, c := range []struct {
		from int
		body bool
	}{{0, true}, {3, true}, {2, false}, {-1, false}} {
		writeFiles(t, root, map[string]string{"content/postmortems/a.md": pmText("a", "Alpha", "Kept in memory.")})
		k, err := Load(root, config.Default(), Options{DropBody: true, RereadFrom: c.from, Prepare: func(*KB, []string) {
			if err := os.Remove(filepath.Join(root, "content", "postmortems", "a.md")); err != nil {
				t.Fatal(err)
			}
		}, Visit: func(p *postmortem.Postmortem) {
			if p.ID == "a" && (p.Body.Text != "") != c.body {
				t.Errorf("RereadFrom %d: a.md deleted between the passes: body %q", c.from, p.Body.Text)
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range k.Postmortems {
			if p.ID == "a" && (len(p.Problems) == 0) != c.body {
				t.Errorf("RereadFrom %d: a.md: problems %v, want none when held, why it is unreadable when read again", c.from, p.Problems)
			}
		}
	}
}

// TestFound: Options.Found hears the number of Markdown files (postmortems
// and pages) before any is read.
func TestFound(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"content/postmortems/a.md":      pmText("a", "A", "x"),
		"content/postmortems/2025/b.md": pmText("b", "B", "y"),
		"content/about.md":              "---\ntitle: About\n---\n",
		"content/postmortems/c.txt":     "not Markdown",
	})
	got := -1
	_, err := Load(root, config.Default(), Options{Found: func(n int) { got = n }, Prepare: func(*KB, []string) {
		if got != 3 {
			t.Errorf("Found(%d) before the bodies, want 3", got)
		}
	}})
	if err != nil || got != 3 {
		t.Errorf("Found(%d), err %v: want 3", got, err)
	}
}
