package history

import (
	"bufio"
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// History maps KB-relative slash paths to what git knows about them.
type History map[string]File

// File is one file's git history.
type File struct {
	// Updated is the author date of the last commit that changed it.
	Updated time.Time
	// RepoPath is the file's path relative to the repository's top level
	// (for "edit this page" links).
	RepoPath string
}

// Read runs ONE git log over root's content/ folder (after a git
// rev-parse for root's place in its repository) and returns the last
// change of every file. No git, or no repository: nil, silently. ctx
// ends the git commands.
func Read(ctx context.Context, root string) History {
	prefix, err := exec.CommandContext(ctx, "git", "-C", root, "rev-parse", "--show-prefix").Output()
	if err != nil {
		return nil
	}
	cmd := exec.CommandContext(ctx, "git", "-C", root, "log", "--format=%x1e%at", "--name-only", "--relative", "--no-renames", "--", "content")
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	return parse(out, strings.TrimSpace(string(prefix)))
}

// parse reads `git log --format=%x1e%at --name-only` output: each
// record is RS, a Unix time, then file names, newest commit first.
func parse(out []byte, prefix string) History {
	h := History{}
	var when time.Time
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "\x1e") {
			sec, err := strconv.ParseInt(strings.TrimSpace(line[1:]), 10, 64)
			if err == nil {
				when = time.Unix(sec, 0).UTC()
			}
			continue
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if _, ok := h[line]; !ok {
			h[line] = File{Updated: when, RepoPath: prefix + line}
		}
	}
	return h
}
