package cli

import (
	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli/complete"
	"github.com/hindsight-kb/hindsight/site"
	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/check/report"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/spf13/cobra"
)

// registerCompletions adds shell completion to the command tree (see
// complete.Register), reading the KB of e.
func registerCompletions(e *env, root *cobra.Command) {
	complete.Register(root, fixedValues(), complete.KB{Root: e.absRoot, Config: func() *config.Config { return completionConfig(e) }})
}

// fixedValues are the values of flags that take one of a fixed list, by
// command name and flag name. `hindsight completion` offers them, and the
// tests of the workflows check the values written there against them.
func fixedValues() map[string]map[string][]string {
	return map[string]map[string][]string{
		"check":   {"format": report.Formats},
		"build":   {"audience": {site.Internal, site.Public}},
		"search":  {"format": searchFormats},
		"actions": {"format": actionsFormats, "group": actionsGroups, "status": check.ActionStatuses()},
		"review":  {"format": reviewFormats},
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
