//go:build unix

package kb

import "syscall"

// openFlags are added to O_RDONLY when a listed file is opened without a
// stat first (folders.readListed): a named pipe put in its place is then
// opened without waiting for a writer, and refused once fstat says what
// it is.
const openFlags = syscall.O_NONBLOCK
