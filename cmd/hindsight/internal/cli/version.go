package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print hindsight's version, commit and build date",
		Long: `version prints the release tag (or module version), the commit and the date
hindsight was built from, and the platform: from the release's build flags,
or from what the Go toolchain records for ` + "`go install`" + ` and source builds.
` + "`hindsight --version`" + ` prints the same.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(e.stdout, e.build.String())
			return nil
		},
	}
}
