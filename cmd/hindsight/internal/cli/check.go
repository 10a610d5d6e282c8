package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/check/report"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/spf13/cobra"
)

func newCheckCmd(e *env) *cobra.Command {
	var format, since string
	var strict bool
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check postmortems against the rules and report every problem",
		Long: `check reads every postmortem of the knowledge base and reports every problem
it finds (missing keys and sections, bad values, timeline and date order,
incomplete or overdue actions, unknown causes and systems, broken links,
credential-looking text, blaming language) as file:line:col, severity,
message and rule id.

PATHs (files or folders, relative to the current folder) select which files
are reported; rules that look across files (duplicate ids, related ids,
links) still read the whole knowledge base. --since REF selects the
postmortems changed since a git ref (committed, staged, unstaged and
untracked), for pull requests and pre-commit hooks.

Rules can be switched off or re-levelled under rules: in hindsight.yaml, and
a block can be exempted with <!-- hindsight-ignore RULE ... --> on the line
before it.

Exit status: 0 clean (warnings allowed), 1 errors found, 2 could not run.`,
		Example: `  hindsight check
  hindsight check content/postmortems/2025/2025-03-14-edge-cert.md
  hindsight check --format github --since origin/main
  hindsight check --format sarif > hindsight.sarif`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(e, args, format, since, strict)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(report.Formats, ", "))
	cmd.Flags().BoolVar(&strict, "strict", false, "report overdue actions as errors")
	cmd.Flags().StringVar(&since, "since", "", "check only postmortems changed since this git ref (e.g. origin/main)")
	return cmd
}

func runCheck(e *env, args []string, format, since string, strict bool) error {
	root, err := e.absRoot()
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	color := e.colorOn(e.stdout)
	pr, err := report.NewPrinter(format, report.PrintOptions{Color: color, Version: e.build.Short(), PathPrefix: pathPrefix(root)})
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	cfg, err := loadConfig(e, root)
	if err != nil {
		return err
	}
	if err := requireKB(e, root); err != nil {
		return err
	}
	only, _, err := selectionSince(e, root, args, since)
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	// Check each file as it is parsed and free its text right after, so
	// memory stays flat on large KBs.
	stream := check.NewStream(check.Options{Now: e.now(), Strict: strict, Only: only})
	// Of a selection (files, --since), only the selected bodies are
	// parsed: the rules of one postmortem read the others' front matter
	// alone.
	k, err := kb.Load(root, cfg, stream.KBOptions(kb.Options{Found: limitCheckHeap, Bodies: only}))
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	ds := stream.Finish(k)
	if err := pr.Print(e.stdout, report.Report{Diagnostics: ds, Files: check.Files(k, only), Source: report.Sources(k)}); err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if errs, _ := diag.Count(ds); errs > 0 {
		return &ExitError{Code: ExitProblems}
	}
	return nil
}

// loadConfig reads hindsight.yaml; a broken config is printed as
// diagnostics and is exit status 2.
func loadConfig(e *env, root string) (*config.Config, error) {
	cfg, ds, err := config.Load(root)
	if err != nil {
		return nil, &ExitError{Code: ExitFailure, Err: err}
	}
	if errs, _ := diag.Count(ds); errs > 0 {
		prefix := pathPrefix(root)
		for _, d := range ds {
			d.File = prefix + d.File
			fmt.Fprintln(e.stderr, report.Printable(d.String()))
		}
		return nil, &ExitError{Code: ExitFailure, Err: fmt.Errorf("%s has errors; fix them and run again", config.FileName)}
	}
	return cfg, nil
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// pathPrefix returns the KB root relative to the current folder, with a
// trailing slash ("" when they are the same or the root is elsewhere), so
// printed paths can be opened from where the command was run.
func pathPrefix(root string) string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	rel, err := filepath.Rel(wd, root)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return filepath.ToSlash(rel) + "/"
}

// selection turns PATH arguments (relative to the current folder) into a
// filter over KB-relative slash paths; nil selects everything.
func selection(e *env, root string, args []string) (func(string) bool, error) {
	if len(args) == 0 {
		return nil, nil
	}
	var files, dirs []string
	for _, a := range args {
		abs, err := filepath.Abs(a)
		if err != nil {
			return nil, err
		}
		st, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("%s: %v; pass files or folders of the knowledge base", a, unwrapPathErr(err))
		}
		rel, err := filepath.Rel(root, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			// The root may be reached through a symlink: compare real paths.
			rr, _ := filepath.EvalSymlinks(root)
			ra, _ := filepath.EvalSymlinks(abs)
			rel, err = filepath.Rel(rr, ra)
			if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return nil, fmt.Errorf("%s is outside the knowledge base %s; pass paths inside it or set --root", a, e.root)
			}
		}
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil, nil
		}
		if st.IsDir() {
			dirs = append(dirs, rel+"/")
		} else {
			files = append(files, rel)
		}
	}
	return func(p string) bool {
		for _, f := range files {
			if p == f {
				return true
			}
		}
		for _, d := range dirs {
			if strings.HasPrefix(p, d) || p+"/" == d {
				return true
			}
		}
		return false
	}, nil
}

// checkHeapLimit is the soft memory limit of `hindsight check` on a KB of
// fewer than kb.RereadFrom Markdown files. Check keeps only front matter
// for the whole KB (bodies are freed as soon as their rules ran) and, in
// such a KB, every file's bytes between the load's two passes; without a
// limit the collector lets the heap grow to twice that before collecting
// (~275 MB at 10,000 postmortems, 245 MB with the limit, in the same
// time). From kb.RereadFrom files the load holds front matter only, which
// grows with the KB: a fixed limit would make the collector run without
// pause (at 100,000 postmortems check took 42-60 s under it, 11-17 s
// without), so Go's default, which scales, applies.
const checkHeapLimit = 240 << 20

// limitCheckHeap sets check's soft memory limit for a KB of markdown
// files (see checkHeapLimit), unless the user set GOMEMLIMIT.
func limitCheckHeap(markdown int) {
	if markdown < kb.RereadFrom && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(checkHeapLimit)
	}
}
