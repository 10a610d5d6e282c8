package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// PLACEHOLDER: replaced by the check command's implementation.
func newCheckCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "(check is being built)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return &ExitError{Code: ExitFailure, Err: errors.New("check is not built yet")}
		},
	}
}
