package review

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestMD(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Expired certificate on the edge proxy", `Expired certificate on the edge proxy`},
		{"<img src=x onerror=alert(1)>", `&lt;img src=x onerror=alert\(1\)&gt;`},
		{"a | b", `a &#124; b`},
		{"[x](javascript:alert(1))", `\[x\]\(javascript&#58;alert\(1\)\)`},
		{"@security-team #12", `&#64;security-team &#35;12`},
		{`$\color{red}{\text{urgent}}$`, `\$\\color{red}{\\text{urgent}}\$`},
		{"**bold** _it_ `code` ~~s~~", `\*\*bold\*\* \_it\_ \` + "`" + `code\` + "`" + ` \~\~s\~\~`},
		{"line\nbreak\x1b[31m\u202e", `line break \[31m `},
		{"www.example.com", `www\.example\.com`},
		{"a & b", `a &amp; b`},
	}
	for _, tt := range tests {
		if got := md(tt.in); got != tt.want {
			t.Errorf("md(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMDCodeAndURL(t *testing.T) {
	if got := mdCode("content/postmortems/2025/x.md"); got != "`content/postmortems/2025/x.md`" {
		t.Errorf("path: %s", got)
	}
	if got := mdCode("a`b"); strings.Contains(got, "`b") && !strings.Contains(got, "\\`") {
		t.Errorf("a backtick must not end the code span: %s", got)
	}
	for in, want := range map[string]string{
		"https://kb.example.com/postmortems/a/": "https://kb.example.com/postmortems/a/",
		"javascript:alert(1)":                   "",
		"https://x/a)(b c":                      "https://x/a%29%28b%20c",
	} {
		if got := mdURL(in); got != want {
			t.Errorf("mdURL(%q) = %q, want %q", in, got, want)
		}
	}
	if got := fence("a ``` b ````"); got != "`````" {
		t.Errorf("fence = %q", got)
	}
}

// FuzzMD: whatever the text, md's output is one line with no HTML,
// link, cell or mention syntax left.
func FuzzMD(f *testing.F) {
	for _, s := range []string{"<b>", "a|b", "[a](b)", "@x", "\x00\n\r", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := md(s)
		if strings.ContainsAny(got, "<>|@\n\r") || !utf8.ValidString(got) {
			t.Fatalf("md(%q) = %q", s, got)
		}
		for i := 0; i < len(got); i++ {
			if strings.IndexByte("[]()`*_", got[i]) >= 0 && (i == 0 || got[i-1] != '\\') {
				t.Fatalf("md(%q) = %q: unescaped %q", s, got, got[i])
			}
		}
	})
}

// TestMarkdownLimit: a large pull request's comment stays under the
// limit, says it was cut, and names the files left out while they fit.
func TestMarkdownLimit(t *testing.T) {
	r := &Report{Since: "origin/main", Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
	for i := range 300 {
		f := File{Path: fmt.Sprintf("content/postmortems/p%03d.md", i), ID: fmt.Sprintf("p%03d", i), Title: strings.Repeat("Long title ", 10)}
		for j := range 40 {
			f.Diagnostics = append(f.Diagnostics, Diagnostic{File: f.Path, Line: j + 1, Column: 1, Severity: "error", Rule: "missing-field",
				Message: strings.Repeat("a long message ", 8)})
		}
		f.Errors = len(f.Diagnostics)
		r.Files = append(r.Files, f)
	}
	r.Summary.Files = len(r.Files)
	for _, limit := range []int{0, 20000} {
		m := Markdown(r, PrintOptions{Limit: limit})
		max := limit
		if max == 0 {
			max = MaxComment
		}
		if len(m) > max {
			t.Errorf("limit %d: %d bytes", limit, len(m))
		}
		if !strings.HasPrefix(m, Marker+"\n") || !strings.Contains(m, "This comment was cut") || !strings.Contains(m, "### `content/postmortems/p000.md`") {
			t.Errorf("limit %d: no marker, note or first file:\n%.2000s", limit, m)
		}
		if !strings.Contains(m, "- `content/postmortems/p299.md`") && !strings.Contains(m, "more\n") {
			t.Errorf("limit %d: the files left out are not accounted for", limit)
		}
		if strings.Count(m, "… and ") == 0 {
			t.Errorf("limit %d: a file's 40 problems are not capped", limit)
		}
	}
	small := &Report{Now: r.Now, Files: r.Files[:1], Summary: Summary{Files: 1}}
	if m := Markdown(small, PrintOptions{}); strings.Contains(m, "cut") {
		t.Error("a small review was cut")
	}
}
