package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// PLACEHOLDER: replaced by the build command's implementation.
func newBuildCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "build",
		Short: "(build is being built)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return &ExitError{Code: ExitFailure, Err: errors.New("build is not built yet")}
		},
	}
}
