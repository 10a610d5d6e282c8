package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/site"
	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/check/report"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/spf13/cobra"
)

func newBuildCmd(e *env) *cobra.Command {
	var opts site.Options
	var timings bool
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Check the knowledge base and write the static site",
		Long: `build runs every check first and stops with exit status 1 when any error is
found, so broken content is never published. It then writes the site:
postmortem pages, cause/system/data/technique pages, trends, corrective
actions, search, the Atom feed, sitemap.xml and api/postmortems.json.

Every link is relative, so the output works under any sub-path and opened
from disk. The output is written atomically: a failed build leaves the
previous output untouched. Files in the output folder that hindsight did
not write are kept.

--audience public publishes only postmortems with visibility: public and
status: published, without the fields and sections hindsight.yaml marks
internal (default: impact.cost_usd, action owners, authors, "Internal
Notes").

--timings prints how long each stage of the pipeline took, in order, to
see where a slow build spends its time: load (read, parse, check each
file), publish (what the audience sees), check (the cross-file rules),
link+trend, history (git dates, read beside load), pages (routes),
release bodies, index (similar incidents and the static search index,
built while pages render) and render+write. The last two run side by
side and wait for each other: no page renders before similar incidents
exist, and in a large KB the search index's second half waits for the
other pages; the line says how much of each stage's time was that wait.

Exit status: 0 built, 1 check errors (nothing written), 2 could not run.`,
		Example: `  hindsight build
  hindsight build --out /tmp/site --audience public
  hindsight build --drafts --out preview
  hindsight build --timings`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBuild(e, opts, timings)
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "output folder (default <root>/public)")
	cmd.Flags().StringVar(&opts.Audience, "audience", site.Internal, "internal or public")
	cmd.Flags().BoolVar(&opts.Drafts, "drafts", false, "include draft postmortems (internal audience only)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "build into an existing non-empty folder hindsight did not create (its files are kept)")
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "treat overdue actions as errors, as check --strict")
	cmd.Flags().BoolVar(&timings, "timings", false, "print how long each stage took (to stderr)")
	return cmd
}

func runBuild(e *env, opts site.Options, timings bool) error {
	start := time.Now()
	root, err := e.absRoot()
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if err := requireKB(e, root); err != nil {
		return err
	}
	if opts.Audience != site.Internal && opts.Audience != site.Public {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--audience %q is not known; use internal or public", opts.Audience)}
	}
	if opts.Drafts && opts.Audience == site.Public {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--drafts cannot be used with --audience public: drafts are never published")}
	}
	opts.Root = root
	opts.Now = e.now()
	opts.Lean = true
	// A soft memory limit, unless GOMEMLIMIT says otherwise (as check and
	// serve have): a 10k KB peaks near 0.55 GB and never reaches it; a
	// 100k KB holds ~2 GB once loaded, which the collector's default 100 %
	// growth would let reach ~5 GB. Past the limit the collector works
	// harder instead (at 100k: a 2.93 GB peak instead of ~5 GB, for ~20 %
	// more CPU; docs/performance.md). GOGC is left at its default: at 10k
	// the write's 75 % cost ~0.15 s for ~90 MB less.
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(buildMemoryLimit))
	}
	if opts.Out == "" {
		opts.Out = filepath.Join(root, "public")
	}
	s, err := site.Load(e.ctx, opts)
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	errs, warns := diag.Count(s.Diagnostics)
	if len(s.Diagnostics) > 0 {
		pr := report.TextPrinter{Opts: report.PrintOptions{Color: e.colorOn(e.stderr), PathPrefix: pathPrefix(root)}}
		ds := s.Diagnostics
		if errs > 0 {
			_ = pr.Print(e.stderr, report.Report{Diagnostics: ds, Files: check.Files(s.KB, nil)})
		} else {
			// Warnings do not stop a build; list them without the summary
			// line (the build prints its own).
			for _, d := range ds {
				d.File = pathPrefix(root) + d.File
				fmt.Fprintln(e.stderr, report.Printable(d.String()))
			}
		}
	}
	if errs > 0 {
		return &ExitError{Code: ExitProblems, Err: fmt.Errorf("build stopped: %s; fix them (see `hindsight check`) and build again; nothing was written", plural(errs, "error"))}
	}
	st, err := site.Write(e.ctx, s, opts.Out, opts)
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	// The Site is not used past this point (keep it so), so the search
	// index's update can reuse its memory (a stale index of a 100k KB,
	// updated while the Site was still in use, took the build from 2.9 to
	// 3.3 GB).
	stages := stageTimings(s, st)
	cfg := s.Config
	synced := keepSearchIndexCurrent(e, root, cfg)
	for _, p := range st.Shadowed {
		fmt.Fprintf(e.stderr, "warning: %s was not written: a file there was not created by hindsight; move it away to get the generated page\n", filepath.Join(opts.Out, p))
	}
	out := opts.Out
	if rel, err := filepath.Rel(mustWd(), out); err == nil && len(rel) < len(out) {
		out = rel
	}
	audience := ""
	if opts.Audience == site.Public {
		audience = " (public audience)"
	}
	for _, n := range st.Notes { // e.g. no sitemap without base_url
		fmt.Fprintf(e.stdout, "note: %s\n", n)
	}
	fmt.Fprintf(e.stdout, "built %s%s: %s, %s, %s to %s in %s\n", plural(st.Pages, "page"), audience,
		plural(st.Postmortems, "postmortem"), plural(warns, "warning"), kb.HumanSize(st.Bytes), out, time.Since(start).Round(time.Millisecond))
	if timings {
		if synced > 0 {
			stages += ", search index update " + synced.Round(time.Millisecond).String()
		}
		fmt.Fprintln(e.stderr, stages+", total "+time.Since(start).Round(time.Millisecond).String())
	}
	return nil
}

// stageTimings is the --timings line: the wall time of each stage of a
// build but its total (and the search index's update). The index stage
// overlaps render+write (and in a large KB waits for its pages).
func stageTimings(s *site.Site, st site.Stats) string {
	ms := func(d time.Duration) string { return d.Round(time.Millisecond).String() }
	var parts []string
	for _, t := range s.Stages {
		if t.Name != "total" { // Load's; the build's total comes last
			parts = append(parts, t.Name+" "+ms(t.Took))
		}
	}
	index := "index " + ms(s.IndexTime()) + " (beside rendering)"
	if w := s.IndexWaited(); w > 0 {
		// A large KB's export waits for the other pages: its own
		// work is the rest.
		index = "index " + ms(s.IndexTime()) + " (beside rendering, " + ms(w) + " of it waiting for the pages)"
	}
	write := "render+write " + ms(st.Elapsed)
	if w := s.RenderWaited(); w >= time.Millisecond {
		// Until similar incidents exist no page renders, and a large
		// KB's search files come after its export's second half.
		write += " (" + ms(w) + " of it waiting for the index)"
	}
	parts = append(parts, index, write)
	return "timings: " + strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func mustWd() string {
	wd, _ := os.Getwd()
	return wd
}

// keepSearchIndexCurrent brings the KB's search index (.hindsight/search/)
// up to date after a build, when there is one: only new, changed and
// removed postmortems are touched, so this costs little. A KB that has
// never been searched gets its index on the first `hindsight search`,
// which keeps a cold build from paying for an index nobody asked for. When
// serve or another process holds the index, the build leaves it alone.
//
// It returns how long the update took, 0 when there was no index.
func keepSearchIndexCurrent(e *env, root string, cfg *config.Config) time.Duration {
	dir := search.DefaultDir(root)
	if _, err := os.Stat(dir); err != nil {
		return 0
	}
	start := time.Now()
	o := searchOptions(cfg, false)
	o.LockTimeout = 200 * time.Millisecond
	ix, err := search.Open(dir, o)
	if err != nil {
		if !errors.Is(err, search.ErrLocked) {
			fmt.Fprintf(e.stderr, "warning: search index not updated: %v\n", err)
		}
		return 0
	}
	defer ix.Close()
	if _, err := ix.SyncKB(e.ctx, root, cfg, search.DocOptionsFor(cfg, false, true)); err != nil {
		fmt.Fprintf(e.stderr, "warning: search index not updated: %v\n", err)
	}
	return time.Since(start)
}

// buildMemoryLimit is the soft memory limit of `hindsight build` (see
// runBuild): issue 18's 3 GB for a 100,000-postmortem KB, with room for
// what the runtime holds beside the heap.
const buildMemoryLimit = 2600 << 20
