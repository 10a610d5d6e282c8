package cli

import (
	"fmt"
	"io"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli/skeleton"
	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/helptext"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/spf13/cobra"
)

// helpTopics are the `hindsight help <topic>` pages: commands without a
// Run, which cobra lists under "Additional help topics".
var helpTopics = []func(*env) *cobra.Command{newQueryHelp, newFrontMatterHelp, newConfigHelp}

// topic makes a help topic whose text is written by text when asked for,
// so it can reflect the knowledge base's configuration.
func topic(use string, aliases []string, short string, text func(w io.Writer)) *cobra.Command {
	c := &cobra.Command{Use: use, Aliases: aliases, Short: short}
	c.SetHelpFunc(func(c *cobra.Command, _ []string) { text(c.OutOrStdout()) })
	return c
}

func newQueryHelp(e *env) *cobra.Command {
	return topic("query", []string{"search-query"}, "The search query language: words, phrases, field filters, dates",
		func(w io.Writer) { io.WriteString(w, helptext.Query) })
}

func newFrontMatterHelp(e *env) *cobra.Command {
	return topic("frontmatter", []string{"front-matter", "keys"}, "The front matter keys of a postmortem, their types and values",
		func(w io.Writer) { helptext.WriteFrontMatter(w, completionConfig(e)) })
}

func newConfigHelp(e *env) *cobra.Command {
	return topic("config", []string{"hindsight.yaml", "configuration"}, "Every key of hindsight.yaml, explained, with its default",
		func(w io.Writer) {
			files, err := skeleton.Render(skeleton.Data{})
			for _, f := range files {
				if f.Path == config.FileName {
					w.Write(f.Data)
					return
				}
			}
			fmt.Fprintln(w, "hindsight: the configuration reference is missing:", err)
		})
}
