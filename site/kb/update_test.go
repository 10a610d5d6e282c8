package kb

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

func pmText(id, title, body string) string {
	return "---\nid: " + id + "\ntitle: " + title + "\nseverity: SEV2\nstatus: published\ncategory: outage\n" +
		"started: 2025-03-14T09:00:00Z\ndetected: 2025-03-14T09:10:00Z\nresolved: 2025-03-14T10:00:00Z\n" +
		"root_causes: [dns]\nsystems: [api]\nauthors: [ann]\n---\n\n## Summary\n\n" + body + "\n"
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// summary describes a KB for comparison: paths, ids, titles, HTML,
// problems, assets.
func summary(k *KB) []string {
	var out []string
	for _, p := range k.Postmortems {
		out = append(out, "pm "+p.Path+" "+p.ID+" "+p.Title+" "+p.Body.HTML)
	}
	for _, p := range k.Pages {
		out = append(out, "page "+p.Path+" "+p.Title+" "+p.Body.HTML)
	}
	for _, a := range k.Assets {
		out = append(out, "asset "+a)
	}
	for _, d := range k.Problems {
		out = append(out, "problem "+d.String())
	}
	return out
}

func TestUpdateMatchesLoad(t *testing.T) {
	opts := Options{RenderHTML: true, IndexFile: "index.html"}
	base := map[string]string{
		"content/postmortems/2025/a.md": pmText("a", "Alpha", "See [b](b.md) and [img](../../img/x.png)."),
		"content/postmortems/2025/b.md": pmText("b", "Beta", "Beta body."),
		"content/postmortems/2024/c.md": pmText("c", "Gamma", "Links to [new](../2025/new.md)."),
		"content/about.md":              "---\ntitle: About\n---\n\nSee [a](postmortems/2025/a.md).\n",
		"content/img/x.png":             "png",
	}
	tests := []struct {
		name    string
		write   map[string]string
		remove  []string
		rename  [2]string
		changed []string
		// fresh lists the paths that must be new values (not shared).
		fresh []string
	}{
		{name: "modify", write: map[string]string{"content/postmortems/2025/b.md": pmText("b", "Beta 2", "New body.")},
			changed: []string{"content/postmortems/2025/b.md"}, fresh: []string{"content/postmortems/2025/b.md"}},
		{name: "add linked target", write: map[string]string{"content/postmortems/2025/new.md": pmText("new", "New", "x")},
			changed: []string{"content/postmortems/2025/new.md"},
			fresh:   []string{"content/postmortems/2025/new.md", "content/postmortems/2024/c.md"}},
		{name: "add unnamed", write: map[string]string{"content/postmortems/2025/other.md": pmText("other", "Other", "x")},
			fresh: []string{"content/postmortems/2025/other.md"}},
		{name: "remove", remove: []string{"content/postmortems/2025/b.md"}, changed: []string{"content/postmortems/2025/b.md"},
			fresh: []string{"content/postmortems/2025/a.md"}},
		{name: "id change relinks", write: map[string]string{"content/postmortems/2025/b.md": pmText("b-renamed", "Beta", "x")},
			changed: []string{"content/postmortems/2025/b.md"},
			fresh:   []string{"content/postmortems/2025/b.md", "content/postmortems/2025/a.md"}},
		{name: "folder rename", rename: [2]string{"content/postmortems/2024", "content/postmortems/old"},
			changed: []string{"content/postmortems/2024", "content/postmortems/old"},
			fresh:   []string{"content/postmortems/old/c.md"}},
		{name: "broken file", write: map[string]string{"content/postmortems/2025/b.md": "---\ntitle: [\n"},
			changed: []string{"content/postmortems/2025/b.md"}, fresh: []string{"content/postmortems/2025/b.md"}},
		{name: "not utf8", write: map[string]string{"content/postmortems/2025/b.md": "---\ntitle: \xff\n---\n"},
			changed: []string{"content/postmortems/2025/b.md"}, fresh: []string{"content/postmortems/2025/a.md"}},
		{name: "asset removed", remove: []string{"content/img/x.png"}, changed: []string{"content/img/x.png"},
			fresh: []string{"content/postmortems/2025/a.md"}},
		{name: "page", write: map[string]string{"content/about.md": "---\ntitle: About us\n---\n\nHi.\n"},
			changed: []string{"content/about.md"}},
		{name: "absolute path and nothing changed", changed: []string{"ROOT/content/postmortems/2025/a.md"},
			fresh: []string{"content/postmortems/2025/a.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, base)
			cfg := config.Default()
			old, err := Load(root, cfg, opts)
			if err != nil {
				t.Fatal(err)
			}
			before := summary(old)
			writeFiles(t, root, tt.write)
			for _, r := range tt.remove {
				if err := os.Remove(filepath.Join(root, r)); err != nil {
					t.Fatal(err)
				}
			}
			if tt.rename[0] != "" {
				if err := os.Rename(filepath.Join(root, tt.rename[0]), filepath.Join(root, tt.rename[1])); err != nil {
					t.Fatal(err)
				}
			}
			var changed []string
			for _, c := range tt.changed {
				changed = append(changed, strings.Replace(c, "ROOT", old.Root, 1))
			}
			got, err := old.Update(changed, opts)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Load(root, cfg, opts)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := summary(got), summary(want); !reflect.DeepEqual(g, w) {
				t.Errorf("Update differs from Load:\ngot  %q\nwant %q", g, w)
			}
			if after := summary(old); !reflect.DeepEqual(before, after) {
				t.Errorf("the old KB was modified:\nbefore %q\nafter  %q", before, after)
			}
			// Unchanged values are shared; the listed ones are new.
			oldBy := map[string]*postmortem.Postmortem{}
			for _, p := range old.Postmortems {
				oldBy[p.Path] = p
			}
			isFresh := map[string]bool{}
			for _, f := range tt.fresh {
				isFresh[f] = true
			}
			for _, p := range got.Postmortems {
				o, existed := oldBy[p.Path]
				if !existed {
					continue
				}
				if shared := o == p; shared == isFresh[p.Path] {
					t.Errorf("%s: shared=%v, want shared=%v", p.Path, shared, !isFresh[p.Path])
				}
			}
		})
	}
}

func TestUpdateRootGone(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"content/postmortems/a.md": pmText("a", "A", "x")})
	k, err := Load(root, config.Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Update(nil, Options{}); err == nil {
		t.Fatal("Update of a removed root: no error")
	}
}
