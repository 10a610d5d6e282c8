package cli_test

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/*.txtar")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"hindsight": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scripts in testdata/script/ (testscript format).
// Besides the built-in commands, scripts have:
//
//	status N prog args...   run prog and require exit status N
//	                         (stdout and stderr are kept for the next lines)
//	cmdlines FILE...         every hindsight command line in these workflows
//	                         or Markdown files exists, flags and values too
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(e *testscript.Env) error {
			e.Setenv("HINDSIGHT_NOW", "2026-11-27")
			e.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: scriptCmds(),
	})
}

// scriptCmds are the commands the CLI scripts have besides testscript's own.
func scriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// cmdlines FILE...: every hindsight command line in these
		// workflows or Markdown files names a real command and flags.
		"cmdlines": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) == 0 {
				ts.Fatalf("usage: cmdlines FILE...")
			}
			for _, name := range args {
				n, errs := cli.CheckCommandFile(name, []byte(ts.ReadFile(name)))
				for _, err := range errs {
					ts.Logf("%v", err)
				}
				if len(errs) > 0 {
					ts.Fatalf("%s: %d wrong command line(s)", name, len(errs))
				}
				if n == 0 {
					ts.Fatalf("%s: no hindsight command line", name)
				}
			}
		},
		"status": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) < 2 {
				ts.Fatalf("usage: status N prog args...")
			}
			want, err := strconv.Atoi(args[0])
			if err != nil {
				ts.Fatalf("status: %v", err)
			}
			err = ts.Exec(args[1], args[2:]...)
			got := 0
			var xe *exec.ExitError
			if errors.As(err, &xe) {
				got = xe.ExitCode()
			} else if err != nil {
				ts.Fatalf("status: %v", err)
			}
			if got != want {
				ts.Fatalf("exit status %d, want %d", got, want)
			}
		},
	}
}
