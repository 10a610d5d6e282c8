//go:build !unix

package config

// platformReadFileTests are the ReadFile cases that need a named pipe:
// none here.
func platformReadFileTests() []readFileCase { return nil }
