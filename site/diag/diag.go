package diag

import (
	"fmt"
	"sort"
	"strings"
)

// Severity is how serious a diagnostic is.
type Severity int

const (
	// Off means the rule is switched off; such diagnostics are dropped.
	Off Severity = iota
	// Warning is reported but does not fail a check.
	Warning
	// Error fails a check (exit code 1) and stops a build.
	Error
)

// String returns "error", "warning" or "off".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "off"
	}
}

// ParseSeverity reads "error", "warning" (or "warn") and "off".
func ParseSeverity(s string) (Severity, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, true
	case "warning", "warn":
		return Warning, true
	case "off", "false", "none":
		return Off, true
	}
	return Off, false
}

// Pos is a 1-based line and column in a file. The zero Pos means the whole
// file.
type Pos struct {
	Line int
	Col  int
}

// IsZero reports whether p names no line.
func (p Pos) IsZero() bool { return p.Line == 0 }

// Diagnostic is one problem found in one file.
type Diagnostic struct {
	// File is the slash-separated path relative to the KB root.
	File     string
	Pos      Pos
	Severity Severity
	// Rule is the stable rule id, e.g. "missing-section".
	Rule string
	// Message says what is wrong and how to fix it.
	Message string
}

// String formats d as "file:line:col: severity: message [rule]".
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s: %s [%s]", d.Where(), d.Severity, d.Message, d.Rule)
}

// Where formats the location of d as "file:line:col" (or "file" for the
// whole file).
func (d Diagnostic) Where() string {
	if d.Pos.Line == 0 {
		return d.File
	}
	if d.Pos.Col == 0 {
		return fmt.Sprintf("%s:%d", d.File, d.Pos.Line)
	}
	return fmt.Sprintf("%s:%d:%d", d.File, d.Pos.Line, d.Pos.Col)
}

// Sort orders diagnostics by file, line, column and rule, so output is
// stable whatever order the parallel stages produced them in.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

// Count returns the number of errors and warnings in ds.
func Count(ds []Diagnostic) (errors, warnings int) {
	for _, d := range ds {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return errors, warnings
}

// List is a set of diagnostics used as an error value, for stages that
// cannot go on (a broken config, a build refused because of check errors).
type List []Diagnostic

// Error joins the diagnostics, one per line.
func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// Suggest returns the candidates closest to s by edit distance (at most
// max(2, len(s)/3) edits), nearest first, at most n of them.
func Suggest(s string, candidates []string, n int) []string {
	type cand struct {
		s string
		d int
	}
	limit := len(s) / 3
	if limit < 2 {
		limit = 2
	}
	var cs []cand
	ls := strings.ToLower(s)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := Levenshtein(ls, lc)
		if d <= limit || (len(ls) >= 4 && (strings.HasPrefix(lc, ls) || strings.HasPrefix(ls, lc))) {
			cs = append(cs, cand{c, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].s)
	}
	return out
}

// Levenshtein returns the edit distance between a and b (bytes).
func Levenshtein(a, b string) int {
	if len(a) == 0 {
		return len(b)
	}
	if len(b) == 0 {
		return len(a)
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// DidYouMean formats suggestions as ` (did you mean "a" or "b"?)`, or "".
func DidYouMean(s string, candidates []string) string {
	sug := Suggest(s, candidates, 3)
	if len(sug) == 0 {
		return ""
	}
	q := make([]string, len(sug))
	for i, x := range sug {
		q[i] = fmt.Sprintf("%q", x)
	}
	return " (did you mean " + strings.Join(q, " or ") + "?)"
}
