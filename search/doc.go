// Package search owns hindsight's full-text and field search: the
// document model built from postmortems (with audience filtering), the
// bleve mapping and its incremental on-disk index under
// <KB>/.hindsight/search/, running queries of the query language (parsed
// by the sub-package search/query: words, "phrases" and field filters
// such as cause:, severity:, after:), ranked results with highlighted
// snippets and facets. The HTTP handler and template data used by
// `hindsight serve` are the sub-package search/web. Text is analysed by
// the sub-package search/analysis (English words as bleve's "en"
// analyzer makes them, plus identifiers — host names, IPs, URLs, paths,
// scheme:thing, ids — indexed whole and by their parts).
//
// The static export for the published site (a sharded prebuilt index
// that themes/default/static/search.js loads on demand) lives in the
// sub-package search/static; it analyses text with the same analyzer as
// the index, so the browser and the CLI find the same postmortems.
//
// Query language (see package search/query):
//
//	word            all words must match (title, body or keywords), stemmed
//	"a phrase"      the words in this order, in one field
//	cause:SLUG      root cause (also system:, data:, severity:, category:,
//	                status:, technique:); values are case-insensitive;
//	                a,b means either; technique:T1566 also matches T1566.001
//	after:DATE      started on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD,
//	before:DATE     in the config timezone) / started before DATE
//	id:ID           the postmortem with this id (case-insensitive)
//
// A word of a synonym group (Options.Synonyms) also matches the group's
// other words and phrases. A query that finds fewer than 3 postmortems is
// retried with its unknown words matching their nearest indexed words,
// and Result.DidYouMean suggests them (see Index.SearchQuery).
//
// All clauses combine with AND. A query that cannot be parsed is a
// *query.ParseError carrying the 1-based column of the problem.
//
// Audience: the caller chooses what is indexed by building documents
// with DocOptions (Public drops internal postmortems and internal
// sections). The on-disk index under .hindsight/ is the internal one
// (drafts included) used by the CLI; a public static export is built
// from Docs(..., DocOptions{Public: true}).
//
// Size: without its sub-packages (analysis, query, web, internal/store)
// the package is about 2,550 lines, the ~2,500 of issue #15: one thing,
// the index and running queries on it, whose files share Index's
// unexported state.
package search
