// Package kbtest helps the tests and benchmarks that need a knowledge
// base on disk: it generates one (site/kbgen) into a temporary folder,
// writes single files into one, and loads a KB's config and postmortems,
// failing the test on any error; it gives the scale benchmarks their KB
// (Scale) and their memory measures (WatchMemory, HeapProfiler); and it
// swaps a file and a named pipe at one path for the tests of readers that
// must never block (SwapPipe, NoBlock). site/kb's own tests use it from
// the external test package kb_test (it imports site/kb).
package kbtest
