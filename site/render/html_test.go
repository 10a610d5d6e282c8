package render

import (
	"bytes"
	"html/template"
	"testing"
)

// TestCompiledEscapers compares HTMLWriter's escapers with html/template's on
// awkward strings, in every context the twins use.
func TestCompiledEscapers(t *testing.T) {
	for _, s := range compiledEscaperCases {
		checkEscapers(t, s)
	}
}

var compiledEscaperCases = []string{"", "plain", `<a href="x">'&'</a> + \x00 end`, "javascript:alert(1)", "JavaScript:x",
	"mailto:a@b", "HTTPS://x/y", "data:text/html,x", "a/b:c", "../x/index.html#frag", "%zz %41 %4", "ünï cödé",
	"a b\"c'd<e>f`g{h}i|j\\k^l", "?q=1&r=2#x", "\xff\xfe invalid", "\uFFFD\ufdd0\ufff0", "a\tb\nc\r"}

func checkEscapers(t *testing.T, s string) {
	t.Helper()
	tpl := template.Must(template.New("").Parse(`<p title="{{.}}">{{.}}</p><a href="{{.}}"></a><a href="#{{.}}"></a><title>{{.}}</title>`))
	var want bytes.Buffer
	if err := tpl.Execute(&want, s); err != nil {
		t.Fatal(err)
	}
	w := &HTMLWriter{}
	w.S(`<p title="`)
	w.Esc(s)
	w.S(`">`)
	w.Esc(s)
	w.S(`</p><a href="`)
	w.URL(s)
	w.S(`"></a><a href="#`)
	w.URLPart(s)
	w.S(`"></a><title>`)
	w.Esc(s)
	w.S(`</title>`)
	if got := string(w.B); got != want.String() {
		t.Errorf("%q:\n got %s\nwant %s", s, got, want.String())
	}
}

// FuzzCompiledEscapers: the escapers agree with html/template on any
// string.
func FuzzCompiledEscapers(f *testing.F) {
	for _, s := range compiledEscaperCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkEscapers(t, s) })
}
