// Package tree owns the positioned document tree that front matter and the
// config file are decoded through. YAML, TOML and JSON are each parsed by a
// real parser into the same Node shape, with the 1-based line and column of
// every key and value kept, so that later stages can point a message at the
// exact place in the file without searching the text again.
package tree
