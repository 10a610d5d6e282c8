// Package sysfile reads and writes whole files with plain system calls
// where the platform has them (unix). Loading a knowledge base opens every
// file once and a build writes thousands of small files once each; an
// *os.File's set-up per file (the non-blocking check, the poller's
// registration, a cleanup) costs about as much as the read or write
// itself. Elsewhere it falls back to package os.
package sysfile
