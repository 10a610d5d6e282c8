package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// PLACEHOLDER: replaced by the search command's implementation.
func newSearchCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "search",
		Short: "(search is being built)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return &ExitError{Code: ExitFailure, Err: errors.New("search is not built yet")}
		},
	}
}
