package cli_test

import (
	"os/exec"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestReviewScripts runs the scripts of hindsight review in
// testdata/review/ (testscript format, with the status command of
// TestScripts).
func TestReviewScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/review",
		UpdateScripts: *update,
		Setup: func(e *testscript.Env) error {
			e.Setenv("HINDSIGHT_NOW", "2026-11-27")
			e.Setenv("NO_COLOR", "1")
			for _, kv := range [][2]string{{"GIT_AUTHOR_NAME", "T"}, {"GIT_AUTHOR_EMAIL", "t@example.com"},
				{"GIT_COMMITTER_NAME", "T"}, {"GIT_COMMITTER_EMAIL", "t@example.com"}, {"GIT_CONFIG_GLOBAL", "/dev/null"}} {
				e.Setenv(kv[0], kv[1])
			}
			// REALGIT: for the scripts that put a logging git first on PATH.
			if git, err := exec.LookPath("git"); err == nil {
				e.Setenv("REALGIT", git)
			}
			return nil
		},
		Cmds: scriptCmds(),
	})
}
