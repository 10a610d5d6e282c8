package check

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/check/internal/wordscan"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// duplicateID reports a postmortem whose id (compared lower-cased, as in
// URLs) an earlier file (by path) already has.
type duplicateID struct{}

func (duplicateID) ID() string { return "duplicate-id" }

func (duplicateID) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	if p.ID == "" {
		return nil // no id (the parser reported why): nothing to be unique
	}
	first := c.byID[strings.ToLower(p.ID)]
	if first == nil || first == p {
		return nil
	}
	how := "set a different id:"
	if !p.HasField("id") {
		how = "rename the file or set id: to something else"
	}
	return []diag.Diagnostic{errorf(p.Path, p.PosOf("id"), "duplicate-id",
		fmt.Sprintf("id %q is already used by %s; ids must be unique (they name the page URL): %s", p.ID, first.Path, how))}
}

// unknownRelated reports a related id that names no postmortem.
type unknownRelated struct{}

func (unknownRelated) ID() string { return "unknown-related" }

func (unknownRelated) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	var out []diag.Diagnostic
	for i, r := range p.Related {
		if r == "" || c.byID[strings.ToLower(r)] != nil {
			continue
		}
		out = append(out, errorf(p.Path, p.PosOf(fmt.Sprintf("related[%d]", i)), "unknown-related",
			fmt.Sprintf("related: no postmortem has id %q%s; write the id (the file name without .md, or its id: key)", r, diag.DidYouMean(r, c.ids))))
	}
	return out
}

// sectionMatches finds, for each configured section (required, then
// recommended: c.secs), the indexes of the body sections that match it.
func (c *Context) sectionMatches(body []postmortem.Section) [][]int {
	// Which configured section each body section is (or -1), then the
	// lists cut from one array.
	var small [16]int
	which := small[:0]
	if len(body) > len(small) {
		which = make([]int, 0, len(body))
	}
	var buf [64]byte
	matched := 0
	for _, s := range body {
		i := c.sectionOf(s.Title, buf[:0])
		which = append(which, i)
		if i >= 0 {
			matched++
		}
	}
	out := make([][]int, len(c.secs))
	if matched == 0 {
		return out
	}
	all := make([]int, 0, matched)
	for i := range out {
		start := len(all)
		for j, w := range which {
			if w == i {
				all = append(all, j)
			}
		}
		if len(all) > start {
			out[i] = all[start:len(all):len(all)]
		}
	}
	return out
}

// sectionOf returns the index in c.secs of the configured section a
// heading names, or -1; buf is scratch space.
func (c *Context) sectionOf(title string, buf []byte) int {
	h, ok := normalizeHeading(buf, title)
	if !ok {
		h = append(buf[:0], config.NormalizeHeading(title)...)
	}
	for i, names := range c.secNames {
		for _, n := range names {
			if n == string(h) {
				return i
			}
		}
	}
	return -1
}

// asciiSpace marks the ASCII bytes unicode.IsSpace accepts.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// normalizeHeading appends config.NormalizeHeading(h) to dst for an ASCII
// heading, without allocating; it returns false for any other.
func normalizeHeading(dst []byte, h string) ([]byte, bool) {
	space := false
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= 0x80:
			return dst, false
		case asciiSpace[c]:
			space = true
			continue
		}
		if space && len(dst) > 0 {
			dst = append(dst, ' ')
		}
		space = false
		dst = append(dst, wordscan.LowerByte(c))
	}
	dst = trimHeadingEnd(dst)
	if len(dst) > 0 && dst[len(dst)-1] == ')' {
		// A note in parentheses at the end (see config.NormalizeHeading).
		if i := bytes.LastIndex(dst, []byte(" (")); i > 0 {
			dst = trimHeadingEnd(dst[:i])
		}
	}
	return dst, true
}

// trimHeadingEnd drops the spaces, colons and dots at the end of h.
func trimHeadingEnd(h []byte) []byte {
	for len(h) > 0 {
		switch h[len(h)-1] {
		case ' ', ':', '.':
			h = h[:len(h)-1]
			continue
		}
		break
	}
	return h
}

// missingSection reports a required H2 section that is absent.
type missingSection struct{}

func (missingSection) ID() string { return "missing-section" }

func (missingSection) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	// Without readable front matter the file may not be a postmortem at
	// all; frontmatter-syntax says so, and six missing sections would
	// only bury it.
	if p.Body.Line == 0 || !frontMatterOK(p) {
		return nil
	}
	req := c.Config.RequiredSections
	var out []diag.Diagnostic
	for i, m := range c.sectionMatches(p.Body.Sections)[:len(req)] {
		if len(m) > 0 {
			continue
		}
		also := ""
		if len(req[i].Aliases) > 0 {
			also = fmt.Sprintf(" (or one of: %s)", strings.Join(req[i].Aliases, ", "))
		}
		out = append(out, errorf(p.Path, diag.Pos{Line: p.Body.Line, Col: 1}, "missing-section",
			fmt.Sprintf("required section \"## %s\" is missing; add a \"## %s\" heading%s with its content", req[i].Name, req[i].Name, also)))
	}
	return out
}

// duplicateSection reports a required or recommended section written
// twice.
type duplicateSection struct{}

func (duplicateSection) ID() string { return "duplicate-section" }

func (duplicateSection) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	var out []diag.Diagnostic
	secs := c.secs
	for i, m := range c.sectionMatches(p.Body.Sections) {
		for _, j := range m[min(1, len(m)):] {
			s, first := p.Body.Sections[j], p.Body.Sections[m[0]]
			out = append(out, errorf(p.Path, s.Pos, "duplicate-section",
				fmt.Sprintf("section %q appears again (first as %q at line %d); merge the two into one %q section", s.Title, first.Title, first.Pos.Line, secs[i].Name)))
		}
	}
	return out
}

// emptySection reports a required or recommended section that is empty or
// holds only a placeholder.
type emptySection struct{}

func (emptySection) ID() string { return "empty-section" }

var (
	commentRE = regexp.MustCompile(`(?s)<!--.*?-->`)
	// placeholderRE matches a line that is only a placeholder; TBD and
	// TODO may carry a hint after a colon or dash ("TBD: who was told").
	placeholderRE = regexp.MustCompile(`(?i)^(?:(?:tbd|todo|tba|fixme)(?:\s*[:—–-].*)?|n/?a|none yet|-+|—|–|…|\.{3}|\?+)$`)
)

// isPlaceholder reports whether a section's text is empty or placeholder
// only (every line TBD, TODO, N/A, "-", "…"), and returns the first
// placeholder found.
func isPlaceholder(text string) (bool, string) {
	if strings.Contains(text, "<!--") {
		text = commentRE.ReplaceAllString(text, "")
	}
	first := ""
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		l := strings.Trim(strings.TrimSpace(line), "*_`")
		if l == "" {
			continue
		}
		if len(l) > 200 || !maybePlaceholder(l) || (!placeholderRE.MatchString(l) && !placeholderRE.MatchString(strings.TrimRight(l, ".!"))) {
			return false, ""
		}
		if first == "" {
			first = l
		}
	}
	return true, first
}

// maybePlaceholder reports false for a line placeholderRE cannot match
// (nor after ".!" are trimmed from its end): one that starts with an
// ASCII byte no placeholder starts with, or with a "t", "f" or "n" not
// followed by what tbd, todo, tba, fixme, n/a, na or none need. Most
// sections start so, and are told apart without the regular expression.
func maybePlaceholder(l string) bool {
	c := l[0]
	if c >= utf8.RuneSelf {
		return true // (a dash, an ellipsis, or anything (?i) might fold)
	}
	next := byte(0)
	if len(l) > 1 {
		next = wordscan.LowerByte(l[1])
	}
	switch wordscan.LowerByte(c) {
	case '-', '.', '?':
		return true
	case 't':
		return next == 'b' || next == 'o' || next >= utf8.RuneSelf
	case 'f':
		return next == 'i' || next >= utf8.RuneSelf
	case 'n':
		return next == '/' || next == 'a' || next == 'o' || next >= utf8.RuneSelf
	}
	return false
}

func (emptySection) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	var out []diag.Diagnostic
	nreq := len(c.Config.RequiredSections)
	for i, m := range c.sectionMatches(p.Body.Sections) {
		if len(m) == 0 {
			continue
		}
		s := p.Body.Sections[m[0]]
		ok, ph := isPlaceholder(s.Text)
		if !ok {
			continue
		}
		what := "is empty"
		if ph != "" {
			word := strings.TrimRight(strings.Fields(ph)[0], ":—–-")
			if word == "" {
				word = ph
			}
			what = fmt.Sprintf("holds only a placeholder (%q)", word)
		}
		fix := "write it"
		if i >= nreq {
			fix = "write it, or delete the section (it is recommended, not required)"
		}
		out = append(out, errorf(p.Path, s.Pos, "empty-section", fmt.Sprintf("section %q %s; %s", s.Title, what, fix)))
	}
	return out
}

// actionIncomplete reports a corrective action without title, owner,
// priority or due, or with an unknown status.
type actionIncomplete struct{}

func (actionIncomplete) ID() string { return "action-incomplete" }

func (actionIncomplete) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	if !frontMatterOK(p) {
		return nil
	}
	bad := invalidKeys(p)
	var out []diag.Diagnostic
	for i, a := range p.Actions {
		// Most actions are complete: their key and name are made only
		// for a report (or when some keys were invalid).
		missing := a.Title == "" || a.Owner == "" || a.Priority == "" || a.Due.IsZero()
		badStatus := !oneOf(a.Status, actionStatuses)
		if !missing && !badStatus {
			continue
		}
		base := fmt.Sprintf("actions[%d]", i)
		if bad[base] {
			continue
		}
		name := fmt.Sprintf("action %d", i+1)
		if a.Title != "" {
			name += fmt.Sprintf(" (%q)", short(a.Title, 40))
		}
		var miss, hints []string
		for _, f := range []struct{ key, val, hint string }{
			{"title", a.Title, "title: what will be done"},
			{"owner", a.Owner, "owner: the team or person who will do it"},
			{"priority", a.Priority, "priority: one of " + strings.Join(c.Config.Priorities, ", ")},
			{"due", dateText(a.Due), "due: YYYY-MM-DD"},
		} {
			if f.val == "" && !bad[base+"."+f.key] {
				miss = append(miss, f.key)
				hints = append(hints, f.hint)
			}
		}
		if len(miss) > 0 {
			out = append(out, errorf(p.Path, a.Pos, "action-incomplete",
				fmt.Sprintf("%s has no %s; add %s", name, strings.Join(miss, ", "), strings.Join(hints, "; "))))
		}
		if badStatus {
			out = append(out, errorf(p.Path, p.PosOf(base+".status"), "action-incomplete",
				fmt.Sprintf("%s: status %q is not one of %s%s", name, a.Status, strings.Join(actionStatuses, ", "), diag.DidYouMean(a.Status, actionStatuses))))
		}
	}
	return out
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// actionOverdue reports an open action whose due date has passed: a
// warning, an error with --strict.
type actionOverdue struct{}

func (actionOverdue) ID() string { return "action-overdue" }

func (actionOverdue) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	var out []diag.Diagnostic
	for i, a := range p.Actions {
		if !a.Overdue(c.Now, c.Config.Location) {
			continue
		}
		name := fmt.Sprintf("action %d", i+1)
		if a.Title != "" {
			name += fmt.Sprintf(" (%q)", short(a.Title, 40))
		}
		owner := ""
		if a.Owner != "" {
			owner = ", owner " + a.Owner
		}
		out = append(out, diag.Diagnostic{File: p.Path, Pos: p.PosOf(fmt.Sprintf("actions[%d].due", i)), Severity: diag.Warning,
			Rule: "action-overdue",
			Message: fmt.Sprintf("%s is %s and was due %s%s; finish it (status: done, done_on: YYYY-MM-DD), agree a new due date, or close it with status: wont-do",
				name, a.Status, dateText(a.Due), owner)})
	}
	return out
}
