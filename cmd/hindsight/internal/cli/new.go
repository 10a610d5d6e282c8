package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli/archetype"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/spf13/cobra"
)

func newNewCmd(e *env) *cobra.Command {
	var severity, category, date string
	var drill bool
	cmd := &cobra.Command{
		Use:   `new "Title"`,
		Short: "Scaffold a postmortem with every section",
		Long: `new writes content/postmortems/<year>/<date>-<slug>.md: front matter filled in
(status draft, started and detected now, one example action) and every
required and recommended section with a "TBD: …" placeholder that says what
to write. ` + "`hindsight check`" + ` reports what is still to do.

The template can be replaced by themes/<theme>/archetypes/postmortem.md in
the knowledge base (Go text/template; see the README for its data).
An existing file is never overwritten.`,
		Example: `  hindsight new "Edge certificate expired" --severity SEV2 --category outage
  hindsight new "Ransomware tabletop" --drill --date 2025-06-12`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
				return &ExitError{Code: ExitFailure, Err: errors.New(`new takes one argument, the title in quotes: hindsight new "What broke"`)}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNew(e, strings.TrimSpace(args[0]), severity, category, date, drill)
		},
	}
	cmd.Flags().StringVar(&severity, "severity", "", "severity (default: the least severe configured)")
	cmd.Flags().StringVar(&category, "category", "", `category (default: "other", or the last configured)`)
	cmd.Flags().StringVar(&date, "date", "", "date the incident started, YYYY-MM-DD (default: today)")
	cmd.Flags().BoolVar(&drill, "drill", false, "mark it as a drill or simulation")
	return cmd
}

// pick returns the configured value that v names (case-insensitively), or
// an error with suggestions.
func pick(flag, v string, list []string) (string, error) {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return x, nil
		}
	}
	return "", fmt.Errorf("--%s %q is not one of %s%s", flag, v, strings.Join(list, ", "), diag.DidYouMean(v, list))
}

func runNew(e *env, title, severity, category, date string, drill bool) error {
	root, err := e.absRoot()
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("knowledge base folder %s does not exist; create it or pass --root", e.root)}
	}
	cfg, err := loadConfig(e, root)
	if err != nil {
		return err
	}
	fail := func(err error) error { return &ExitError{Code: ExitFailure, Err: err} }
	if severity == "" {
		severity = cfg.Severities[len(cfg.Severities)-1]
	} else if severity, err = pick("severity", severity, cfg.Severities); err != nil {
		return fail(err)
	}
	if category == "" {
		category = cfg.Categories[len(cfg.Categories)-1]
		for _, c := range cfg.Categories {
			if c == "other" {
				category = c
			}
		}
	} else if category, err = pick("category", category, cfg.Categories); err != nil {
		return fail(err)
	}
	loc := cfg.Location
	now := e.now().In(loc).Truncate(time.Minute)
	started := now
	if date != "" {
		d, err := time.ParseInLocation("2006-01-02", date, loc)
		if err != nil {
			return fail(fmt.Errorf("--date %q is not a date; write YYYY-MM-DD", date))
		}
		if !sameDay(d, now) {
			started = d
		}
	}
	slug := config.Slugify(title)
	if slug == "" {
		return fail(fmt.Errorf("title %q has no letters or digits to make a file name from", title))
	}
	if len(slug) > 60 {
		slug = slug[:60]
		if i := strings.LastIndexByte(slug, '-'); i > 20 {
			slug = slug[:i]
		}
		slug = strings.Trim(slug, "-")
	}
	day := started.Format("2006-01-02")
	id := day + "-" + slug
	rel := fmt.Sprintf("%s/%s/%s.md", kb.PostmortemsDir, started.Format("2006"), id)
	priority := cfg.Priorities[min(1, len(cfg.Priorities)-1)]
	data := archetype.Data{
		Title: title, Slug: slug, ID: id, Severity: severity, Category: category, Priority: priority,
		Drill: drill, Date: day, Started: started.Format("2006-01-02 15:04"), Detected: started.Format("2006-01-02 15:04"),
		Due: started.AddDate(0, 0, 30).Format("2006-01-02"), Timezone: cfg.Timezone,
		Severities: cfg.Severities, Categories: cfg.Categories, Priorities: cfg.Priorities,
	}
	for _, s := range cfg.RequiredSections {
		data.Required = append(data.Required, archetype.NewSection(s.Name))
	}
	for _, s := range cfg.RecommendedSections {
		data.Recommended = append(data.Recommended, archetype.NewSection(s.Name))
	}
	text, tmplName := archetype.Default, "postmortem archetype"
	override := path.Join("themes", cfg.Theme, "archetypes", "postmortem.md")
	dir, err := kb.OpenDir(root)
	if err != nil {
		return fail(err)
	}
	b, err := dir.ReadFile(override, cfg.MaxFileSize)
	dir.Close()
	if err == nil {
		text, tmplName = string(b), override
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fail(fmt.Errorf("reading %s: %v", override, unwrapPathErr(err)))
	}
	out, err := archetype.Render(tmplName, text, data)
	if err != nil {
		return fail(err)
	}
	// A scaffold whose front matter does not parse would only move the
	// problem to the writer: refuse it (a broken theme override).
	p := postmortem.NewParser(kb.ParserOptions(cfg)).Parse(rel, out)
	for _, d := range p.Problems {
		if d.Rule == "frontmatter-syntax" || d.Rule == "invalid-value" {
			return fail(fmt.Errorf("%s makes a postmortem that does not parse: %s", tmplName, d.Message))
		}
	}
	abs := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return fail(fmt.Errorf("creating the folder for %s: %v", rel, unwrapPathErr(err)))
	}
	shown := pathPrefix(root) + rel
	f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fail(fmt.Errorf("%s already exists and is left as it is; edit it, or give another title or --date", shown))
	}
	if err != nil {
		return fail(fmt.Errorf("creating %s: %v", shown, unwrapPathErr(err)))
	}
	if _, err := f.Write(out); err != nil {
		f.Close()
		return fail(fmt.Errorf("writing %s: %v", shown, err))
	}
	if err := f.Close(); err != nil {
		return fail(fmt.Errorf("writing %s: %v", shown, err))
	}
	fmt.Fprintln(e.stdout, shown)
	return nil
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
