package report_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/check/report"
	"github.com/hindsight-kb/hindsight/site/diag"
)

// TestSecurityPrintersEscapeControls: a front matter value, a heading or a
// file name with control characters cannot forge a line (a GitHub
// workflow command) or send a terminal sequence through the text-like
// outputs.
func TestSecurityPrintersEscapeControls(t *testing.T) {
	hostile := report.Report{Files: 1, Diagnostics: []diag.Diagnostic{
		{File: "content/postmortems/a\x1b]8;;x\a.md", Pos: diag.Pos{Line: 4, Col: 11}, Severity: diag.Error, Rule: "invalid-value",
			Message: "severity \"SEV9\n::error file=forged,line=1::all clear\r::warning::x\x1b[2J\u202egnp.exe\u2028next\u0085\xff\" is not one of SEV1"},
	}}
	cases := []struct {
		format string
		opts   report.PrintOptions
		// want must occur in the output.
		want string
	}{
		{"text", report.PrintOptions{}, `severity "SEV9\n::error file=forged,line=1::all clear\r::warning::x\x1b[2J\u202egnp.exe\u2028next\u0085\xff" is not one of SEV1`},
		{"text", report.PrintOptions{Color: true}, `\x1b[2J`},
		{"github", report.PrintOptions{}, `::error file=content/postmortems/a\x1b]8;;x\x07.md,line=4,col=11,title=hindsight invalid-value::severity "SEV9%0A::error file=forged,line=1::all clear%0D::warning::x\x1b[2J\u202egnp.exe\u2028next\u0085\xff" is not one of SEV1`},
	}
	for _, tc := range cases {
		t.Run(tc.format, func(t *testing.T) {
			out := string(print(t, tc.format, tc.opts, hostile))
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if n := len(hostile.Diagnostics); tc.format == "text" && len(lines) != n+1 || tc.format == "github" && len(lines) != n {
				t.Errorf("%d lines for %d diagnostic:\n%s", len(lines), len(hostile.Diagnostics), out)
			}
			for _, l := range lines[1:] {
				if strings.HasPrefix(l, "::") {
					t.Errorf("forged line %q", l)
				}
			}
			rest := out
			if tc.opts.Color {
				// Only the printer's own colour sequences remain.
				rest = strings.NewReplacer("\x1b[1m", "", "\x1b[31m", "", "\x1b[2m", "", "\x1b[0m", "").Replace(out)
			}
			if strings.ContainsAny(rest, "\x1b\r\a\u202e\u2028\u0085") || !utf8.ValidString(rest) {
				t.Errorf("raw control character in %q", rest)
			}
		})
	}
}
