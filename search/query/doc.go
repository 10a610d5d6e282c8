// Package query owns hindsight's search query language: parsing a query
// string into clauses (Parse), printing it back (Query.String), the
// accepted filter names (FieldNames) and the limits every query obeys
// (MaxBytes, MaxTerms), the same for the CLI, serve and the static search
// page. It knows nothing of indexes: package search compiles a Query into
// a bleve query and runs it.
//
// The language:
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
// All clauses combine with AND. A query that cannot be parsed is a
// *ParseError carrying the 1-based column (in characters) of the problem,
// with what is wrong and how to fix it.
package query
