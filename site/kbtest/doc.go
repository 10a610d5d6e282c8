// Package kbtest helps the tests and benchmarks that need a knowledge
// base on disk: it generates one (site/kbgen) into a temporary folder,
// writes single files into one, and loads a KB's config and postmortems,
// failing the test on any error; and it gives the scale benchmarks their
// KB (Scale) and their memory measures (WatchMemory, HeapProfiler). (site/kb's own tests cannot use it: it
// imports site/kb.)
package kbtest
