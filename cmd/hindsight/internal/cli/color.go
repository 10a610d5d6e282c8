package cli

import "io"

// colorOn reports whether what is written to w may be coloured: w is a
// terminal, NO_COLOR is unset or empty (https://no-color.org) and TERM is
// not "dumb". Every command that colours asks this, and only this.
func (e *env) colorOn(w io.Writer) bool {
	return e.isTTY(w) && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb"
}

// palette holds the terminal escape codes the CLI's own printers use, all
// empty when colour is off, so a printer writes them unconditionally.
// (site/check/report's printers colour themselves from PrintOptions.Color.)
type palette struct {
	bold, dim, red, mark, fg, reset string
}

// newPalette returns the codes, or empty ones when on is false.
func newPalette(on bool) palette {
	if !on {
		return palette{}
	}
	return palette{
		bold:  "\x1b[1m",
		dim:   "\x1b[2m",
		red:   "\x1b[31m",
		mark:  "\x1b[1;33m", // bold yellow: a search match
		fg:    "\x1b[39m",   // the default colour: same width as red, for tabwriter
		reset: "\x1b[0m",
	}
}

// wrap returns s between code and reset (s alone when colour is off).
func (p palette) wrap(code, s string) string {
	if code == "" {
		return s
	}
	return code + s + p.reset
}
