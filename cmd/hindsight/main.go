// Command hindsight checks, cross-links, indexes and publishes a knowledge
// base of incident postmortems. All of its logic lives in internal/cli and
// the site and search packages; main only runs the CLI.
//
// For performance work, HINDSIGHT_CPUPROFILE=FILE writes a CPU profile of
// the whole run and HINDSIGHT_MEMPROFILE=FILE a heap profile at its end
// (docs/performance.md, Method).
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/buildinfo"
	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli"
)

// Set by release builds with -ldflags "-X main.version=v1.2.3 -X
// main.commit=… -X main.date=…" (.goreleaser.yaml, Dockerfile); empty in
// other builds, where the CLI reads the Go toolchain's build information.
var version, commit, date string

func main() {
	os.Exit(run())
}

func run() int {
	if f := os.Getenv("HINDSIGHT_CPUPROFILE"); f != "" {
		out, err := os.Create(f)
		if err != nil {
			fmt.Fprintf(os.Stderr, "HINDSIGHT_CPUPROFILE: %v\n", err)
			return 2
		}
		defer out.Close()
		if err := pprof.StartCPUProfile(out); err != nil {
			fmt.Fprintf(os.Stderr, "HINDSIGHT_CPUPROFILE: %v\n", err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	code := cli.MainWith(buildinfo.Build{Version: version, Commit: commit, Date: date}, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if f := os.Getenv("HINDSIGHT_MEMPROFILE"); f != "" {
		out, err := os.Create(f)
		if err == nil {
			runtime.GC()
			err = pprof.Lookup("allocs").WriteTo(out, 0)
			out.Close()
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "HINDSIGHT_MEMPROFILE: %v\n", err)
		}
	}
	return code
}
