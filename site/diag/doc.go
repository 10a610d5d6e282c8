// Package diag owns the data every stage uses to report a problem: a
// position in a file, a severity and a stable rule id. Diagnostics are plain
// data; they are formatted only at the CLI edge (see site/check for the
// printers).
package diag
