package cli

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
)

// renamedSince maps each file git sees renamed since ref (on the branch,
// staged or unstaged) to its old path, both relative to the KB root, so
// that review can say "renamed from". It runs after changedSince, which
// has checked git and ref. A rename git does not detect (a file changed
// too much) is a deletion and an added file, as in git.
func renamedSince(e *env, root, ref string) (map[string]string, error) {
	renamed := map[string]string{}
	for _, args := range [][]string{
		{"diff", "--name-status", "-M", "--relative", "-z", ref + "..."},
		{"diff", "--name-status", "-M", "--relative", "-z", "HEAD"},
	} {
		cmd := exec.CommandContext(e.ctx, "git", args...)
		cmd.Dir = root
		var out bytes.Buffer
		cmd.Stdout = &out
		if err := cmd.Run(); err != nil {
			continue // no commit yet, or nothing git can compare: no renames
		}
		// -z: "R100\x00old\x00new\x00" for a rename, "M\x00path\x00" else.
		f := strings.Split(out.String(), "\x00")
		for i := 0; i < len(f); {
			st := f[i]
			switch {
			case st == "":
				i++
			case (st[0] == 'R' || st[0] == 'C') && i+2 < len(f):
				if st[0] == 'R' {
					renamed[filepath.ToSlash(f[i+2])] = filepath.ToSlash(f[i+1])
				}
				i += 3
			default:
				i += 2
			}
		}
	}
	return renamed, nil
}
