//go:build !unix

package kbtest

import "time"

// CPUTime is the process's user + system CPU time where the system tells
// it through getrusage; here it does not, and CPUTime is 0 (benchmarks
// then report 0 CPU time; their wall times still hold).
func CPUTime() time.Duration { return 0 }
