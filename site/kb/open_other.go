//go:build !unix

package kb

import "os"

// osFile is an os.File as a sizedFile.
type osFile struct{ *os.File }

// openSized opens path for reading.
func openSized(path string) (sizedFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

func (f osFile) Size() (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
