package report

// Printable returns s as it may be written to a terminal or a CI log:
// control characters, line and paragraph separators, bidirectional
// controls and bytes that are not UTF-8 written as Go escapes (\x1b,
// \u202e), as the printers do. The CLI's other text output (search
// results, the action list, help) uses it for values from the KB.
func Printable(s string) string { return printable(s) }
