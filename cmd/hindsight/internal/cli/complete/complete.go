package complete

import (
	"path/filepath"
	"sort"
	"strings"
	"sync"
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
			vals = listIDs(root, k.Config())
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

// listIDs returns the postmortem ids of the KB at root, sorted, as a
// build would give them, without building anything: each postmortem file
// Load would read is read the same way (kb.Dir.ReadPostmortems: a regular
// file inside the KB, opened without blocking, at most the KB's file
// size) and its front matter read by the parser (ParseFrontMatter: the
// id key, or the file name), no body. An id that is not safe
// (postmortem.IsID) is not offered, so no space, quote or control
// character reaches the shell.
func listIDs(root string, cfg *config.Config) []string {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil
	}
	d, err := kb.OpenDir(abs)
	if err != nil {
		return nil
	}
	defer d.Close()
	ps := postmortem.NewParser(kb.ParserOptions(cfg))
	var mu sync.Mutex
	var ids []string
	d.ReadPostmortems(cfg.MaxFileSize, func(rel string, src []byte) {
		id := strings.Clone(ps.ParseFrontMatter(rel, src).ID) // not a piece of src, freed at once
		mu.Lock()
		ids = append(ids, id)
		mu.Unlock()
	})
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if postmortem.IsID(id) && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}
