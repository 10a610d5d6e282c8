//go:build !unix

package sysfile

import (
	"io/fs"
	"os"
)

// osFile is an os.File as a File.
type osFile struct{ *os.File }

// Open opens path for reading.
func Open(path string) (File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

// Size is the file's size.
func (f osFile) Size() (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// WriteNew writes b to the file name, creating or truncating it.
func WriteNew(name string, b []byte, perm uint32) error {
	return os.WriteFile(name, b, fs.FileMode(perm))
}
