// Package buildinfo says which hindsight a binary is: its release tag or
// module version, the commit and the date it was built from, whether set by
// a release build's -ldflags or read from the Go toolchain's build
// information (runtime/debug.ReadBuildInfo), for `go install` builds too.
package buildinfo
