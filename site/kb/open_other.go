//go:build !unix

package kb

// openFlags are added to O_RDONLY when a listed file is opened without a
// stat first (see open_unix.go); elsewhere there is no named pipe to
// guard against in a folder.
const openFlags = 0
