//go:build !unix

package cli_test

import "github.com/rogpeppe/go-internal/testscript"

// cmdMkfifo fails: the scripts that make named pipes skip themselves on
// systems without them ([!unix] skip) before they get here.
func cmdMkfifo(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("mkfifo: no named pipes on this system")
}
