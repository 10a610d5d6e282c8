package cli

import (
	"bufio"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/search/query"
	"github.com/hindsight-kb/hindsight/site"
	"github.com/hindsight-kb/hindsight/site/check/report"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/spf13/cobra"
)

// fixedValues are the values of flags that take one of a fixed list, by
// command name and flag name. `hindsight completion` offers them, and the
// tests of the workflows check the values written there against them.
func fixedValues() map[string]map[string][]string {
	return map[string]map[string][]string{
		"check":   {"format": report.Formats},
		"build":   {"audience": {site.Internal, site.Public}},
		"search":  {"format": {"text", "json"}},
		"actions": {"format": {"text", "json"}, "group": {"status", "owner", "priority"}, "status": {"open", "in-progress", "done", "wont-do"}},
		"review":  {"format": {"text", "markdown", "json"}},
	}
}

// registerCompletions adds shell completion of flag values and arguments
// to the command tree: fixed lists, the configured priorities, folders,
// and for search, filter names and values and postmortem ids after id:.
func registerCompletions(e *env, root *cobra.Command) {
	fixed := fixedValues()
	dirs := func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	}
	_ = root.RegisterFlagCompletionFunc("root", dirs)
	for _, c := range root.Commands() {
		for flag, vals := range fixed[c.Name()] {
			_ = c.RegisterFlagCompletionFunc(flag, func(_ *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
				return vals, cobra.ShellCompDirectiveNoFileComp
			})
		}
		switch c.Name() {
		case "actions":
			_ = c.RegisterFlagCompletionFunc("priority", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return graphic(completionConfig(e).Priorities), cobra.ShellCompDirectiveNoFileComp
			})
		case "build":
			_ = c.RegisterFlagCompletionFunc("out", dirs)
		case "init":
			c.ValidArgsFunction = dirs
		case "new":
			c.ValidArgsFunction = cobra.NoFileCompletions // a title
			cfgVals := func(pick func(*config.Config) []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
					return graphic(pick(completionConfig(e))), cobra.ShellCompDirectiveNoFileComp
				}
			}
			_ = c.RegisterFlagCompletionFunc("severity", cfgVals(func(c *config.Config) []string { return c.Severities }))
			_ = c.RegisterFlagCompletionFunc("category", cfgVals(func(c *config.Config) []string { return c.Categories }))
		case "search":
			c.ValidArgsFunction = func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				return completeQuery(e, toComplete)
			}
		}
	}
}

// completionConfig is the KB's config for completion: the defaults when it
// cannot be read (a completion never prints errors).
func completionConfig(e *env) *config.Config {
	root, err := e.absRoot()
	if err != nil {
		return config.Default()
	}
	cfg, ds, err := config.Load(root)
	if err != nil || cfg == nil {
		return config.Default()
	}
	if n, _ := diag.Count(ds); n > 0 {
		return config.Default()
	}
	return cfg
}

// completeQuery completes one word of a search query: a filter name
// ("sev" → "severity:"), or a filter's value ("severity:S" → the
// configured severities, "id:2025" → postmortem ids). After a comma it
// completes the next value of the list.
func completeQuery(e *env, word string) ([]string, cobra.ShellCompDirective) {
	const noSpace = cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	field, value, ok := strings.Cut(word, ":")
	if !ok {
		var out []string
		for _, f := range query.FieldNames() {
			if strings.HasPrefix(f, strings.ToLower(word)) {
				out = append(out, f+":")
			}
		}
		return out, noSpace
	}
	var vals []string
	switch strings.ToLower(field) {
	case "id":
		root, err := e.absRoot()
		if err == nil {
			vals = listIDs(root, completionConfig(e).MaxFileSize)
		}
	case "severity":
		vals = completionConfig(e).Severities
	case "category":
		vals = completionConfig(e).Categories
	case "status":
		vals = []string{"draft", "in-review", "published"}
	case "cause", "causes":
		vals = slugs(completionConfig(e).Causes)
	case "system", "systems":
		vals = slugs(completionConfig(e).Systems)
	default:
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	done := ""
	if i := strings.LastIndexByte(value, ','); i >= 0 {
		done, value = value[:i+1], value[i+1:]
	}
	given := map[string]bool{} // values already in the list are not offered again
	for _, v := range strings.Split(strings.TrimSuffix(done, ","), ",") {
		given[strings.ToLower(v)] = true
	}
	var out []string
	for _, v := range graphic(vals) {
		if !given[strings.ToLower(v)] && strings.HasPrefix(strings.ToLower(v), strings.ToLower(value)) {
			out = append(out, field+":"+done+v)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// graphic returns the values made only of graphic characters: values from
// hindsight.yaml (untrusted) with a newline, an escape sequence or a
// bidirectional control are not offered to the shell.
func graphic(vals []string) []string {
	var out []string
	for _, v := range vals {
		if v != "" && utf8.ValidString(v) && strings.IndexFunc(v, func(r rune) bool { return !unicode.IsGraphic(r) }) < 0 {
			out = append(out, v)
		}
	}
	return out
}

func slugs(ts []config.Term) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, t.Slug)
	}
	return out
}

// headBytes is how much of each file listIDs reads: front matter puts id
// near the top.
const headBytes = 4096

// listIDs returns the postmortem ids of the KB at root, sorted, without
// building anything: for each Markdown file of content/postmortems/ (read
// through kb.Dir, so only regular files inside the KB), the id: of its
// front matter's first few KiB, or its file name. Files too large for
// the KB are skipped.
func listIDs(root string, maxSize int64) []string {
	d, err := kb.OpenDir(root)
	if err != nil {
		return nil
	}
	defer d.Close()
	fsys := d.FS()
	seen := map[string]bool{}
	_ = fs.WalkDir(fsys, kb.PostmortemsDir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if de.IsDir() {
			if p != kb.PostmortemsDir && kb.SkipName(de.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if !kb.IsPostmortemPath(p) {
			return nil
		}
		st, err := d.Stat(p)
		if err != nil || !st.Mode().IsRegular() || st.Size() > maxSize {
			return nil
		}
		id := ""
		if f, err := fsys.Open(p); err == nil {
			id = frontMatterID(io.LimitReader(f, headBytes))
			f.Close()
		}
		if id == "" {
			id = strings.TrimSuffix(path.Base(p), path.Ext(p))
		}
		if postmortem.IsID(id) { // the parser's rule: no spaces, quotes or controls reach the shell
			seen[id] = true
		}
		return nil
	})
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

var (
	yamlIDRE = regexp.MustCompile(`^id:\s*(?:"([^"]*)"|'([^']*)'|([^\s#]+))\s*(?:#.*)?$`)
	tomlIDRE = regexp.MustCompile(`^id\s*=\s*(?:"([^"]*)"|'([^']*)')\s*(?:#.*)?$`)
	jsonIDRE = regexp.MustCompile(`^\s*"id"\s*:\s*"([^"\\]*)"`)
)

// frontMatterID finds a top-level id in the front matter at the start of
// r (YAML, TOML or JSON); "" when there is none.
func frontMatterID(r io.Reader) string {
	sc := bufio.NewScanner(r)
	if !sc.Scan() {
		return ""
	}
	var re *regexp.Regexp
	end := ""
	switch strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff")) {
	case "---":
		re, end = yamlIDRE, "---"
	case "+++":
		re, end = tomlIDRE, "+++"
	case "{":
		re, end = jsonIDRE, "}"
	default:
		return ""
	}
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if line == end {
			return ""
		}
		if m := re.FindStringSubmatch(line); m != nil {
			for _, g := range m[1:] {
				if g != "" {
					return g
				}
			}
			return ""
		}
	}
	return ""
}
