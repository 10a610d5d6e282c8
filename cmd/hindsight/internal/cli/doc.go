// Package cli is hindsight's command line: one file per command, each
// doing no more than reading flags, calling the site or search packages and
// printing. Errors are formatted here and nowhere else, and mapped to exit
// codes: 0 clean, 1 problems found, 2 could not run.
package cli
