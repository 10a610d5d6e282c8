//go:build unix

package kbtest

import (
	"syscall"
	"time"
)

// CPUTime is the process's user + system CPU time, for benchmarks: on a
// shared machine it says more than wall time. It is 0 where the system
// does not tell (see cpu_other.go).
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
