package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// PLACEHOLDER: replaced by the actions command's implementation.
func newActionsCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "actions",
		Short: "(actions is being built)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return &ExitError{Code: ExitFailure, Err: errors.New("actions is not built yet")}
		},
	}
}
