package check_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/check"
)

// TestBadInput loads a KB full of broken files next to one good file with a
// known problem: every broken file gets its diagnostic, nothing panics, and
// the rest of the KB is still checked.
func TestBadInput(t *testing.T) {
	crlf := strings.ReplaceAll(edit(t, edit(t, base, "severity: SEV2", "severity: SEV9"), "Renewal was manual.", "Bob was careless; key AKIAZ3MSJV4WWNKWW5FG."), "\n", "\r\n")
	files := map[string]string{
		"content/postmortems/good.md":        edit(t, base, "severity: SEV2", "severity: SEV9"),
		"content/postmortems/empty.md":       "",
		"content/postmortems/blank.md":       "\n\n   \n",
		"content/postmortems/nofm.md":        "# Title\n\nText.\n",
		"content/postmortems/unclosed.md":    "\n\n---\ntitle: x\n\n## Summary\n",
		"content/postmortems/badyaml.md":     "---\ntitle: x\nseverity: SEV2\nstatus: [draft\n---\n",
		"content/postmortems/badtoml.md":     "+++\ntitle = \"x\"\nseverity = \n+++\n",
		"content/postmortems/badjson.md":     "{\n  \"title\": \"x\",\n  \"severity\": SEV2\n}\n",
		"content/postmortems/list.md":        "---\n- a\n- b\n---\n",
		"content/postmortems/types.md":       edit(t, edit(t, base, "root_causes: [expired-certificate]", "root_causes: {a: 1}"), "started: 2025-03-14T09:00:00Z", "started: 2025-03-14"),
		"content/postmortems/latin1.md":      "---\ntitle: caf\xe9\n---\n",
		"content/postmortems/big.md":         base + strings.Repeat("x", 2<<20),
		"content/postmortems/crlf.md":        crlf,
		"content/postmortems/bom.md":         "\ufeff" + edit(t, base, "severity: SEV2", "severity: SEV9"),
		"content/postmortems/deep.md":        "---\ntitle: " + strings.Repeat("[", 5000) + "\n---\n",
		"content/postmortems/dir.md/keep.md": base,
	}
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pmDir := filepath.Join(root, "content", "postmortems")
	if err := os.Symlink("..", filepath.Join(pmDir, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("missing.md", filepath.Join(pmDir, "dangling.md")); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"content/postmortems/good.md:3:11 invalid-value",
		"content/postmortems/empty.md:1:1 frontmatter-syntax",
		"content/postmortems/blank.md:1:1 frontmatter-syntax",
		"content/postmortems/nofm.md:1:1 frontmatter-syntax",
		"content/postmortems/unclosed.md:3:1 frontmatter-syntax",
		"content/postmortems/badyaml.md:4:1 frontmatter-syntax",
		"content/postmortems/badtoml.md:3:12 frontmatter-syntax",
		"content/postmortems/badjson.md:3:3 frontmatter-syntax",
		"content/postmortems/list.md:2:1 frontmatter-syntax",
		"content/postmortems/types.md:6:10 invalid-value",
		"content/postmortems/types.md:9:14 invalid-value",
		"content/postmortems/latin1.md:2:11 file-encoding",
		"content/postmortems/big.md file-size",
		"content/postmortems/crlf.md:3:11 invalid-value",
		"content/postmortems/crlf.md:33:9 blame-language",
		"content/postmortems/crlf.md:33:23 secret",
		"content/postmortems/bom.md:3:11 invalid-value",
		"content/postmortems/dir.md/keep.md",
		"content/postmortems/loop file-unreadable",
		"content/postmortems/dangling.md file-unreadable",
	}
	if os.Geteuid() != 0 {
		p := filepath.Join(pmDir, "secret.md")
		if err := os.WriteFile(p, []byte(base), 0o000); err != nil {
			t.Fatal(err)
		}
		want = append(want, "content/postmortems/secret.md file-unreadable")
	}
	ds := load(t, root, check.Options{})
	var got []string
	for _, d := range ds {
		got = append(got, d.Where()+" "+d.Rule)
	}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if w == "content/postmortems/dir.md/keep.md" {
			// A folder named like a postmortem is walked; the clean file in
			// it has no diagnostics.
			if strings.Contains(all, w) {
				t.Errorf("clean file in dir.md reported:\n%s", all)
			}
			continue
		}
		if !strings.Contains(all+"\n", w+"\n") {
			t.Errorf("missing %q in:\n%s", w, all)
		}
	}
	for _, d := range ds {
		if d.Message == "" || d.File == "" {
			t.Errorf("diagnostic without message or file: %+v", d)
		}
	}
	if strings.Count(all, "deep.md") == 0 {
		t.Errorf("deeply nested front matter reported nothing:\n%s", all)
	}
}
