// Package wordscan finds many trigger words in one pass over a text,
// case-insensitively (ASCII) and without allocating: the cheap filter that
// site/check's text rules (secret, blame-language) run before their
// regular expressions, so that a file with none of their words costs one
// table look-up per byte. A Scanner is built once per rule set (Of) and
// never modified; Words reports every occurrence, WordStarts only those
// that start a word.
package wordscan
