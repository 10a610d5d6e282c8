//go:build unix

package sysfile

import (
	"io"
	"io/fs"
	"syscall"
)

// retry calls call until it is not interrupted by a signal.
func retry(call func() error) error {
	for {
		if err := call(); err != syscall.EINTR {
			return err
		}
	}
}

// fd is an open file descriptor.
type fd int

// Open opens path for reading.
func Open(path string) (File, error) {
	var f int
	err := retry(func() (err error) {
		f, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return fd(f), nil
}

func (f fd) Read(b []byte) (int, error) {
	var n int
	err := retry(func() (err error) {
		n, err = syscall.Read(int(f), b)
		return err
	})
	switch {
	case err != nil:
		return 0, err
	case n == 0 && len(b) > 0:
		return 0, io.EOF
	}
	return n, nil
}

// Size is the file's size.
func (f fd) Size() (int64, error) {
	var st syscall.Stat_t
	err := retry(func() error { return syscall.Fstat(int(f), &st) })
	return st.Size, err
}

func (f fd) Close() error { return syscall.Close(int(f)) }

// WriteNew writes b to the file name, creating or truncating it, as
// os.WriteFile does.
func WriteNew(name string, b []byte, perm uint32) error {
	var f int
	err := retry(func() (err error) {
		f, err = syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, perm)
		return err
	})
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for len(b) > 0 {
		var n int
		err := retry(func() (err error) {
			n, err = syscall.Write(f, b)
			return err
		})
		if err == nil && n == 0 {
			err = io.ErrShortWrite
		}
		if err != nil {
			syscall.Close(f)
			return &fs.PathError{Op: "write", Path: name, Err: err}
		}
		b = b[n:]
	}
	if err := syscall.Close(f); err != nil {
		return &fs.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}
