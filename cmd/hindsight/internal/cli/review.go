package cli

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/buildinfo"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/review"
	"github.com/spf13/cobra"
)

// reviewFormats are the output formats of review.
var reviewFormats = []string{"text", "markdown", "json"}

func newReviewCmd(e *env) *cobra.Command {
	var format, since string
	var strict, noCache bool
	cmd := &cobra.Command{
		Use:   "review [--since REF] [PATH...]",
		Short: "Review changed postmortems against the knowledge base (for pull requests)",
		Long: `review tells the reviewer of a pull request what the knowledge base
already knows about each postmortem it adds or changes:

  - its check problems (as hindsight check prints them);
  - the earlier incident it recurs (same root cause and system), and whether
    a corrective action of that incident was done before this one started;
  - its five most similar incidents (by content, root causes and systems) with
    why, and which of them related: does not list yet, as a line to paste;
  - causes and systems the vocabulary does not know or no other postmortem
    uses, with the closest existing slug;
  - how many incidents of the last 12 months share its causes and systems,
    and the open and overdue corrective actions on its systems.

--since REF selects the postmortems changed since a git ref, exactly as
check --since does (committed on the branch, staged, unstaged, untracked);
PATHs (files or folders) select files by name. Give one or both.

--format markdown writes one pull request comment body (it starts with
the marker <!-- hindsight-review --> so a CI job can update its comment,
links to the published site when base_url is set, and stays under GitHub's
65,536-character limit); text is for a terminal (coloured unless NO_COLOR
is set or TERM=dumb); json has every field.

The words of every published postmortem are counted for similar incidents;
the counts are kept in .hindsight/review.cache (by each file's content), so
the next review parses and analyses only the files that changed. Keep that
file between CI runs (actions/cache) to make reviews fast; --no-cache
neither reads nor writes it.

Exit status: 0 no errors (warnings allowed), 1 a changed file has errors,
2 could not run.`,
		Example: `  hindsight review --since origin/main
  hindsight review content/postmortems/2025/2025-03-14-edge-cert.md
  hindsight review --since origin/main --format markdown > review.md`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReview(e, args, format, since, strict, noCache)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(reviewFormats, ", "))
	cmd.Flags().StringVar(&since, "since", "", "review the postmortems changed since this git ref (e.g. origin/main)")
	cmd.Flags().BoolVar(&strict, "strict", false, "report overdue actions as errors")
	cmd.Flags().BoolVar(&noCache, "no-cache", false, "neither read nor write the word-count cache (.hindsight/review.cache)")
	return cmd
}

func runReview(e *env, args []string, format, since string, strict, noCache bool) error {
	if !slices.Contains(reviewFormats, format) {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("unknown format %q%s; use one of %s", format, diag.DidYouMean(format, reviewFormats), strings.Join(reviewFormats, ", "))}
	}
	if since == "" && len(args) == 0 {
		return &ExitError{Code: ExitFailure, Err: errors.New("nothing to review: pass --since REF (e.g. origin/main) for the postmortems a branch changes, or the PATHs of postmortems")}
	}
	root, err := e.absRoot()
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
	only, renamed, err := selectionSince(e, root, args, since)
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if only == nil && len(args) > 0 {
		only = func(string) bool { return true } // the KB root itself was named
	}
	ro := review.Options{Only: only, Renamed: renamed, Since: since, Now: e.now(), Strict: strict}
	if !noCache {
		ro.CacheRoot, ro.CacheKey = root, cacheKey(e.build)
	}
	st, err := review.NewStream(ro)
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	k, err := kb.Load(root, cfg, st.KBOptions(kb.Options{}))
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	r := st.Finish(k)
	o := review.PrintOptions{PathPrefix: pathPrefix(root)}
	switch format {
	case "markdown":
		err = review.PrintMarkdown(e.stdout, r, o)
	case "json":
		err = review.PrintJSON(e.stdout, r)
	default:
		o.Color = e.colorOn(e.stdout)
		err = review.PrintText(e.stdout, r, o)
	}
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if err := st.WriteCache(); err != nil {
		fmt.Fprintf(e.stderr, "warning: %s not updated: %v\n", review.CacheFile, err)
	}
	if r.Summary.Errors > 0 {
		return &ExitError{Code: ExitProblems}
	}
	return nil
}

// cacheKey names the build for review's word-count cache: counts cached
// by another version are not used. A build from a modified checkout
// shares its commit with others, and one without a commit (go build
// -buildvcs=false) names none, so their executable's size and time are
// added.
func cacheKey(b buildinfo.Build) string {
	k := b.Version + " " + b.Commit
	if b.Modified || b.Commit == "" {
		k += " modified"
		if exe, err := os.Executable(); err == nil {
			if fi, err := os.Stat(exe); err == nil {
				k += fmt.Sprintf(" %d %d", fi.Size(), fi.ModTime().UnixNano())
			}
		}
	}
	return k
}
