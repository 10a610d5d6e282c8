package complete

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
	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/spf13/cobra"
)

// KB is where completion reads the knowledge base. Neither function
// prints anything: a completion never shows errors.
type KB struct {
	// Root returns the KB's root folder as an absolute path.
	Root func() (string, error)
	// Config returns the KB's config, or the defaults when it cannot be
	// read.
	Config func() *config.Config
}

// Register adds shell completion of flag values and arguments to the
// command tree: fixed[command][flag] lists the values of the flags that
// take one of a fixed list; the configured priorities, severities and
// categories, folders, and for search, filter names and values and
// postmortem ids after id:, are read from k.
func Register(root *cobra.Command, fixed map[string]map[string][]string, k KB) {
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
				return graphic(k.Config().Priorities), cobra.ShellCompDirectiveNoFileComp
			})
		case "build":
			_ = c.RegisterFlagCompletionFunc("out", dirs)
		case "init":
			c.ValidArgsFunction = dirs
		case "new":
			c.ValidArgsFunction = cobra.NoFileCompletions // a title
			cfgVals := func(pick func(*config.Config) []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
					return graphic(pick(k.Config())), cobra.ShellCompDirectiveNoFileComp
				}
			}
			_ = c.RegisterFlagCompletionFunc("severity", cfgVals(func(c *config.Config) []string { return c.Severities }))
			_ = c.RegisterFlagCompletionFunc("category", cfgVals(func(c *config.Config) []string { return c.Categories }))
		case "search":
			c.ValidArgsFunction = func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				return completeQuery(k, toComplete)
			}
		}
	}
}

// completeQuery completes one word of a search query: a filter name
// ("sev" → "severity:"), or a filter's value ("severity:S" → the
// configured severities, "id:2025" → postmortem ids). After a comma it
// completes the next value of the list.
func completeQuery(k KB, word string) ([]string, cobra.ShellCompDirective) {
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
		root, err := k.Root()
		if err == nil {
			vals = listIDs(root, k.Config().MaxFileSize)
		}
	case "severity":
		vals = k.Config().Severities
	case "category":
		vals = k.Config().Categories
	case "status":
		vals = check.Statuses()
	case "cause", "causes":
		vals = slugs(k.Config().Causes)
	case "system", "systems":
		vals = slugs(k.Config().Systems)
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
