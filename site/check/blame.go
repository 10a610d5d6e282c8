package check

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// blameLanguage warns about phrasing that blames people rather than
// explaining what let the mistake happen. It reads prose only: quoted logs
// and code are left alone.
type blameLanguage struct{}

func (blameLanguage) ID() string { return "blame-language" }

type blamePhrase struct {
	// triggers are lower-case words, one of which starts the phrase; the
	// regexp runs only where a trigger starts a word.
	triggers []string
	// re matches the phrase at the start of the (lower-cased) text.
	re      *regexp.Regexp
	suggest string
}

func phrase(triggers []string, pattern, suggest string) blamePhrase {
	return blamePhrase{triggers, regexp.MustCompile(`^(?:` + pattern + `)\b`), suggest}
}

var blamePhrases = []blamePhrase{
	phrase([]string{"human"}, `human\s+errors?`, "describe the conditions that made the mistake possible (a missing guard rail, an unclear runbook, a confusing interface)"),
	phrase([]string{"careless"}, `careless(?:ly|ness)?`, "describe what made the step easy to get wrong and what would make it safe"),
	phrase([]string{"should have"}, `should\s+have\s+(?:known|noticed|caught|seen|checked|realized|realised)`, "describe what information was missing or hard to find at the time, and how to surface it"),
	phrase([]string{"negligen"}, `negligen(?:ce|t|tly)`, "describe the gap in process or tooling that allowed this"),
	phrase([]string{"fault"}, `fault\s+of`, "describe the contributing factors in the system rather than whose fault it was"),
	phrase([]string{"his fault", "her fault", "their fault", "your fault", "my fault", "our fault"}, `(?:his|her|their|your|my|our)\s+fault`, "describe the contributing factors in the system rather than whose fault it was"),
	phrase([]string{"to blame"}, `to\s+blame`, "describe what contributed to the incident rather than who is to blame"),
	phrase([]string{"stupid", "dumb", "idiot"}, `stupid(?:ity)?|dumb|idiot(?:ic)?`, "describe the decision and the information available when it was made"),
	phrase([]string{"incompeten"}, `incompeten(?:t|ce)`, "describe the training, documentation or tooling that was missing"),
	phrase([]string{"sloppy", "lazy", "reckless"}, `sloppy|lazy|reckless(?:ly)?`, "describe what made the risky path the easy one"),
	phrase([]string{"failed to"}, `failed\s+to\s+(?:notice|check|follow|see|catch|verify)`, "say what did not make the problem visible (e.g. \"the alert did not show …\", \"the runbook did not include …\")"),
	phrase([]string{"messed", "screwed"}, `(?:messed|screwed)\s+up`, "describe the change and its effect neutrally"),
	phrase([]string{"didn't bother", "didnt bother", "did not bother"}, `did(?:n'?t|\s+not)\s+bother`, "describe what made the step seem unnecessary at the time"),
}

// blameScan finds the trigger words of every phrase in one pass.
var blameScan = scannerOf(blamePhrases, func(bp blamePhrase) []string { return bp.triggers })

// runPart maps a piece of the joined prose back to the file.
type runPart struct {
	at  int // offset in the joined text
	off int // offset in the file
	pos diag.Pos
}

func (blameLanguage) Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic {
	prose := p.Body.Prose
	if len(prose) == 0 {
		return nil
	}
	// Most files blame nobody: look for a trigger word first, without
	// allocating, and join the prose only when one is there.
	found := false
	var window [64]byte
	for _, sp := range prose {
		t := sp.Text
		scanWordStarts(blameScan, t, func(at, _, i int) {
			if found {
				return
			}
			if len(t)-at < 40 {
				found = true // the phrase may go on in the next run
				return
			}
			n := copy(window[:], t[at:])
			for j := range n {
				window[j] = lowerByte(window[j])
			}
			found = blamePhrases[i].re.Match(window[:n])
		})
		if found {
			break
		}
	}
	// A phrase with a line break inside ("should\nhave known") has its
	// trigger in neither run: look across each boundary too (a hit there
	// only sends the file to the exact pass below).
	for k := 1; k < len(prose) && !found; k++ {
		a, b := prose[k-1].Text, prose[k].Text
		a, b = a[len(a)-min(len(a), 24):], b[:min(len(b), 24)]
		n := copy(window[:], a)
		window[n] = ' '
		n += 1 + copy(window[n+1:], b)
		scanWordStarts(blameScan, window[:n], func(at, end, _ int) {
			found = found || at < len(a) && end > len(a)
		})
	}
	if !found {
		return nil
	}
	// Join the prose runs: spans separated only by white space (a soft line
	// break) with a space, so a phrase split over two lines is still found;
	// others with a NUL, which no phrase crosses.
	var b []byte
	parts := make([]runPart, 0, len(prose))
	prevEnd := -1
	for _, sp := range prose {
		if prevEnd >= 0 && sp.Offset != prevEnd {
			// (goldmark splits some text runs with no gap: join those
			// as they are.)
			if sp.Offset > prevEnd && onlySpace(p.Source, prevEnd, sp.Offset) {
				b = append(b, ' ')
			} else {
				b = append(b, 0)
			}
		}
		parts = append(parts, runPart{at: len(b), off: sp.Offset, pos: sp.Pos})
		b = append(b, sp.Text...)
		prevEnd = sp.Offset + len(sp.Text)
	}
	lower := asciiLower(b)
	var out []diag.Diagnostic
	scanWordStarts(blameScan, lower, func(at, end, i int) {
		bp := blamePhrases[i]
		limit := min(len(lower), at+60)
		m := bp.re.FindIndex(lower[at:limit])
		if m == nil {
			return
		}
		out = append(out, diag.Diagnostic{File: p.Path, Pos: locate(parts, at, p), Severity: diag.Warning, Rule: "blame-language",
			Message: fmt.Sprintf("%q blames people; blameless postmortems %s", b[at:at+m[1]], bp.suggest)})
	})
	return out
}

// isWordByte reports whether c can be inside a word (ASCII letters,
// digits, '_', and bytes of multi-byte UTF-8 letters).
func isWordByte(c byte) bool {
	return isIdent(c) || c >= 0x80
}

// onlySpace reports whether src[from:to] is white space; without the
// source, spans are never joined.
func onlySpace(src []byte, from, to int) bool {
	if src == nil || to > len(src) || from > to {
		return false
	}
	for _, c := range src[from:to] {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '>' {
			return false
		}
	}
	return true
}

// locate returns the file position of offset at of the joined text.
func locate(parts []runPart, at int, p *postmortem.Postmortem) diag.Pos {
	i := sort.Search(len(parts), func(i int) bool { return parts[i].at > at }) - 1
	if i < 0 {
		i = 0
	}
	part := parts[i]
	delta := at - part.at
	if p.Lines != nil {
		return p.Position(part.off + delta)
	}
	return diag.Pos{Line: part.pos.Line, Col: part.pos.Col + delta}
}
