//go:build unix

package site

import (
	"io"
	"io/fs"
	"syscall"
)

// writeNew writes b to the file name, creating or truncating it, as
// os.WriteFile does, with plain system calls: a build writes thousands of
// small files once each, and an *os.File's set-up (the non-blocking check
// and the poller's registration) costs as much as the write itself.
func writeNew(name string, b []byte, perm uint32) error {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, perm)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for len(b) > 0 {
		n, err := syscall.Write(fd, b)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			syscall.Close(fd)
			return &fs.PathError{Op: "write", Path: name, Err: err}
		}
		if n == 0 {
			syscall.Close(fd)
			return &fs.PathError{Op: "write", Path: name, Err: io.ErrShortWrite}
		}
		b = b[n:]
	}
	if err := syscall.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}
