package review

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Marker is the first line of every Markdown review: a CI job finds its
// earlier comment on the pull request by it and updates that one.
const Marker = "<!-- hindsight-review -->"

// MaxComment is GitHub's limit on a comment body (characters; the
// printer counts bytes, which are never fewer).
const MaxComment = 65536

// Caps of the lists of one file in Markdown; JSON has them all.
const (
	maxDiagLines = 50
	maxActions   = 20
)

// PrintOptions configure the printers.
type PrintOptions struct {
	// Color turns on ANSI colours (text only); set it when writing to a
	// terminal.
	Color bool
	// PathPrefix is prepended to file paths (the KB folder relative to
	// the current folder or the repository root, "" or "docs/kb/").
	PathPrefix string
	// Limit is the most bytes of a Markdown review; 0 means MaxComment.
	Limit int
}

// PrintMarkdown writes r as one pull request comment body: the marker,
// a summary, then a section per changed postmortem, cut to fit
// o.Limit (with a note saying so) when the pull request is large.
func PrintMarkdown(w io.Writer, r *Report, o PrintOptions) error {
	_, err := io.WriteString(w, Markdown(r, o))
	return err
}

// Markdown returns r as a comment body of at most o.Limit bytes: whole
// file sections while they fit, then the remaining files' names while
// they fit, and a note of what was left out.
func Markdown(r *Report, o PrintOptions) string {
	limit := o.Limit
	if limit <= 0 {
		limit = MaxComment
	}
	var head strings.Builder
	head.WriteString(Marker + "\n## hindsight review\n\n")
	head.WriteString(mdSummary(r))
	var other string
	if len(r.Other) > 0 {
		other = "### Other changed files\n\n" + mdDiagnostics(r.Other, o.PathPrefix, true)
	}
	foot := "\n<sub>Written by <code>hindsight review</code> on " + r.Now.Format("2006-01-02") +
		". Similar incidents are found by content, root causes and systems, as on the published site.</sub>\n"
	budget := limit - head.Len() - len(foot) - len(other) - 400 // room for the note
	var body strings.Builder
	cut := -1
	for i := range r.Files {
		s := mdFile(&r.Files[i], o.PathPrefix)
		if body.Len()+len(s) > budget {
			cut = i
			break
		}
		body.WriteString(s)
	}
	if cut >= 0 {
		var names strings.Builder
		left := 0
		for _, f := range r.Files[cut:] {
			line := "- " + mdCode(o.PathPrefix+f.Path) + fmt.Sprintf(": %s, %s\n", plural(f.Errors, "error"), plural(f.Warnings, "warning"))
			if body.Len()+names.Len()+len(line) > budget {
				left++
				continue
			}
			names.WriteString(line)
		}
		fmt.Fprintf(&body, "### %d more files\n\n> [!NOTE]\n> This comment was cut to fit GitHub's limit of %d characters: the reviews of these files are left out. Run `hindsight review` locally (or with `--format json`) to see them all.\n\n", len(r.Files)-cut, MaxComment)
		body.WriteString(names.String())
		if left > 0 {
			fmt.Fprintf(&body, "- … and %d more\n", left)
		}
		body.WriteString("\n")
	}
	return head.String() + body.String() + other + foot
}

func mdSummary(r *Report) string {
	var b strings.Builder
	s := r.Summary
	if s.Files == 0 && len(r.Other) == 0 {
		if r.Since != "" {
			fmt.Fprintf(&b, "Nothing to review: no postmortem was added or changed since %s.\n", mdCode(r.Since))
		} else {
			b.WriteString("Nothing to review: no postmortem was named.\n")
		}
		return b.String()
	}
	fmt.Fprintf(&b, "**%s**", plural(s.Files, "postmortem")+" changed")
	if r.Since != "" {
		fmt.Fprintf(&b, " since %s", mdCode(r.Since))
	}
	b.WriteString(": ")
	var parts []string
	if s.Errors > 0 {
		parts = append(parts, "❌ "+plural(s.Errors, "error"))
	} else {
		parts = append(parts, "✅ no errors")
	}
	parts = append(parts, plural(s.Warnings, "warning"))
	if s.Recurrences > 0 {
		p := plural(s.Recurrences, "recurrence")
		if s.NotPrevented > 0 {
			p += fmt.Sprintf(" (%d where a corrective action did not prevent it)", s.NotPrevented)
		}
		parts = append(parts, "🔁 "+p)
	}
	if s.MissingRelated > 0 {
		parts = append(parts, plural(s.MissingRelated, "incident")+" to link in `related:`")
	}
	if s.Vocabulary > 0 {
		parts = append(parts, plural(s.Vocabulary, "cause or system", "causes or systems")+" to check")
	}
	b.WriteString(strings.Join(parts, " · "))
	b.WriteString(".\n\n")
	return b.String()
}

// mdFile is one changed postmortem's section.
func mdFile(f *File, prefix string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s", mdCode(prefix+f.Path))
	if f.Title != "" {
		fmt.Fprintf(&b, " — %s", md(f.Title))
	}
	b.WriteString("\n\n")
	var meta []string
	for _, m := range []string{f.Severity, f.Status} {
		if m != "" {
			meta = append(meta, md(m))
		}
	}
	if !f.Started.IsZero() {
		meta = append(meta, "started "+f.Started.Format("2006-01-02"))
	}
	if f.RenamedFrom != "" {
		meta = append(meta, "renamed from "+mdCode(prefix+f.RenamedFrom))
	}
	if len(meta) > 0 {
		b.WriteString(strings.Join(meta, " · ") + "\n\n")
	}
	// Checks.
	switch {
	case len(f.Diagnostics) == 0:
		b.WriteString("**Checks:** ✅ no problems.\n\n")
	default:
		icon := "⚠️"
		if f.Errors > 0 {
			icon = "❌"
		}
		fmt.Fprintf(&b, "**Checks:** %s %s, %s.\n\n", icon, plural(f.Errors, "error"), plural(f.Warnings, "warning"))
		b.WriteString(mdDiagnostics(f.Diagnostics, prefix, f.Errors > 0))
	}
	if f.Note != "" {
		fmt.Fprintf(&b, "> [!NOTE]\n> Not compared with the knowledge base: %s.\n\n", f.Note)
		return b.String()
	}
	mdRecurrence(&b, f)
	mdSimilar(&b, f)
	mdVocabulary(&b, f)
	mdContext(&b, f)
	return b.String()
}

// mdDiagnostics writes diagnostics as check prints them, in a code block
// (inside <details> when there are many, open when open).
func mdDiagnostics(ds []Diagnostic, prefix string, open bool) string {
	var lines strings.Builder
	for i, d := range ds {
		if i == maxDiagLines {
			fmt.Fprintf(&lines, "… and %d more (run hindsight check)\n", len(ds)-i)
			break
		}
		lines.WriteString(diagLine(d, prefix) + "\n")
	}
	f := fence(lines.String())
	block := f + "text\n" + lines.String() + f + "\n"
	if len(ds) <= 5 {
		return block + "\n"
	}
	o := ""
	if open {
		o = " open"
	}
	return fmt.Sprintf("<details%s><summary>%s</summary>\n\n%s\n</details>\n\n", o, plural(len(ds), "problem"), block)
}

// diagLine is a diagnostic as check's text printer writes it (control
// characters escaped), without colour.
func diagLine(d Diagnostic, prefix string) string {
	line := fmt.Sprintf("%s: %s: %s [%s]", d.where(prefix), d.Severity, plain(d.Message), plain(d.Rule))
	if len(line) > maxDiagLine { // messages quote KB values: keep the comment under its limit
		cut := maxDiagLine
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		line = line[:cut] + "…"
	}
	return line
}

// maxDiagLine bounds one problem's line in the comment: maxDiagLines of
// them stay well under GitHub's limit.
const maxDiagLine = 500

// mdRef is a postmortem's title linked to its page (when base_url is
// set) and its id.
func mdRef(x Ref) string {
	t := md(x.Title)
	if u := mdURL(x.URL); u != "" {
		t = "[" + t + "](" + u + ")"
	}
	return t + " " + mdCode(x.ID)
}

func mdRecurrence(b *strings.Builder, f *File) {
	if rec := f.Recurrence; rec != nil {
		fmt.Fprintf(b, "**🔁 Recurrence:** this incident recurs %s (started %s): same root cause %s and system %s.\n\n",
			mdRef(rec.Earlier), date(rec.Earlier.Started), mdCodes(rec.Causes), mdCodes(rec.Systems))
		if rec.ActionDidNotPrevent {
			b.WriteString("> [!WARNING]\n> **Corrective action did not prevent recurrence.** The earlier incident's actions done before this one started:\n")
			for _, a := range rec.DoneActions {
				fmt.Fprintf(b, "> - %s (%s)\n", md(a.Title), actionMeta(a))
			}
			b.WriteString("\n")
		}
	}
	if len(f.RecurredBy) > 0 {
		var refs []string
		for _, x := range f.RecurredBy {
			refs = append(refs, mdRef(x))
		}
		fmt.Fprintf(b, "**Recurred later by:** %s.\n\n", strings.Join(refs, ", "))
	}
}

// actionMeta is "P1, done 2025-01-02, SEC-12" for an action.
func actionMeta(a Action) string {
	var parts []string
	if a.Priority != "" {
		parts = append(parts, md(a.Priority))
	}
	if a.DoneOn != "" {
		parts = append(parts, "done "+a.DoneOn)
	} else if a.Due != "" {
		parts = append(parts, "due "+a.Due)
	}
	if a.Ticket != "" {
		parts = append(parts, md(a.Ticket))
	}
	return strings.Join(parts, ", ")
}

func mdCodes(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = mdCode(s)
	}
	return strings.Join(q, ", ")
}

func mdSimilar(b *strings.Builder, f *File) {
	if len(f.Similar) == 0 {
		b.WriteString("**Similar incidents:** none found.\n\n")
		return
	}
	b.WriteString("**Similar incidents**\n\n| # | incident | started | why similar | in `related:` |\n|---|---|---|---|---|\n")
	for i, s := range f.Similar {
		var why []string
		if len(s.Causes) > 0 {
			why = append(why, "cause "+mdCodes(s.Causes))
		}
		if len(s.Systems) > 0 {
			why = append(why, "system "+mdCodes(s.Systems))
		}
		if len(s.Terms) > 0 {
			q := make([]string, len(s.Terms))
			for k, t := range s.Terms {
				q[k] = "“" + md(t) + "”"
			}
			why = append(why, "words "+strings.Join(q, ", "))
		}
		in := "not yet"
		if s.InRelated {
			in = "✅"
		}
		if len(why) == 0 {
			why = append(why, "wording")
		}
		fmt.Fprintf(b, "| %d | %s | %s | %s | %s |\n", i+1, mdRef(s.Ref), date(s.Started), strings.Join(why, "; "), in)
	}
	b.WriteString("\n")
	if f.RelatedLine != "" {
		lang := "yaml"
		if strings.HasPrefix(f.RelatedLine, "related =") {
			lang = "toml"
		} else if strings.HasPrefix(f.RelatedLine, `"`) {
			lang = "json"
		}
		line := plain(f.RelatedLine)
		fe := fence(line)
		fmt.Fprintf(b, "Link them from the front matter (%s not listed yet):\n\n%s%s\n%s\n%s\n\n", plural(len(f.MissingRelated), "incident"), fe, lang, line, fe)
	}
}

func mdVocabulary(b *strings.Builder, f *File) {
	if len(f.Vocabulary) == 0 {
		return
	}
	b.WriteString("**Vocabulary**\n\n")
	for _, v := range f.Vocabulary {
		what := "is not in the vocabulary of `hindsight.yaml`"
		if v.Problem == Unused {
			what = "is used by no other postmortem"
		}
		fmt.Fprintf(b, "- %s %s %s", v.Kind, mdCode(v.Slug), what)
		if len(v.DidYouMean) > 0 {
			fmt.Fprintf(b, ": did you mean %s?", orList(v.DidYouMean))
		} else if v.Problem == Unused {
			b.WriteString(" (new: no existing slug is close)")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

func orList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = mdCode(s)
	}
	return strings.Join(q, " or ")
}

func mdContext(b *strings.Builder, f *File) {
	c := &f.Context
	fmt.Fprintf(b, "**Context** (since %s): %s its root causes or systems", c.From.Format("2006-01-02"), plural(c.Incidents, "other incident shares", "other incidents share"))
	var loads []string
	for _, l := range c.Causes {
		loads = append(loads, fmt.Sprintf("cause %s %d", mdCode(l.Slug), l.Incidents))
	}
	for _, l := range c.Systems {
		s := fmt.Sprintf("system %s %d", mdCode(l.Slug), l.Incidents)
		if l.Owner != "" {
			s += " (owner " + md(l.Owner) + ")"
		}
		loads = append(loads, s)
	}
	if len(loads) > 0 {
		b.WriteString(": " + strings.Join(loads, " · "))
	}
	b.WriteString(".\n\n")
	if len(c.Actions) == 0 {
		b.WriteString("No open corrective actions on its systems.\n\n")
		return
	}
	summary := plural(len(c.Actions), "open action") + " on its systems"
	if c.Overdue > 0 {
		summary += fmt.Sprintf(", %d overdue", c.Overdue)
	}
	summary += ": the team may already own the fix"
	fmt.Fprintf(b, "<details><summary>%s</summary>\n\n| action | of | owner | priority | due |\n|---|---|---|---|---|\n", summary)
	for i, a := range c.Actions {
		if i == maxActions {
			fmt.Fprintf(b, "| … and %d more | | | | |\n", len(c.Actions)-i)
			break
		}
		due := a.Due
		if a.Overdue {
			due = "**" + due + " (overdue)**"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", md(a.Title), mdRef(a.Of), md(a.Owner), md(a.Priority), due)
	}
	b.WriteString("\n</details>\n\n")
}

// plural is "1 error" or "2 errors" (pl, when given, is the plural).
func plural(n int, word string, pl ...string) string {
	if n == 1 {
		return "1 " + word
	}
	if len(pl) > 0 {
		return fmt.Sprintf("%d %s", n, pl[0])
	}
	return fmt.Sprintf("%d %ss", n, word)
}
