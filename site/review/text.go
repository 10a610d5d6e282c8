package review

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// ANSI styles of the text printer.
const (
	bold   = "\x1b[1m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	dim    = "\x1b[2m"
	reset  = "\x1b[0m"
)

// PrintText writes r for a terminal: a block per changed postmortem and
// a summary line, coloured when o.Color. Every value from the knowledge
// base has its control characters escaped.
func PrintText(w io.Writer, r *Report, o PrintOptions) error {
	c := func(code, s string) string {
		if !o.Color {
			return s
		}
		return code + s + reset
	}
	var b strings.Builder
	for i := range r.Files {
		textFile(&b, &r.Files[i], o.PathPrefix, c)
	}
	if len(r.Other) > 0 {
		b.WriteString(c(bold, "other changed files") + "\n")
		for _, d := range r.Other {
			b.WriteString("  " + textDiag(d, o.PathPrefix, c) + "\n")
		}
		b.WriteString("\n")
	}
	s := r.Summary
	if s.Files == 0 && len(r.Other) == 0 {
		if r.Since != "" {
			fmt.Fprintf(&b, "nothing to review: no postmortem was added or changed since %s\n", plain(r.Since))
		} else {
			b.WriteString("nothing to review: no postmortem was named\n")
		}
	} else {
		fmt.Fprintf(&b, "%s reviewed: %s, %s, %s, %s to link, %s to check\n", plural(s.Files, "postmortem"),
			plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Recurrences, "recurrence"),
			plural(s.MissingRelated, "incident"), plural(s.Vocabulary, "cause or system", "causes or systems"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func textDiag(d Diagnostic, prefix string, c func(code, s string) string) string {
	where := d.where(prefix)
	sev := c(yellow+bold, d.Severity)
	if d.Severity == "error" {
		sev = c(red+bold, d.Severity)
	}
	return fmt.Sprintf("%s: %s: %s %s", c(bold, where), sev, plain(d.Message), c(dim, "["+plain(d.Rule)+"]"))
}

// textRef is `id "Title" (2025-01-02)`, with the URL when there is one.
func textRef(x Ref) string {
	s := fmt.Sprintf("%s \"%s\"", plain(x.ID), plain(x.Title))
	if d := date(x.Started); d != "" {
		s += " (" + d + ")"
	}
	if x.URL != "" {
		s += " " + plain(x.URL)
	}
	return s
}

func textFile(b *strings.Builder, f *File, prefix string, c func(code, s string) string) {
	head := plain(prefix + f.Path)
	if f.Title != "" {
		head += " — " + plain(f.Title)
	}
	b.WriteString(c(bold, head) + "\n")
	var meta []string
	for _, m := range []string{f.Severity, f.Status, date(f.Started)} {
		if m != "" {
			meta = append(meta, plain(m))
		}
	}
	if f.RenamedFrom != "" {
		meta = append(meta, "renamed from "+plain(prefix+f.RenamedFrom))
	}
	if len(meta) > 0 {
		b.WriteString("  " + strings.Join(meta, " · ") + "\n")
	}
	fmt.Fprintf(b, "  checks: %s, %s\n", plural(f.Errors, "error"), plural(f.Warnings, "warning"))
	for _, d := range f.Diagnostics {
		b.WriteString("    " + textDiag(d, prefix, c) + "\n")
	}
	if f.Note != "" {
		fmt.Fprintf(b, "  not compared with the knowledge base: %s\n\n", f.Note)
		return
	}
	textRecurrence(b, f, c)
	textSimilar(b, f, c)
	textContext(b, f, c)
	b.WriteString("\n")
}

// textRecurrence writes the recurrence lines of f.
func textRecurrence(b *strings.Builder, f *File, c func(code, s string) string) {
	if rec := f.Recurrence; rec != nil {
		fmt.Fprintf(b, "  %s recurs %s: root cause %s, system %s\n", c(bold, "recurrence:"), textRef(rec.Earlier),
			plain(strings.Join(rec.Causes, ", ")), plain(strings.Join(rec.Systems, ", ")))
		if rec.ActionDidNotPrevent {
			b.WriteString("    " + c(red+bold, "corrective action did not prevent recurrence") + "; done before this incident started:\n")
			for _, a := range rec.DoneActions {
				fmt.Fprintf(b, "      - %s (%s)\n", plain(a.Title), plain(actionText(a)))
			}
		}
	}
	for _, x := range f.RecurredBy {
		fmt.Fprintf(b, "  recurred later by %s\n", textRef(x))
	}
}

// textSimilar writes the similar incidents of f, the related: line and
// the vocabulary findings.
func textSimilar(b *strings.Builder, f *File, c func(code, s string) string) {
	if len(f.Similar) > 0 {
		b.WriteString("  " + c(bold, "similar incidents:") + "\n")
		for i, s := range f.Similar {
			var why []string
			if len(s.Causes) > 0 {
				why = append(why, "cause "+strings.Join(s.Causes, ", "))
			}
			if len(s.Systems) > 0 {
				why = append(why, "system "+strings.Join(s.Systems, ", "))
			}
			if len(s.Terms) > 0 {
				why = append(why, "words "+strings.Join(s.Terms, ", "))
			}
			if len(why) == 0 {
				why = append(why, "wording")
			}
			in := c(yellow, "not in related")
			if s.InRelated {
				in = "in related"
			}
			fmt.Fprintf(b, "    %d. %s — %s [%s]\n", i+1, textRef(s.Ref), plain(strings.Join(why, "; ")), in)
		}
	} else {
		b.WriteString("  similar incidents: none found\n")
	}
	if f.RelatedLine != "" {
		fmt.Fprintf(b, "  add to the front matter: %s\n", plain(f.RelatedLine))
	}
	for _, v := range f.Vocabulary {
		what := "is not in the vocabulary"
		if v.Problem == Unused {
			what = "is used by no other postmortem"
		}
		fmt.Fprintf(b, "  %s %s %s %s", c(bold, "vocabulary:"), v.Kind, plain(v.Slug), what)
		if len(v.DidYouMean) > 0 {
			fmt.Fprintf(b, "; did you mean %s?", plain(strings.Join(v.DidYouMean, " or ")))
		}
		b.WriteString("\n")
	}
}

// textContext writes the 12-month context of f and the open actions on
// its systems.
func textContext(b *strings.Builder, f *File, c func(code, s string) string) {
	ctx := &f.Context
	fmt.Fprintf(b, "  context since %s: %s its root causes or systems", ctx.From.Format("2006-01-02"), plural(ctx.Incidents, "other incident shares", "other incidents share"))
	var loads []string
	for _, l := range ctx.Causes {
		loads = append(loads, fmt.Sprintf("cause %s %d", plain(l.Slug), l.Incidents))
	}
	for _, l := range ctx.Systems {
		loads = append(loads, fmt.Sprintf("system %s %d", plain(l.Slug), l.Incidents))
	}
	if len(loads) > 0 {
		b.WriteString(" (" + strings.Join(loads, ", ") + ")")
	}
	b.WriteString("\n")
	if len(ctx.Actions) > 0 {
		fmt.Fprintf(b, "  %s on its systems, %d overdue:\n", plural(len(ctx.Actions), "open action"), ctx.Overdue)
		for i, a := range ctx.Actions {
			if i == maxActions {
				fmt.Fprintf(b, "    … and %d more (--format json lists them all)\n", len(ctx.Actions)-i)
				break
			}
			tag := ""
			if a.Overdue {
				tag = c(red, "overdue") + " "
			}
			fmt.Fprintf(b, "    - %s%s — %s, %s\n", tag, plain(a.Title), plain(a.Of.ID), plain(actionText(a)))
		}
	}
}

// actionText is "owner, P1, due 2025-01-02, SEC-12".
func actionText(a Action) string {
	var parts []string
	for _, s := range []string{a.Owner, a.Priority} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if a.DoneOn != "" {
		parts = append(parts, "done "+a.DoneOn)
	} else if a.Due != "" {
		parts = append(parts, "due "+a.Due)
	}
	if a.Ticket != "" {
		parts = append(parts, a.Ticket)
	}
	return strings.Join(parts, ", ")
}

// PrintJSON writes r as one indented JSON object (every field).
func PrintJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
