// Package report prints the diagnostics of a check run: text (with
// colour on a terminal), json, github (workflow commands, annotations on
// a pull request) and sarif (SARIF 2.1.0 for code scanning). The printers
// are separate types behind one Printer interface, as in Vale.
//
// Diagnostics come from the KB, which is untrusted (SPEC §9): the
// text-like printers escape control characters, line separators,
// bidirectional controls and bytes that are not UTF-8 (Printable, which
// the CLI's other text output uses too), so that a value from the KB
// cannot forge a line of a CI log or drive a terminal.
//
// Diagnostics count columns in bytes; the SARIF printer converts them to
// UTF-16 code units, SARIF's unit, from the file's text (Report.Source,
// read again through the KB's confined reader by Sources). The SARIF
// output is validated against the official 2.1.0 schema in the tests
// (testdata/README.md says where the schema comes from).
package report
