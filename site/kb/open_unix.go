//go:build unix

package kb

import (
	"io"
	"syscall"
)

// fdFile is an open file read with plain system calls: an os.File costs
// more (a poller registration attempt, a cleanup, a larger object) and
// loading opens every file of the KB once.
type fdFile int

// openSized opens path for reading.
func openSized(path string) (sizedFile, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		return fdFile(fd), nil
	}
}

func (f fdFile) Read(b []byte) (int, error) {
	for {
		n, err := syscall.Read(int(f), b)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(b) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (f fdFile) Size() (int64, error) {
	var st syscall.Stat_t
	for {
		err := syscall.Fstat(int(f), &st)
		if err == syscall.EINTR {
			continue
		}
		return st.Size, err
	}
}

func (f fdFile) Close() error { return syscall.Close(int(f)) }
