//go:build !linux

package hugeheap

// Reserve does nothing outside Linux and reports false.
func Reserve(size int) bool { return false }
