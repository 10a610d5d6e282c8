package site

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestMarkupA11y checks, without a browser, the accessibility rules of
// issue 17 item 5 that the written HTML alone decides, on every page of
// the a11y test KB (internal with drafts, and public) and the fixture:
// every table row spans as many columns as the header has (the empty
// public actions table had colspan="7" under 6 columns), search landmarks
// have distinct names, the header search form has a submit button, pages
// have a meta description, headings go down one level at a time, and
// task list boxes have a name. TestBrowserA11y runs axe-core on top.
func TestMarkupA11y(t *testing.T) {
	a11y := writeTxtar(t, "testdata/a11y.txtar")
	for _, c := range []struct {
		name string
		root string
		opts Options
	}{
		{"a11y internal", a11y, Options{Drafts: true}},
		{"a11y public", a11y, Options{Audience: Public}},
		{"fixture public", writeTxtar(t, fixtureKB), Options{Audience: Public}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, out := build(t, c.root, c.opts)
			n := 0
			err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(out, p)
				for _, problem := range markupProblems(filepath.ToSlash(rel), string(b)) {
					t.Errorf("%s: %s", rel, problem)
				}
				n++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n < 10 {
				t.Fatalf("only %d pages checked", n)
			}
		})
	}
}

var (
	tableRE    = regexp.MustCompile(`(?s)<table\b.*?</table>`)
	rowRE      = regexp.MustCompile(`(?s)<tr\b[^>]*>(.*?)</tr>`)
	cellRE     = regexp.MustCompile(`<t[hd]\b([^>]*)>`)
	colspanRE  = regexp.MustCompile(`colspan="(\d+)"`)
	searchRE   = regexp.MustCompile(`<form\b[^>]*role="search"[^>]*>`)
	labelRE    = regexp.MustCompile(`aria-label="([^"]*)"`)
	headingRE  = regexp.MustCompile(`<h([1-6])\b`)
	checkboxRE = regexp.MustCompile(`<input\b[^>]*type="checkbox"[^>]*>`)
)

// markupProblems returns what in one page breaks the rules TestMarkupA11y
// lists.
func markupProblems(path, page string) []string {
	var out []string
	for _, table := range tableRE.FindAllString(page, -1) {
		width := -1
		for i, row := range rowRE.FindAllStringSubmatch(table, -1) {
			w := 0
			for _, cell := range cellRE.FindAllStringSubmatch(row[1], -1) {
				span := 1
				if m := colspanRE.FindStringSubmatch(cell[1]); m != nil {
					span, _ = strconv.Atoi(m[1])
				}
				w += span
			}
			if width < 0 {
				width = w
			} else if w != width {
				out = append(out, "table row "+strconv.Itoa(i)+" spans "+strconv.Itoa(w)+" columns, the header "+strconv.Itoa(width))
			}
		}
	}
	names := map[string]bool{}
	for _, form := range searchRE.FindAllString(page, -1) {
		m := labelRE.FindStringSubmatch(form)
		switch {
		case m == nil || m[1] == "":
			out = append(out, "a role=search form without aria-label: "+form)
		case names[m[1]]:
			out = append(out, "two search landmarks named "+m[1])
		}
		if m != nil {
			names[m[1]] = true
		}
	}
	if i := strings.Index(page, `<form class="header-search"`); i >= 0 {
		form := page[i:]
		form = form[:strings.Index(form, "</form>")]
		if !strings.Contains(form, `type="submit"`) {
			out = append(out, "the header search form has no submit button")
		}
	}
	if path != "404.html" && !strings.Contains(page, `<meta name="description" content="`) {
		out = append(out, "no meta description")
	}
	if strings.Contains(page, `<meta name="description" content="">`) {
		out = append(out, "an empty meta description")
	}
	// Headings in <main> go down one level at a time (the header and
	// footer have none).
	if i := strings.Index(page, "<main"); i >= 0 {
		prev := 0
		for _, h := range headingRE.FindAllStringSubmatch(page[i:], -1) {
			l := int(h[1][0] - '0')
			if prev > 0 && l > prev+1 || prev == 0 && l != 1 {
				out = append(out, "heading h"+h[1]+" after h"+strconv.Itoa(prev))
			}
			prev = l
		}
	}
	for _, box := range checkboxRE.FindAllString(page, -1) {
		if !strings.Contains(box, `aria-label="`) {
			out = append(out, "a checkbox without a name: "+box)
		}
	}
	return out
}
