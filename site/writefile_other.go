//go:build !unix

package site

import (
	"io/fs"
	"os"
)

// writeNew writes b to the file name, creating or truncating it.
func writeNew(name string, b []byte, perm uint32) error {
	return os.WriteFile(name, b, fs.FileMode(perm))
}
