package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// selectionSince is check's and review's selection: the postmortems the
// PATHs name (nil: all), and with --since only those changed since the
// git ref too; and, with --since, the files git saw renamed (new path →
// old path), which review prints.
func selectionSince(e *env, root string, args []string, since string) (func(string) bool, map[string]string, error) {
	only, err := selection(e, root, args)
	if err != nil || since == "" {
		return only, nil, err
	}
	ch, err := changedSince(e, root, since)
	if err != nil {
		return nil, nil, err
	}
	return func(p string) bool { return ch.changed[p] && (only == nil || only(p)) }, ch.renamed, nil
}

// gitChanges is what git says changed since a ref, paths relative to the
// KB root.
type gitChanges struct {
	// changed holds every path added, changed or deleted (a renamed
	// file under its new path).
	changed map[string]bool
	// renamed maps the new path of each file git sees renamed to its old
	// path. A rename git does not detect (a file changed too much) is a
	// deletion and an added file, as in git.
	renamed map[string]string
}

// changedSince lists the files changed since ref, relative to the KB root:
// committed on this branch since it left ref, staged, unstaged, and
// untracked (not ignored); the renames come from the same two diffs.
func changedSince(e *env, root, ref string) (gitChanges, error) {
	git := func(args ...string) (string, error) {
		cmd := exec.CommandContext(e.ctx, "git", args...)
		cmd.Dir = root
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			msg := strings.TrimSpace(errb.String())
			if msg == "" {
				msg = err.Error()
			}
			return "", errors.New(msg)
		}
		return out.String(), nil
	}
	ch := gitChanges{changed: map[string]bool{}, renamed: map[string]string{}}
	if _, err := exec.LookPath("git"); err != nil {
		return ch, errors.New("--since needs git, which is not installed or not on PATH")
	}
	if _, err := git("rev-parse", "--is-inside-work-tree"); err != nil {
		return ch, fmt.Errorf("--since needs a git repository, and %s is not in one (%v)", e.root, err)
	}
	if _, err := git("rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return ch, fmt.Errorf("--since %s: no such git commit, branch or tag; fetch it first (git fetch origin) or name an existing ref", ref)
	}
	for _, args := range [][]string{
		{"diff", "--name-status", "-M", "--relative", "-z", ref + "..."},
		{"diff", "--name-status", "-M", "--relative", "-z", "HEAD"},
		{"ls-files", "--others", "--exclude-standard", "-z"},
	} {
		out, err := git(args...)
		if err != nil {
			if args[0] == "diff" && args[len(args)-1] == "HEAD" {
				continue // no commit yet
			}
			return ch, fmt.Errorf("--since %s: git %s: %v", ref, strings.Join(args, " "), err)
		}
		if args[0] == "diff" {
			ch.addNameStatus(out)
			continue
		}
		for _, f := range strings.Split(out, "\x00") {
			if f != "" {
				ch.changed[filepath.ToSlash(f)] = true
			}
		}
	}
	return ch, nil
}

// addNameStatus adds the output of git diff --name-status -z: a status
// and a path ("M\x00path\x00"), or for a rename or copy a status, the
// old path and the new one ("R100\x00old\x00new\x00"). A renamed or
// copied file is changed under its new path only (as git diff
// --name-only lists it).
func (ch gitChanges) addNameStatus(out string) {
	f := strings.Split(out, "\x00")
	for i := 0; i < len(f); {
		st := f[i]
		switch {
		case st == "":
			i++
		case st[0] == 'R' || st[0] == 'C':
			if i+2 < len(f) {
				to := filepath.ToSlash(f[i+2])
				ch.changed[to] = true
				if st[0] == 'R' {
					ch.renamed[to] = filepath.ToSlash(f[i+1])
				}
			}
			i += 3
		default:
			if i+1 < len(f) && f[i+1] != "" {
				ch.changed[filepath.ToSlash(f[i+1])] = true
			}
			i += 2
		}
	}
}
