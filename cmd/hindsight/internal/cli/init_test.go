package cli

import (
	"path"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli/skeleton"
)

func TestPagesURLs(t *testing.T) {
	for _, tc := range []struct{ remote, repo, base string }{
		{"https://github.com/acme/postmortems.git", "https://github.com/acme/postmortems", "https://acme.github.io/postmortems/"},
		{"https://github.com/acme/postmortems", "https://github.com/acme/postmortems", "https://acme.github.io/postmortems/"},
		{"git@github.com:Acme/Post.Mortems.git", "https://github.com/Acme/Post.Mortems", "https://acme.github.io/Post.Mortems/"},
		{"ssh://git@github.com/acme/pm/", "https://github.com/acme/pm", "https://acme.github.io/pm/"},
		{"https://github.com/acme/acme.github.io.git", "https://github.com/acme/acme.github.io", "https://acme.github.io/"},
		{"https://gitlab.com/acme/postmortems.git", "", ""},
		{"https://github.com/acme", "", ""},
		{"https://github.com/acme/pm/extra", "", ""},
		{"https://github.com/acme/..", "", ""},
		{"https://github.com/a c/pm", "", ""},
		{"", "", ""},
	} {
		repo, base := pagesURLs(tc.remote)
		if repo != tc.repo || base != tc.base {
			t.Errorf("%q: got %q %q, want %q %q", tc.remote, repo, base, tc.repo, tc.base)
		}
	}
}

// TestInitHelpListsEveryFile: init --help lists every file the skeleton
// writes (a .gitkeep by its folder).
func TestInitHelpListsEveryFile(t *testing.T) {
	files, err := skeleton.Render(skeleton.Data{})
	if err != nil {
		t.Fatal(err)
	}
	long := newInitCmd(testEnv()).Long
	for _, f := range files {
		p := f.Path
		if path.Base(p) == ".gitkeep" {
			p = path.Dir(p) + "/"
		}
		if !strings.Contains(long, "\n  "+p+" ") {
			t.Errorf("init --help does not list %s", p)
		}
	}
}

// FuzzPagesURLs: whatever the remote, the addresses are empty or a
// github.com repository and its github.io site, with nothing a YAML line or
// a URL path could be broken by.
func FuzzPagesURLs(f *testing.F) {
	for _, s := range []string{"https://github.com/a/b.git", "git@github.com:a/b", "ssh://git@github.com/a/a.github.io/", "https://github.com/a/b/c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, remote string) {
		repo, base := pagesURLs(remote)
		if (repo == "") != (base == "") {
			t.Fatalf("%q: %q %q", remote, repo, base)
		}
		if repo == "" {
			return
		}
		if !strings.HasPrefix(repo, "https://github.com/") || !strings.HasPrefix(base, "https://") || !strings.Contains(base, ".github.io/") {
			t.Fatalf("%q: %q %q", remote, repo, base)
		}
		if strings.ContainsAny(strings.TrimPrefix(repo, "https://")+strings.TrimPrefix(base, "https://"), " \t\r\n#:\"'?%") {
			t.Fatalf("%q: unsafe characters in %q %q", remote, repo, base)
		}
	})
}
