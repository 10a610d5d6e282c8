// Package rank orders the postmortems a text query matches, the one way
// the CLI, serve and the static search page share (see the comment at
// the top of rank.go: integer term weights and IDFs, ties newest first
// then by id). It reads a bleve index snapshot directly (postings and
// doc values): Matches lists what a query matches without scoring,
// Score and Page rank them. Package search compiles the queries and
// re-exports TermWeight and IDF for search/static.
package rank
