// Package cli is hindsight's command line: one file per command, each
// doing no more than reading flags, calling the site or search packages and
// printing. Errors are formatted here and nowhere else, and mapped to exit
// codes: 0 clean, 1 problems found, 2 could not run.
//
// What is not the command line lives in sub-packages, which print
// nothing and format no errors for the user: complete (shell
// completion), archetype (the scaffold of hindsight new), running (the
// record of a running serve, which search asks), skeleton (the files of
// hindsight init), and beside cli, buildinfo (version) and helptext
// (long help texts).
package cli
