//go:build !linux

package search

// walkPostmortems lists the postmortem files under root with their sizes
// and modification times, sorted by path.
func walkPostmortems(root string) []found { return walkPostmortemsPortable(root) }
