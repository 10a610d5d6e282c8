package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli/running"
	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/search/query"
	"github.com/hindsight-kb/hindsight/site/check/report"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
)

// searchFormats are the values of search's --format.
var searchFormats = []string{"text", "json"}

func newSearchCmd(e *env) *cobra.Command {
	var (
		format string
		facets bool
		limit  int
	)
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search postmortems by words, phrases and fields",
		Long: `Search the postmortems of the knowledge base.

A query is words (all must match, stemmed: "certificates expiring" finds
"certificate expired"), "quoted phrases" (words in this order), and field
filters, all combined with AND:

  cause:SLUG  system:SLUG  data:SLUG  technique:T1566
  severity:SEV1  category:outage  status:draft
  after:2024-03  before:2024-06-30   (YYYY, YYYY-MM or YYYY-MM-DD)

Filter values are case-insensitive; a,b matches either value; id:ID
finds one postmortem.

Words of a synonym group (search.synonyms in hindsight.yaml, a default
set otherwise) match the other words of the group: ssl finds TLS. When a
query finds fewer than 3 postmortems, its words that no postmortem holds
are matched with one typo (4-7 letters) or two (longer), and the output
says "did you mean: …".

The search index lives in .hindsight/search/ and is brought up to date
before every search: only files whose size or modification time changed
are read again. Drafts are included (filter them with status:).

--format json prints {"total","hits":[{"id","title","severity","started",
"url","score","snippet"}],"facets":{...}}: url is relative to the site's
root, or absolute when hindsight.yaml sets base_url; snippet is HTML whose
only tags are <mark> around the matches, everything else escaped.

` + "`hindsight help query`" + ` summarises the query language.`,
		Example: `  hindsight search certificates expiring
  hindsight search '"rate limit" system:login-api after:2024'
  hindsight search --facets --format json cause:expired-certificate`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(searchFormats, format) {
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--format %q: use text or json", format)}
			}
			if limit < 1 {
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--limit %d: use a number of results of at least 1", limit)}
			}
			text := strings.Join(args, " ")
			q, err := query.Parse(text)
			if err != nil {
				var pe *query.ParseError
				if errors.As(err, &pe) && len(text) > query.MaxBytes {
					// Too long to be shown with a caret under it.
					return &ExitError{Code: ExitFailure, Err: fmt.Errorf("query: %s", pe.Error())}
				}
				if errors.As(err, &pe) {
					return &ExitError{Code: ExitFailure, Err: fmt.Errorf("query: %s\n  %s\n  %s^", pe.Error(), text, strings.Repeat(" ", pe.Col-1))}
				}
				return &ExitError{Code: ExitFailure, Err: err}
			}
			if q.Empty() {
				return &ExitError{Code: ExitFailure, Err: errors.New("empty query; try words, \"a phrase\" or a filter such as cause:expired-certificate")}
			}
			root, err := e.absRoot()
			if err != nil {
				return &ExitError{Code: ExitFailure, Err: err}
			}
			cfg, ds, err := config.Load(root)
			if err != nil {
				return &ExitError{Code: ExitFailure, Err: err}
			}
			if n, _ := diag.Count(ds); n > 0 {
				for _, d := range ds {
					fmt.Fprintln(e.stderr, report.Printable(d.String()))
				}
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%s has errors; run hindsight check", config.FileName)}
			}
			res, err := runQuery(e, root, cfg, q, text, search.SearchOptions{Limit: limit, Facets: facets})
			if err != nil {
				return &ExitError{Code: ExitFailure, Err: err}
			}
			absoluteURLs(res, cfg.BaseURL)
			if format == "json" {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			printResults(e.stdout, text, res, facets, newPalette(e.colorOn(e.stdout)))
			for _, h := range res.Hints {
				fmt.Fprintln(e.stderr, "hint:", report.Printable(h))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().BoolVar(&facets, "facets", false, "count results per severity, category, cause and system")
	cmd.Flags().IntVar(&limit, "limit", 10, "number of results to show")
	return cmd
}

// runQuery answers q from the KB's index. While `hindsight serve` holds
// that index, the running server answers instead (through /api/search, at
// the address serve records in .hindsight/serve.json), so a search during
// a live preview is as fast as ever and sees what the preview shows.
func runQuery(e *env, root string, cfg *config.Config, q *query.Query, text string, o search.SearchOptions) (*search.Result, error) {
	if res, url, ok := running.Search(e.ctx, root, text, o); ok {
		fmt.Fprintf(e.stderr, "note: answered by the running hindsight serve at %s\n", url)
		return res, nil
	}
	// List the files while the index opens: both take tens of
	// milliseconds on a large KB.
	files := search.ListKB(root)
	ix, err := search.Open(search.DefaultDir(root), searchOptions(cfg, true))
	ix, err = openIndex(e, files, cfg, ix, err)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	return ix.SearchQuery(e.ctx, q, o)
}

// openIndex brings the KB's on-disk index (ix, as search.Open returned it
// with err) up to date with the KB's files. When
// the index is held by another hindsight process (serve, build) or cannot
// be written, it searches a temporary in-memory index built from the KB
// instead, and says so.
func openIndex(e *env, files *search.Listing, cfg *config.Config, ix *search.Index, err error) (*search.Index, error) {
	opts := search.DocOptionsFor(cfg, false, true)
	if err == nil {
		if _, err = ix.SyncListing(e.ctx, files, cfg, opts); err == nil {
			return ix, nil
		}
		ix.Close()
	}
	if errors.Is(err, search.ErrLocked) {
		fmt.Fprintln(e.stderr, "note: the search index is in use by another hindsight process; searching a temporary index")
	} else {
		fmt.Fprintf(e.stderr, "note: cannot use the search index (%v); searching a temporary index\n", err)
	}
	ix, err = search.Open("", searchOptions(cfg, false))
	if err != nil {
		return nil, err
	}
	if _, err := ix.SyncListing(e.ctx, files, cfg, opts); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// searchOptions are the CLI's index options. A first index (or one after
// many changes) parses and indexes the KB's files a part at a time,
// in batches of at most cliBatchDocs documents, instead of holding every
// document and two large batches' analysis at once: at 100,000
// postmortems a cold `hindsight search` took 9.8 GB and 61 s in one part,
// 1.6 GB and 56 s in parts (at 10,000 both take ~6 s and ~1 GB). The
// index is the same (search.TestSyncKBInParts). A build's update of the
// index (keepSearchIndexCurrent) uses the same cap.
func searchOptions(cfg *config.Config, readMostly bool) search.Options {
	return search.Options{Location: cfg.Location, ReadMostly: readMostly, Synonyms: cfg.Search.Synonyms, MaxBatchDocs: cliBatchDocs}
}

// cliBatchDocs is the CLI's search.Options.MaxBatchDocs (see searchOptions).
const cliBatchDocs = 5000

// absoluteURLs makes the hits' site-relative URLs absolute when the
// config has a base_url (as actions does), so a script can link to the
// published page; without one they stay relative to the site's root.
func absoluteURLs(res *search.Result, baseURL string) {
	if baseURL == "" {
		return
	}
	for i := range res.Hits {
		if u := res.Hits[i].URL; u != "" && !strings.Contains(u, "://") {
			res.Hits[i].URL = baseURL + strings.TrimPrefix(u, "/")
		}
	}
}

var markRE = regexp.MustCompile(`</?mark>`)

// printResults writes the text output: one block per hit, the snippet's
// matches in bold yellow when colour is on.
func printResults(w io.Writer, query string, res *search.Result, facets bool, p palette) {
	noun := "results"
	if res.Total == 1 {
		noun = "result"
	}
	fmt.Fprintf(w, "%d %s for %s", res.Total, noun, report.Printable(query))
	if len(res.Hits) < res.Total {
		fmt.Fprintf(w, " (showing %d; use --limit for more)", len(res.Hits))
	}
	fmt.Fprintln(w)
	if res.DidYouMean != "" {
		fmt.Fprintf(w, "did you mean: %s\n", report.Printable(res.DidYouMean))
	}
	for i, h := range res.Hits {
		fmt.Fprintf(w, "\n%2d. %s\n", i+1, p.wrap(p.bold, report.Printable(h.Title)))
		date := ""
		if !h.Started.IsZero() {
			date = h.Started.Format("2006-01-02")
		}
		fmt.Fprintf(w, "    %s\n", p.wrap(p.dim, report.Printable(strings.Join(nonEmpty(h.ID, h.Severity, date, h.URL), " · "))))
		if h.Snippet != "" {
			fmt.Fprintf(w, "    %s\n", snippetText(h.Snippet, p))
		}
	}
	if facets && len(res.Facets) > 0 {
		fmt.Fprintln(w)
		for _, name := range []string{"severity", "category", "cause", "system"} {
			var parts []string
			for _, f := range res.Facets[name] {
				parts = append(parts, fmt.Sprintf("%s (%d)", report.Printable(f.Term), f.Count))
			}
			if len(parts) > 0 {
				fmt.Fprintf(w, "%-9s %s\n", name+":", strings.Join(parts, ", "))
			}
		}
	}
}

// snippetText turns an HTML snippet (escaped text and <mark> elements)
// into terminal text: each piece of text unescaped, then its
// terminal-unsafe characters escaped (the text is the postmortem's), the
// matches highlighted when colour is on.
func snippetText(s string, p palette) string {
	var b strings.Builder
	in := false
	for _, piece := range markRE.Split(s, -1) {
		text := report.Printable(html.UnescapeString(piece))
		if in {
			text = p.wrap(p.mark, text)
		}
		b.WriteString(text)
		in = !in
	}
	return b.String()
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
