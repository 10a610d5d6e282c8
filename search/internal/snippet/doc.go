// Package snippet makes the text shown under a search result: the
// densest window of a postmortem's body around the words a query matched,
// as escaped HTML with those words in <mark> (Snippet), and the shortened
// excerpts of summaries (Shorten, Excerpt).
//
// It knows nothing of bleve's index: package search hands it the body
// text (read from the document it indexed or from the postmortem file)
// and the query's analysed terms.
package snippet
