// Command hindsight checks, cross-links, indexes and publishes a knowledge
// base of incident postmortems. All of its logic lives in internal/cli and
// the site and search packages; main only runs the CLI.
package main

import (
	"os"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
