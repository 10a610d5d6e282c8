//go:build !unix

package running

import "os"

// processAlive reports whether a process with this id may exist. On
// Windows, finding a process opens it, which fails once it has exited;
// elsewhere it always succeeds, and a dead serve shows when its address
// does not answer.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}
