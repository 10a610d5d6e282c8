package sysfile

import "io"

// File is a file open for reading, which knows its size.
type File interface {
	io.Reader
	Size() (int64, error)
	Close() error
}
