package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/kbgen"
)

// TestCompactSame checks that a compact build (serve's) gives the same
// diagnostics, similar incidents and pages as a full one, after Load and
// after each of a series of changes through Update: a content edit that
// breaks a rule, an id changed (a structural change: the whole KB is
// checked again, from its files in the compact build), a new file, a
// removed one, a file that cannot be read (kept in its last good version,
// whose text the compact build let go).
func TestCompactSame(t *testing.T) {
	root := t.TempDir()
	gen := kbgen.Options{N: 60, Seed: 7}
	if err := kbgen.Generate(root, gen); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, audience := range []string{Internal, Public} {
		opts := Options{Root: root, Now: testNow, NoGit: true, Audience: audience, Drafts: audience == Internal,
			LiveReload: true, NoStaticSearch: true}
		full, err := Load(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		opts.Compact = true
		compact, err := Load(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		compactSame(t, audience+", load", full, compact)
		rel0, data0 := kbgen.GenerateFile(3, gen)
		rel1, data1 := kbgen.GenerateFile(11, gen)
		rel2, data2 := kbgen.GenerateFile(19, gen)
		relNew, dataNew := kbgen.GenerateFile(gen.N, kbgen.Options{N: gen.N + 1, Seed: gen.Seed})
		edits := []struct {
			name string
			rel  string
			data []byte // nil: remove the file
		}{
			{"content edit", rel0, []byte(strings.Replace(string(data0), "## Timeline", "## Chronology", 1))},
			{"id changed", rel1, []byte(strings.Replace(string(data1), "\nid: ", "\nid: renamed-", 1))},
			{"new file", relNew, dataNew},
			{"file removed", rel0, nil},
			{"restored", rel0, data0},
			{"front matter broken", rel2, []byte("---\ntitle: [Broken\n---\n\n## Summary\n")},
			{"fixed", rel2, data2},
		}
		for _, e := range edits {
			p := filepath.Join(root, filepath.FromSlash(e.rel))
			if e.data == nil {
				err = os.Remove(p)
			} else {
				err = os.WriteFile(p, e.data, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			if full, err = full.Update(ctx, []string{e.rel}); err != nil {
				t.Fatal(err)
			}
			if compact, err = compact.Update(ctx, []string{e.rel}); err != nil {
				t.Fatal(err)
			}
			compactSame(t, audience+", "+e.name, full, compact)
		}
		// Back as generated, for the next audience.
		for _, f := range []struct {
			rel  string
			data []byte
		}{{rel0, data0}, {rel1, data1}} {
			if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(f.rel)), f.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Remove(filepath.Join(root, filepath.FromSlash(relNew))); err != nil {
			t.Fatal(err)
		}
	}
}

// compactSame reports how the compact site b differs from the full site a.
func compactSame(t *testing.T, what string, a, b *Site) {
	t.Helper()
	if x, y := fmt.Sprint(a.Diagnostics), fmt.Sprint(b.Diagnostics); x != y {
		t.Errorf("%s: diagnostics differ:\nfull:    %s\ncompact: %s", what, x, y)
	}
	if x, y := fmt.Sprint(a.Search.Similar), fmt.Sprint(b.Search.Similar); x != y {
		t.Errorf("%s: similar incidents differ", what)
	}
	pa, pb := a.Pages(), b.Pages()
	if x, y := strings.Join(pa, " "), strings.Join(pb, " "); x != y {
		t.Fatalf("%s: pages differ:\nfull:    %s\ncompact: %s", what, x, y)
	}
	for _, p := range pa {
		x, _, err := a.Render(p)
		if err != nil {
			t.Fatal(err)
		}
		y, _, err := b.Render(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(x) != string(y) {
			t.Errorf("%s: %s differs", what, p)
		}
	}
}
