package check

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// blameLanguage warns about phrasing that blames people rather than
// explaining what let the mistake happen. It reads prose only: quoted logs
// and code are left alone.
type blameLanguage struct{}

func (blameLanguage) ID() string { return "blame-language" }

type blamePhrase struct {
	re      *regexp.Regexp
	suggest string
}

var blamePhrases = []blamePhrase{
	{regexp.MustCompile(`(?i)\bhuman\s+errors?\b`), "describe the conditions that made the mistake possible (a missing guard rail, an unclear runbook, a confusing interface)"},
	{regexp.MustCompile(`(?i)\bcareless(?:ly|ness)?\b`), "describe what made the step easy to get wrong and what would make it safe"},
	{regexp.MustCompile(`(?i)\bshould\s+have\s+(?:known|noticed|caught|seen|checked|realized|realised)\b`), "describe what information was missing or hard to find at the time, and how to surface it"},
	{regexp.MustCompile(`(?i)\bnegligen(?:ce|t|tly)\b`), "describe the gap in process or tooling that allowed this"},
	{regexp.MustCompile(`(?i)\b(?:the\s+)?fault\s+of\b`), "describe the contributing factors in the system rather than whose fault it was"},
	{regexp.MustCompile(`(?i)\b(?:his|her|their|your|my|our)\s+fault\b`), "describe the contributing factors in the system rather than whose fault it was"},
	{regexp.MustCompile(`(?i)\b(?:is|are|was|were)\s+to\s+blame\b`), "describe what contributed to the incident rather than who is to blame"},
	{regexp.MustCompile(`(?i)\bstupid(?:ity)?\b|\bdumb\b|\bidiot(?:ic)?\b`), "describe the decision and the information available when it was made"},
	{regexp.MustCompile(`(?i)\bincompeten(?:t|ce)\b`), "describe the training, documentation or tooling that was missing"},
	{regexp.MustCompile(`(?i)\b(?:sloppy|lazy|reckless(?:ly)?)\b`), "describe what made the risky path the easy one"},
	{regexp.MustCompile(`(?i)\bfailed\s+to\s+(?:notice|check|follow|see|catch|verify)\b`), "say what did not make the problem visible (e.g. \"the alert did not show …\", \"the runbook did not include …\")"},
	{regexp.MustCompile(`(?i)\b(?:messed|screwed)\s+up\b`), "describe the change and its effect neutrally"},
	{regexp.MustCompile(`(?i)\bdidn'?t\s+bother\b|\bdid\s+not\s+bother\b`), "describe what made the step seem unnecessary at the time"},
}

// proseRun is the joined text of consecutive prose spans of one
// paragraph, with the source offset of each piece.
type proseRun struct {
	text  strings.Builder
	parts []runPart
}

type runPart struct {
	at  int // offset in text
	off int // offset in the file
	pos diag.Pos
}

func (blameLanguage) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	prose := p.Body.Prose
	if len(prose) == 0 {
		return nil
	}
	var out []diag.Diagnostic
	scan := func(r *proseRun) {
		s := r.text.String()
		for _, bp := range blamePhrases {
			for _, m := range bp.re.FindAllStringIndex(s, -1) {
				pos := r.locate(m[0], p)
				out = append(out, diag.Diagnostic{File: p.Path, Pos: pos, Severity: diag.Warning, Rule: "blame-language",
					Message: fmt.Sprintf("%q blames people; blameless postmortems %s", s[m[0]:m[1]], bp.suggest)})
			}
		}
	}
	r := &proseRun{}
	prevEnd := -1
	for _, sp := range prose {
		// Spans separated only by white space (a soft line break) are read
		// as one text, so a phrase split over two lines is still found.
		if prevEnd >= 0 && !(sp.Offset >= prevEnd && onlySpace(p.Source, prevEnd, sp.Offset)) {
			scan(r)
			r = &proseRun{}
		} else if prevEnd >= 0 {
			r.text.WriteByte(' ')
		}
		r.parts = append(r.parts, runPart{at: r.text.Len(), off: sp.Offset, pos: sp.Pos})
		r.text.WriteString(sp.Text)
		prevEnd = sp.Offset + len(sp.Text)
	}
	scan(r)
	return out
}

// onlySpace reports whether src[from:to] is white space; without the
// source, spans are never joined.
func onlySpace(src []byte, from, to int) bool {
	if src == nil || to > len(src) || from > to {
		return false
	}
	for _, b := range src[from:to] {
		if b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != '>' {
			return false
		}
	}
	return true
}

// locate returns the file position of offset at of the joined text.
func (r *proseRun) locate(at int, p *postmortem.Postmortem) diag.Pos {
	part := r.parts[0]
	for _, x := range r.parts[1:] {
		if x.at > at {
			break
		}
		part = x
	}
	delta := at - part.at
	if p.Lines != nil {
		return p.Position(part.off + delta)
	}
	return diag.Pos{Line: part.pos.Line, Col: part.pos.Col + delta}
}
