package kb

import (
	"fmt"
	"os"
	"path/filepath"
)

// ReadAsset returns the content of an asset (a slash path relative to the
// root, as listed in Assets), refusing anything but a regular file inside
// the KB root and anything larger than max bytes.
//
// TODO(confinement): read through the KB's os.Root.
func (k *KB) ReadAsset(rel string, max int64) ([]byte, error) {
	p := filepath.Join(k.Root, filepath.FromSlash(rel))
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", rel)
	}
	if st.Size() > max {
		return nil, fmt.Errorf("%s is %s, over the %s limit", rel, HumanSize(st.Size()), HumanSize(max))
	}
	return os.ReadFile(p)
}
