// Package helptext holds the texts of `hindsight help <topic>` that are
// not a command's help: the search query language, and the front matter
// reference, generated from site/postmortem's key lists and the KB's
// config (its tests fail when a key of the schema is not documented).
package helptext
