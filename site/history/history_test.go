package history

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/kbtest"
)

func TestParse(t *testing.T) {
	out := "\x1e1700000000\n\ncontent/postmortems/a.md\ncontent/about.md\n\x1e1600000000\n\ncontent/postmortems/a.md\ncontent/postmortems/b.md\n"
	h := parse([]byte(out), "kb/")
	if got := h["content/postmortems/a.md"]; !got.Updated.Equal(time.Unix(1700000000, 0)) || got.RepoPath != "kb/content/postmortems/a.md" {
		t.Errorf("a = %+v", got)
	}
	if got := h["content/postmortems/b.md"]; !got.Updated.Equal(time.Unix(1600000000, 0)) {
		t.Errorf("b = %+v", got)
	}
	if len(h) != 3 {
		t.Errorf("len = %d", len(h))
	}
}

// TestRead: in a repository, Read finds the last change of each file
// under content/ with its path from the repository's top level; outside
// one, nil.
func TestRead(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := t.TempDir()
	root := filepath.Join(repo, "kb")
	git := func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date,
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
			"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(rel, text string) { kbtest.WriteFile(t, root, rel, text) }
	if h := Read(context.Background(), root); h != nil {
		t.Fatalf("outside a repository: %v, want nil", h)
	}
	git("2024-01-01T00:00:00Z", "init", "-q")
	write("content/postmortems/a.md", "a")
	write("content/about.md", "about")
	write("hindsight.yaml", "title: T")
	git("2024-01-01T00:00:00Z", "add", ".")
	git("2024-01-01T00:00:00Z", "commit", "-q", "-m", "one")
	write("content/postmortems/a.md", "a, edited")
	git("2024-02-01T00:00:00Z", "commit", "-q", "-am", "two")
	h := Read(context.Background(), root)
	jan, feb := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	if got := h["content/postmortems/a.md"]; !got.Updated.Equal(feb) || got.RepoPath != "kb/content/postmortems/a.md" {
		t.Errorf("a = %+v", got)
	}
	if got := h["content/about.md"]; !got.Updated.Equal(jan) || got.RepoPath != "kb/content/about.md" {
		t.Errorf("about = %+v", got)
	}
	if len(h) != 2 {
		t.Errorf("%d files, want 2 (only content/): %v", len(h), h)
	}
}
