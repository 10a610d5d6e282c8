package kb

import "io/fs"

// ReadAsset returns the content of an asset (a slash path relative to the
// root, as listed in Assets), refusing anything but a regular file inside
// the KB root (see Dir), anything reached through a symlink into a hidden
// folder (.git/), and anything larger than max bytes.
func (k *KB) ReadAsset(rel string, max int64) ([]byte, error) {
	d := k.dir
	if d == nil {
		var err error
		if d, err = OpenDir(k.Root); err != nil {
			return nil, err
		}
		defer d.Close()
	}
	if d.intoHidden(rel) {
		return nil, &fs.PathError{Op: "read", Path: rel, Err: ErrHidden}
	}
	return d.ReadFile(rel, max)
}

// Exists reports whether rel (a slash path relative to the root) names a
// file or folder inside the KB, reached without leaving it (see Dir): a
// link's target that is neither a postmortem, a page nor an asset, such
// as a folder or the repository's README.
func (k *KB) Exists(rel string) bool {
	d := k.dir
	if d == nil {
		var err error
		if d, err = OpenDir(k.Root); err != nil {
			return false
		}
		defer d.Close()
	}
	if d.intoHidden(rel) {
		return false
	}
	_, err := d.Stat(rel)
	return err == nil
}

// MaxAssetSize is the largest asset a site publishes (GitHub refuses
// files over 100 MiB, so a KB kept there never has larger ones).
const MaxAssetSize = 100 << 20
