package store

// Manifest is stored inside the index (bleve internal key), written in
// the same batch as the documents it describes.
type Manifest struct {
	Version string            `json:"version"`
	Docs    map[string]string `json:"docs"` // id → content hash
}

// FileCache remembers, for every postmortem file, the size and
// modification time it had when it was last indexed and the document it
// produced, so SyncKB can skip files that did not change without reading
// them. It is stored inside the index next to the manifest.
type FileCache struct {
	// Config fingerprints everything besides the file that shapes its
	// document (config file, document options, mapping version).
	Config string
	// Files is sorted by path.
	Files []FileEntry
	// Rewrite is true when the cache was stored unsorted or in an older
	// encoding (by an earlier version): SyncKB then writes it again.
	Rewrite bool
}

// FileEntry is one file of a FileCache.
type FileEntry struct {
	Path  string
	Size  int64
	MTime int64
	ID    string // "" when the file gives no document
}
