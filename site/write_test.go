package site

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteAtomic: a build that fails while rendering leaves the previous
// output as it was, and no temporary folder behind.
func TestWriteAtomic(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	build(t, root, Options{Out: out})
	before := readOut(t, out, "index.html")
	if err := os.WriteFile(filepath.Join(out, "CNAME"), []byte("kb.example.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A theme override that fails when the 404 page executes.
	bad := filepath.Join(root, "themes", "default", "layouts")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "404.html"), []byte(`{{define "main"}}{{index .Site.Nav 99}}{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{Root: root, Out: out, Now: testNow, NoGit: true}
	s, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(context.Background(), s, out, opts); err == nil || !strings.Contains(err.Error(), "404.html") {
		t.Fatalf("Write error = %v, want a failure naming 404.html", err)
	}
	if got := readOut(t, out, "index.html"); got != before {
		t.Error("a failed build changed the previous output")
	}
	if readOut(t, out, "CNAME") != "kb.example.com\n" {
		t.Error("a failed build touched a user file")
	}
	ents, _ := os.ReadDir(parent)
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("left behind: %v", names)
	}
}

// TestWriteKeepsUserFiles: files hindsight did not write survive rebuilds,
// a user file wins over a generated page of the same path, and files
// hindsight wrote before but no longer generates are removed.
func TestWriteKeepsUserFiles(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	out := filepath.Join(t.TempDir(), "public")
	about, err := os.ReadFile(filepath.Join(root, "content/about.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(root, "content/about.md")); err != nil {
		t.Fatal(err)
	}
	build(t, root, Options{Out: out})
	if err := os.WriteFile(filepath.Join(root, "content/about.md"), about, 0o644); err != nil {
		t.Fatal(err)
	}
	// about/index.html is the user's now: the next build generates that
	// path, but the user's file wins.
	if err := os.MkdirAll(filepath.Join(out, "empty-of-mine"), 0o755); err != nil {
		t.Fatal(err)
	}
	for p, c := range map[string]string{"CNAME": "x\n", "extra/notes.txt": "y\n", "about/index.html": "my own about\n", "causes/README.txt": "z\n"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(out, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Remove a postmortem: its page must go, user files stay.
	if err := os.Remove(filepath.Join(root, "content/postmortems/2025/phish-drill.md")); err != nil {
		t.Fatal(err)
	}
	opts := Options{Root: root, Out: out, Now: testNow, NoGit: true}
	s, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Write(context.Background(), s, out, opts)
	if err != nil {
		t.Fatal(err)
	}
	if readOut(t, out, "CNAME") != "x\n" || readOut(t, out, "extra/notes.txt") != "y\n" || readOut(t, out, "about/index.html") != "my own about\n" || readOut(t, out, "causes/README.txt") != "z\n" {
		t.Error("user files not kept")
	}
	if fi, err := os.Stat(filepath.Join(out, "empty-of-mine")); err != nil || !fi.IsDir() {
		t.Errorf("the user's empty folder was not kept: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "postmortems/2025-phish-drill")); err == nil {
		t.Error("the folder of a removed postmortem's page is still there")
	}
	if len(st.Shadowed) != 1 || st.Shadowed[0] != "about/index.html" {
		t.Errorf("Shadowed = %v, want [about/index.html]", st.Shadowed)
	}
	if _, err := os.Stat(filepath.Join(out, "postmortems/2025-phish-drill/index.html")); err == nil {
		t.Error("the page of a removed postmortem is still there")
	}
	m := readOut(t, out, ManifestName)
	if strings.Contains(m, "CNAME") || !strings.Contains(m, "\nindex.html\n") {
		t.Errorf("manifest lists user files or misses pages:\n%.300s", m)
	}
}

func TestWriteRefuses(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	opts := Options{Root: root, Now: testNow, NoGit: true}
	s, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "important.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ out, want string }{
		{root, "is the knowledge base or contains it"},
		{filepath.Dir(root), "is the knowledge base or contains it"},
		{filepath.Join(root, "content", "site"), "inside content/"},
		{other, "not empty and was not created by hindsight"},
	} {
		_, err := Write(context.Background(), s, c.out, opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Write(%s) = %v, want %q", c.out, err, c.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(other, "important.txt")); string(b) != "keep" {
		t.Error("refused folder was touched")
	}
	// With Force the folder is used and its file kept.
	if _, err := Write(context.Background(), s, other, Options{Force: true}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "important.txt")); string(b) != "keep" {
		t.Error("--force lost a user file")
	}
}

// TestGitHistory: "last updated" comes from one git log over the KB.
func TestGitHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	root := writeTxtar(t, fixtureKB)
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", root, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE=2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2026-01-02T03:04:05Z")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, b)
		}
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "kb")
	opts := Options{Root: root, Now: testNow}
	s, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := s.Render("postmortems/2024-cert-expiry/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `Last updated <time datetime="2026-01-02T03:04:05Z">2026-01-02</time>`) {
		t.Error("no last-updated date from git")
	}
}
