package cli

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runWith runs the CLI with e's streams replaced by buffers that e.isTTY
// calls terminals when tty is set, and getenv reading vars.
func runWith(t *testing.T, tty bool, vars map[string]string, args ...string) (stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, ctx: context.Background(),
		now:    func() time.Time { return time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC) },
		getenv: func(k string) string { return vars[k] },
		isTTY:  func(w io.Writer) bool { return tty && (w == &out || w == &errb) }}
	cmd := newRootCmd(e)
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	_ = cmd.ExecuteContext(e.ctx) // exit statuses are other tests' business
	return out.String(), errb.String()
}

// TestColor: every command that colours does so on a terminal, and not
// when NO_COLOR is set, TERM is dumb or the output is not a terminal.
func TestColor(t *testing.T) {
	dir := t.TempDir()
	writeArchive(t, "testdata/actions-kb.txtar", dir)
	for _, tc := range []struct {
		name   string
		args   []string
		stderr bool // the colour is on stderr
	}{
		{"check", []string{"check"}, false},
		{"build errors", []string{"build", "--out", filepath.Join(dir, "out")}, true},
		{"actions", []string{"actions"}, false},
		{"search", []string{"search", "certificate"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--root", dir}, tc.args...)
			for _, c := range []struct {
				tty  bool
				vars map[string]string
				want bool
			}{
				{true, nil, true},
				{true, map[string]string{"TERM": "xterm-256color"}, true},
				{true, map[string]string{"NO_COLOR": "1"}, false},
				{true, map[string]string{"NO_COLOR": "", "TERM": "dumb"}, false},
				{false, nil, false},
			} {
				out, errs := runWith(t, c.tty, c.vars, args...)
				got := out
				if tc.stderr {
					got = errs
				}
				if strings.Contains(got, "\x1b[") != c.want {
					t.Errorf("tty %v, env %v: escape codes %v, want %v:\n%s", c.tty, c.vars, !c.want, c.want, got)
				}
				if !c.want && strings.Contains(out+errs, "\x1b") {
					t.Errorf("tty %v, env %v: an escape code in the output:\n%s%s", c.tty, c.vars, out, errs)
				}
			}
		})
	}
}
