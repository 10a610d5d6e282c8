// Package store owns the bookkeeping package search keeps beside the
// documents of its on-disk index: the manifest (the content hash of every
// indexed document, under the mapping version) and the file cache (the
// size and modification time of every postmortem file when it was last
// indexed), their compact line encodings (read on every `hindsight
// search`, so not JSON), and the listing of the KB's postmortem files
// they are compared with (Walk, List: through kb.Dir, like kb.Load).
//
// It knows nothing of bleve: package search stores the encoded values
// under its internal keys and decides what to reindex.
package store
