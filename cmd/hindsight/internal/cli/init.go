package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli/skeleton"
	"github.com/spf13/cobra"
)

func newInitCmd(e *env) *cobra.Command {
	var force bool
	var title string
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a knowledge base: config, folders, writing guide, CI workflows",
		Long: `init writes a new knowledge base into DIR (default: --root, the current
folder), creating the folder if needed:

  hindsight.yaml                          every key, explained, set to its default
  content/about.md                        the site's about page
  content/writing-guide.md                how to write a postmortem, with an example
  content/postmortems/                    where postmortems go (hindsight new)
  .gitignore                              public/ and .hindsight/
  .github/workflows/postmortems.yml       check each pull request (annotations, SARIF)
  .github/workflows/follow-up.yml         Mondays: fail while P0/P1 actions are overdue
  .github/workflows/pages.yml             publish the public site to GitHub Pages
  .github/workflows/hindsight-review.yml  a review comment on each pull request
  .github/pull_request_template.md        a checklist linking the writing guide
  .pre-commit-config.yaml                 check changed postmortems before a commit

No example postmortem is added: it would show up in the trends and the
published site. The writing guide holds a complete one to copy.

In a git repository whose origin is on GitHub, repo_url and base_url (the
GitHub Pages address) are filled in. The workflows use the hindsight GitHub
Action at this binary's release tag (main for a development build).

init never overwrites a file. When any file already exists, it lists them,
writes nothing and exits with status 2; --force then adds only the missing
files and keeps the others as they are.`,
		Example: `  mkdir postmortems && cd postmortems && git init && hindsight init
  hindsight init ../security-postmortems --title "Security Postmortems"
  hindsight init --force   # add the files deleted since`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := e.root
			if len(args) == 1 {
				dir = args[0]
			}
			return runInit(e, dir, title, force)
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "add the missing files to an existing knowledge base, keeping every existing file")
	cmd.Flags().StringVar(&title, "title", "Postmortems", "the site's title (hindsight.yaml title)")
	return cmd
}

func runInit(e *env, dir, title string, force bool) error {
	fail := func(err error) error { return &ExitError{Code: ExitFailure, Err: err} }
	if strings.TrimSpace(title) == "" {
		return fail(errors.New("--title is empty; give the site a name"))
	}
	st, err := os.Stat(dir)
	switch {
	case err == nil && !st.IsDir():
		return fail(fmt.Errorf("%s is a file, not a folder; give init a folder (new or existing) for the knowledge base", dir))
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fail(fmt.Errorf("creating %s: %v", dir, unwrapPathErr(err)))
		}
	case err != nil:
		return fail(fmt.Errorf("%s: %v", dir, unwrapPathErr(err)))
	}
	data := skeleton.Data{Title: title}
	if e.build.Release() {
		data.Ref, data.Version = e.build.Version, e.build.Version
	}
	data.RepoURL, data.BaseURL = githubRemote(e.ctx, dir)
	files, err := skeleton.Render(data)
	if err != nil {
		return fail(err)
	}
	// Every write goes through an os.Root on DIR: nothing lands outside
	// it, whatever links the folder holds.
	r, err := os.OpenRoot(dir)
	if err != nil {
		return fail(fmt.Errorf("opening %s: %v", dir, unwrapPathErr(err)))
	}
	defer r.Close()
	prefix := dir + string(filepath.Separator)
	if filepath.Clean(dir) == "." {
		prefix = ""
	}
	shown := func(rel string) string { return filepath.ToSlash(prefix + filepath.FromSlash(rel)) }
	var missing, existing []skeleton.File
	for _, f := range files {
		if path.Base(f.Path) == ".gitkeep" {
			// It only keeps an empty folder in git: an existing folder
			// needs none.
			if _, err := r.Lstat(path.Dir(f.Path)); err == nil {
				continue
			}
		}
		if _, err := r.Lstat(f.Path); err == nil {
			existing = append(existing, f)
		} else if errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, f)
		} else {
			return fail(fmt.Errorf("%s: %v", shown(f.Path), unwrapPathErr(err)))
		}
	}
	if len(existing) > 0 && !force {
		for _, f := range existing {
			fmt.Fprintf(e.stderr, "exists: %s\n", shown(f.Path))
		}
		if len(missing) == 0 {
			return fail(fmt.Errorf("%s is already a knowledge base: every file init writes exists and was kept", dir))
		}
		return fail(fmt.Errorf("%s of the skeleton already exist in %s and were kept; nothing was written. Run hindsight init --force to add only the missing %s", plural(len(existing), "file"), dir, plural(len(missing), "file")))
	}
	for _, f := range existing {
		fmt.Fprintf(e.stdout, "kept     %s\n", shown(f.Path))
	}
	for _, f := range missing {
		if err := writeNew(r, f); err != nil {
			return fail(fmt.Errorf("writing %s: %v", shown(f.Path), unwrapPathErr(err)))
		}
		fmt.Fprintf(e.stdout, "created  %s\n", shown(f.Path))
	}
	if len(missing) == 0 {
		fmt.Fprintln(e.stdout, "nothing to add: every file of the skeleton is there")
		return nil
	}
	if len(existing) == 0 {
		printNextSteps(e, dir, prefix != "", inGitRepo(e.ctx, dir))
	}
	if top, ok := git(e.ctx, dir, "rev-parse", "--show-toplevel"); ok && !sameDir(top, dir) {
		fmt.Fprintf(e.stderr, "note: %s is not the top of its git repository (%s): GitHub reads workflows only from the top's .github/; move .github/ there and add --root %s to the hindsight commands in them\n", dir, top, dir)
	}
	return nil
}

// sameDir reports whether a and b are the same folder.
func sameDir(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// writeNew creates f under r; an existing file is never replaced.
func writeNew(r *os.Root, f skeleton.File) error {
	if d := path.Dir(f.Path); d != "." {
		if err := r.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	w, err := r.OpenFile(f.Path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := w.Write(f.Data); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

func printNextSteps(e *env, dir string, cd, git bool) {
	var b strings.Builder
	b.WriteString("\nNext:\n")
	if cd {
		if strings.ContainsAny(dir, " \t'\"$") {
			dir = strconv.Quote(dir)
		}
		fmt.Fprintf(&b, "  cd %s\n", dir)
	}
	if !git {
		b.WriteString("  git init                           # the workflows and review need a git repository\n")
	}
	b.WriteString(`  hindsight new "What broke"         # your first postmortem, every section to fill in
  hindsight serve --watch --drafts   # preview it while you write
  hindsight check                    # what is left to fix
  git add -A && git commit -m "Postmortem knowledge base" && git push
On GitHub, turn on Pages (Settings > Pages > Source: GitHub Actions) to publish the site.
`)
	fmt.Fprint(e.stdout, b.String())
}

// git runs git in dir with a short deadline and returns its output; ok is
// false when git is missing or fails.
func git(ctx context.Context, dir string, args ...string) (out string, ok bool) {
	if _, err := exec.LookPath("git"); err != nil {
		return "", false
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var b bytes.Buffer
	cmd.Stdout = &b
	if cmd.Run() != nil {
		return "", false
	}
	return strings.TrimSpace(b.String()), true
}

// inGitRepo reports whether dir is inside a git work tree.
func inGitRepo(ctx context.Context, dir string) bool {
	out, ok := git(ctx, dir, "rev-parse", "--is-inside-work-tree")
	return ok && out == "true"
}

// githubNameRE is what an owner or repository name on GitHub may be.
var githubNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)

// githubRemote returns the web address of dir's git origin and its GitHub
// Pages address, when origin is a GitHub repository; empty strings
// otherwise (no git, no origin, another host).
func githubRemote(ctx context.Context, dir string) (repoURL, baseURL string) {
	remote, ok := git(ctx, dir, "remote", "get-url", "origin")
	if !ok {
		return "", ""
	}
	return pagesURLs(remote)
}

// pagesURLs turns a GitHub remote (https://github.com/o/r.git,
// git@github.com:o/r.git, ssh://git@github.com/o/r) into the repository's
// web address and its GitHub Pages address.
func pagesURLs(remote string) (repoURL, baseURL string) {
	var rest string
	for _, p := range []string{"https://github.com/", "http://github.com/", "git@github.com:", "ssh://git@github.com/"} {
		if strings.HasPrefix(remote, p) {
			rest = remote[len(p):]
			break
		}
	}
	owner, repo, ok := strings.Cut(strings.TrimSuffix(strings.TrimSuffix(rest, "/"), ".git"), "/")
	if !ok || !githubNameRE.MatchString(owner) || !githubNameRE.MatchString(repo) || repo == "." || repo == ".." {
		return "", ""
	}
	repoURL = "https://github.com/" + owner + "/" + repo
	lower := strings.ToLower(owner)
	if strings.ToLower(repo) == lower+".github.io" {
		return repoURL, "https://" + lower + ".github.io/"
	}
	return repoURL, "https://" + lower + ".github.io/" + repo + "/"
}
