// Package relevance reads the relevance test set of search
// (search/testdata/relevance.txt), which the Go search tests and the
// static search's browser tests both run: one format, one reader.
package relevance
