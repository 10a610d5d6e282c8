package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// PLACEHOLDER: replaced by the new command's implementation.
func newNewCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "new",
		Short: "(new is being built)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return &ExitError{Code: ExitFailure, Err: errors.New("new is not built yet")}
		},
	}
}
