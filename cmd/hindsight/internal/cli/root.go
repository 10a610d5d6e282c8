package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/buildinfo"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitProblems = 1
	ExitFailure  = 2
)

// ExitError carries an exit code out of a command. A nil Err means the
// command has already printed what the user needs.
type ExitError struct {
	Code int
	Err  error
}

// Error returns the wrapped error's text.
func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

// Unwrap returns the wrapped error.
func (e *ExitError) Unwrap() error { return e.Err }

// env is what every command gets from the edge: streams, the KB root and a
// clock. Nothing in the CLI reads globals.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// root is the --root flag as given.
	root string
	// now is the clock; HINDSIGHT_NOW (RFC 3339 or YYYY-MM-DD) fixes it,
	// for tests and for reproducible reports.
	now func() time.Time
	// ctx is cancelled on Ctrl-C.
	ctx context.Context
	// build is the binary's version, commit and date.
	build buildinfo.Build
	// getenv reads the environment (NO_COLOR, TERM); isTTY tells whether
	// a stream is a terminal. Both are fields so tests can fake them.
	getenv func(string) string
	isTTY  func(io.Writer) bool
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// absRoot returns the KB root as an absolute path.
func (e *env) absRoot() (string, error) {
	return filepath.Abs(e.root)
}

func clock() (func() time.Time, error) {
	s := os.Getenv("HINDSIGHT_NOW")
	if s == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t, err = time.Parse("2006-01-02", s)
	}
	if err != nil {
		return nil, fmt.Errorf("HINDSIGHT_NOW=%q is not a date (YYYY-MM-DD) or RFC 3339 time", s)
	}
	return func() time.Time { return t }, nil
}

// Main runs the CLI with args and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return MainWith(buildinfo.Build{}, args, stdin, stdout, stderr)
}

// MainWith is Main for a binary whose build flags set its version, commit
// and date (see buildinfo.Build); what b leaves empty comes from the Go toolchain's
// build information.
func MainWith(b buildinfo.Build, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	now, err := clock()
	if err != nil {
		fmt.Fprintln(stderr, "hindsight:", err)
		return ExitFailure
	}
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, now: now, ctx: ctx,
		build: buildinfo.Read(b), getenv: os.Getenv, isTTY: isTerminal}
	cmd := newRootCmd(e)
	cmd.SetArgs(args)
	cmd.SetIn(stdin)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err = cmd.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var xe *ExitError
	if errors.As(err, &xe) {
		if xe.Err != nil {
			fmt.Fprintln(stderr, "hindsight:", xe.Err)
		}
		return xe.Code
	}
	fmt.Fprintln(stderr, "hindsight:", err)
	return ExitFailure
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "hindsight",
		Short: "Check, cross-link, search and publish incident postmortems",
		Long: `hindsight turns a git repository of Markdown postmortems into a checked,
cross-linked, searchable static site with trend pages.

Run it at the root of a knowledge base (a folder with content/postmortems/),
or point --root at one.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&e.root, "root", ".", "the knowledge base folder")
	root.Version = e.build.String()
	root.SetVersionTemplate("{{.Version}}\n")
	for _, mk := range helpTopics {
		root.AddCommand(mk(e))
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	for _, mk := range commands {
		root.AddCommand(mk(e))
	}
	registerCompletions(e, root)
	return root
}

// commands lists every subcommand's constructor; each lives in its own
// file.
var commands = []func(*env) *cobra.Command{
	newInitCmd,
	newVersionCmd,
	newCheckCmd,
	newNewCmd,
	newBuildCmd,
	newServeCmd,
	newSearchCmd,
	newActionsCmd,
	newReviewCmd,
}

// requireKB fails with exit status 2 and a hint when root is not a
// knowledge base (no content/ folder), or does not exist.
func requireKB(e *env, root string) error {
	if st, err := os.Stat(filepath.Join(root, kb.ContentDir)); err == nil && st.IsDir() {
		return nil
	}
	if _, err := os.Stat(root); err != nil {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("knowledge base folder %s: %w", e.root, unwrapPathErr(err))}
	}
	return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%s has no %s/ folder; run hindsight at the root of a knowledge base, pass --root DIR, or create one with `hindsight new \"Title\"`", e.root, kb.ContentDir)}
}
