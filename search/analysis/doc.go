// Package analysis owns how hindsight turns text into search terms: the
// English analyzer (the tokens of bleve's "en" analyzer — Unicode word
// boundaries, possessive, lower case, stop words, Porter stemmer — only
// faster, plus the compound tokens of identifiers such as host names,
// IPs, URLs, paths and ids, indexed whole and by their parts), its word
// cache and optional term numbering, and the Token helpers (Analyze,
// StopWords) that let the index, queries, the static export, similar
// incidents and review produce the same terms.
//
// English registers itself with bleve's registry under EnglishName, so
// package search's index mapping names it. This package knows nothing of
// postmortems, indexes or queries; package search and its sub-packages
// import it, never the other way round.
package analysis
