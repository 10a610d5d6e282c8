package check

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/hindsight-kb/hindsight/site/check/internal/wordscan"
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
	// kind says where the phrase's target is, for blames (see excused).
	kind blameKind
}

// blameKind is the grammatical role of a blaming phrase, which says where
// to look for whom it blames.
type blameKind int

const (
	// blameVerb ("failed to notice", "should have known", "carelessly"):
	// the subject before it.
	blameVerb blameKind = iota
	// blameAdjective ("careless", "sloppy"): the noun right after it, or
	// else the subject before it ("the script was stupid").
	blameAdjective
	// blameNoun ("human error", "negligence", "fault of"): the owner
	// after of/by ("negligence of the operator") or before it ("the
	// script's stupidity").
	blameNoun
	// blamePerson ("their fault"): a person by its own words.
	blamePerson
)

func phrase(kind blameKind, triggers []string, pattern, suggest string) blamePhrase {
	return blamePhrase{triggers, regexp.MustCompile(`^(?:` + pattern + `)\b`), suggest, kind}
}

var blamePhrases = []blamePhrase{
	phrase(blameNoun, []string{"human"}, `human\s+errors?`, "describe the conditions that made the mistake possible (a missing guard rail, an unclear runbook, a confusing interface)"),
	phrase(blameAdjective, []string{"careless"}, `careless(?:ly|ness)?`, "describe what made the step easy to get wrong and what would make it safe"),
	phrase(blameVerb, []string{"should have"}, `should\s+have\s+(?:known|noticed|caught|seen|checked|realized|realised)`, "describe what information was missing or hard to find at the time, and how to surface it"),
	phrase(blameAdjective, []string{"negligen"}, `negligen(?:ce|t|tly)`, "describe the gap in process or tooling that allowed this"),
	phrase(blameNoun, []string{"fault"}, `fault\s+of`, "describe the contributing factors in the system rather than whose fault it was"),
	phrase(blamePerson, []string{"his fault", "her fault", "their fault", "your fault", "my fault", "our fault"}, `(?:his|her|their|your|my|our)\s+fault`, "describe the contributing factors in the system rather than whose fault it was"),
	phrase(blameVerb, []string{"to blame"}, `to\s+blame`, "describe what contributed to the incident rather than who is to blame"),
	phrase(blameAdjective, []string{"stupid", "dumb", "idiot"}, `stupid(?:ity)?|dumb|idiot(?:ic)?`, "describe the decision and the information available when it was made"),
	phrase(blameAdjective, []string{"incompeten"}, `incompeten(?:t|ce)`, "describe the training, documentation or tooling that was missing"),
	phrase(blameAdjective, []string{"sloppy", "lazy", "reckless"}, `sloppy|lazy|reckless(?:ly)?`, "describe what made the risky path the easy one"),
	phrase(blameVerb, []string{"failed to"}, `failed\s+to\s+(?:notice|check|follow|see|catch|verify)`, "say what did not make the problem visible (e.g. \"the alert did not show …\", \"the runbook did not include …\")"),
	phrase(blameVerb, []string{"messed", "screwed"}, `(?:messed|screwed)\s+up`, "describe the change and its effect neutrally"),
	phrase(blameVerb, []string{"didn't bother", "didnt bother", "did not bother"}, `did(?:n'?t|\s+not)\s+bother`, "describe what made the step seem unnecessary at the time"),
}

// blameScan finds the trigger words of every phrase in one pass.
var blameScan = wordscan.Of(blamePhrases, func(bp blamePhrase) []string { return bp.triggers })

// joinEdges are the bytes, in either case, on each side of a space in a
// trigger: a trigger spans the boundary of two prose runs (a line break,
// which stands for its space) only when the first run ends with a byte of
// last and the second starts with one of first.
var joinEdges = func() (e struct{ last, first [256]bool }) {
	for _, bp := range blamePhrases {
		for _, t := range bp.triggers {
			for i := 1; i+1 < len(t); i++ {
				if t[i] == ' ' {
					e.last[t[i-1]], e.last[upperByte(t[i-1])] = true, true
					e.first[t[i+1]], e.first[upperByte(t[i+1])] = true, true
				}
			}
		}
	}
	return e
}()

// upperByte is the upper-case form of an ASCII lower-case letter, other
// bytes as they are.
func upperByte(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// blameWindow is the size of the buffer a trigger's phrase is matched in,
// and the text around a boundary of two prose runs looked at (2 ×
// joinReach + 1 bytes, TestJoinReach).
const blameWindow = 64

// joinReach is how far a trigger that spans the boundary of two prose
// runs reaches into each: at most its length less one (the space that
// stands for the line break is in it).
var joinReach = func() int {
	n := 0
	for _, bp := range blamePhrases {
		for _, t := range bp.triggers {
			n = max(n, len(t)-1)
		}
	}
	return n
}()

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
	var window [blameWindow]byte
	for _, sp := range prose {
		t := sp.Text
		wordscan.WordStarts(blameScan, t, func(at, _, i int) {
			if found {
				return
			}
			if len(t)-at < 40 {
				found = true // the phrase may go on in the next run
				return
			}
			n := copy(window[:], t[at:])
			for j := range n {
				window[j] = wordscan.LowerByte(window[j])
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
		if a == "" || b == "" || !joinEdges.last[a[len(a)-1]] || !joinEdges.first[b[0]] {
			continue // no trigger has a space between these two bytes
		}
		a, b = a[len(a)-min(len(a), joinReach):], b[:min(len(b), joinReach)]
		n := copy(window[:], a)
		window[n] = ' '
		n += 1 + copy(window[n+1:], b)
		wordscan.WordStarts(blameScan, window[:n], func(at, end, _ int) {
			found = found || at < len(a) && end > len(a)
		})
	}
	if !found {
		return nil
	}
	// Join the prose runs, each gap between two as joinGap says: a phrase
	// split over two lines or around emphasis is still found, and the
	// words around a phrase stay in their sentence.
	var b []byte
	parts := make([]runPart, 0, len(prose))
	prevEnd := -1
	for _, sp := range prose {
		if prevEnd >= 0 && sp.Offset != prevEnd {
			// (goldmark splits some text runs with no gap: join those
			// as they are.)
			b = append(b, joinGap(p.Source, prevEnd, sp.Offset)...)
		}
		parts = append(parts, runPart{at: len(b), off: sp.Offset, pos: sp.Pos})
		b = append(b, sp.Text...)
		prevEnd = sp.Offset + len(sp.Text)
	}
	lower := wordscan.ASCIILower(b)
	var out []diag.Diagnostic
	wordscan.WordStarts(blameScan, lower, func(at, end, i int) {
		bp := blamePhrases[i]
		limit := min(len(lower), at+60)
		m := bp.re.FindIndex(lower[at:limit])
		if m == nil || excused(lower, at, at+m[1], bp.kind) {
			return
		}
		out = append(out, diag.Diagnostic{File: p.Path, Pos: locate(parts, at, p), Severity: diag.Warning, Rule: "blame-language",
			Message: fmt.Sprintf("%q blames people; blameless postmortems %s", b[at:at+m[1]], bp.suggest)})
	})
	return out
}

// Separators of the joined prose, which no phrase crosses.
const (
	// gapBlock ends a block (paragraph, list item, heading): words are
	// not looked for across it.
	gapBlock = "\x00"
	// gapInline is markup inside a line (a link's target, a table's
	// column bar): the sentence goes on.
	gapInline = "\x01"
	// gapCode is an inline code span: the sentence goes on, and the span
	// is a thing, not a person ("`cleanup.sh` failed to check").
	gapCode = "\x02"
)

// joinGap returns what stands for src[from:to], the text between two
// prose runs: a space for white space with at most one line break (a
// soft break, a block quote's '>'), nothing for emphasis marks, and else
// one of the gap separators. Without the source, every gap is a block's.
func joinGap(src []byte, from, to int) string {
	if src == nil || to > len(src) || from > to {
		return gapBlock
	}
	gap := src[from:to]
	breaks, space, emphasis := 0, true, true
	for _, c := range gap {
		switch c {
		case '\n':
			breaks++
			emphasis = false
		case ' ', '\t', '\r', '>':
			emphasis = false
		case '*', '_', '~':
			space = false
		default:
			space, emphasis = false, false
		}
	}
	// A code span that starts the next block still stands in its
	// sentence: "`cleanup.sh` failed to check".
	lastLine := gap[bytes.LastIndexByte(gap, '\n')+1:]
	switch {
	case breaks >= 2 || breaks > 0 && !space:
		if bytes.IndexByte(lastLine, '`') >= 0 {
			return gapBlock + gapCode
		}
		return gapBlock
	case space:
		return " "
	case emphasis:
		return ""
	case bytes.IndexByte(gap, '`') >= 0:
		return gapCode
	}
	return gapInline
}

// excused reports whether the phrase at text[at:end] (lower-cased joined
// prose) blames nobody, by a heuristic over the words around it that a
// writer can predict:
//
//   - it is inside double quotes ("called it “really stupid”"): a quote,
//     not the report's own words;
//   - a negation or a guard rail comes just before it ("not human error",
//     "checks that prevent human error", "rather than blame human error",
//     "reduce the chance of human error"), or a negation right after it
//     ("human error was not the cause");
//   - what it is said of is a thing (a script, a test, an alert, a code
//     span…), not a person: the subject of a verb ("the tests failed to
//     catch"), the noun an adjective qualifies ("sloppy code", "lazy
//     loading") or the owner of a noun ("fault of the load balancer").
//
// Anything else is reported, so a person, a name or an unclear subject
// ("it was human error", "Bob should have known") still is.
func excused(text []byte, at, end int, kind blameKind) bool {
	if quoted(text, at) {
		return true
	}
	before, after := wordsBefore(text, at), wordsAfter(text, end)
	if framed(before, after) {
		return true
	}
	for _, w := range before {
		if w.w == "whoever" {
			return false // "whoever approved it is to blame"
		}
	}
	phrase := string(text[at:end])
	switch {
	case kind == blamePerson:
		return false
	case kind == blameAdjective && strings.HasSuffix(phrase, "ly"):
		// "carelessly", "recklessly": an adverb. In the passive ("the
		// bucket was carelessly left open") its hidden agent is a person.
		if len(before) > 0 && beForms[before[0].w] {
			return false
		}
		kind = blameVerb
	case kind == blameAdjective && (strings.HasSuffix(phrase, "ness") || strings.HasSuffix(phrase, "ce") || strings.HasSuffix(phrase, "ity")):
		kind = blameNoun // "carelessness", "negligence", "stupidity"
	}
	switch kind {
	case blameNoun:
		// The owner: "the script's stupidity", "negligence of the
		// operator", "fault of the load balancer".
		if len(before) > 0 && before[0].possessive {
			return isThing(before[0].w)
		}
		rest := after
		if !strings.HasSuffix(phrase, " of") {
			rest = afterOwner(after)
		}
		return isThing(firstContent(rest))
	case blameAdjective:
		if len(after) > 0 {
			if isThing(after[0].w) {
				return true // "sloppy code", "lazy loading"
			}
			if isPerson(after[0].w) {
				return false // "careless engineer"
			}
		}
	}
	// The subject: "the tests failed to catch", "the rollout was
	// reckless", "`deploy.sh` failed to check".
	return isThing(firstContent(before))
}

// word is one word of the text around a phrase.
type word struct {
	w string
	// possessive is set when the word ended in 's ("the script's").
	possessive bool
}

// contextBytes bounds how far the words around a phrase are looked for.
const contextBytes = 160

// wordsBefore returns the words of the sentence before text[at], nearest
// first.
func wordsBefore(text []byte, at int) []word {
	from := max(0, at-contextBytes)
	for i := at - 1; i >= from; i-- {
		if text[i] == 0 || sentenceEnd(text, i) {
			from = i + 1
			break
		}
	}
	ws := words(text[from:at])
	slices.Reverse(ws)
	return ws
}

// wordsAfter returns the words of the sentence from text[end] on.
func wordsAfter(text []byte, end int) []word {
	to := min(len(text), end+contextBytes)
	for i := end; i < to; i++ {
		if text[i] == 0 || sentenceEnd(text, i) {
			to = i
			break
		}
	}
	return words(text[end:to])
}

// sentenceEnd reports whether text[i] ends a sentence or clause: one of
// . ! ? ; : followed by a space or the end ("deploy.sh", "v1.2" go on).
func sentenceEnd(text []byte, i int) bool {
	switch text[i] {
	case '.', '!', '?', ';', ':':
		return i+1 == len(text) || text[i+1] <= ' '
	}
	return false
}

// words splits b into words: letters, digits, '-', '_' and apostrophes;
// a code span (gapCode) is the word "`code`".
func words(b []byte) []word {
	var out []word
	var cur []rune
	flush := func() {
		w := strings.Trim(strings.ReplaceAll(string(cur), "’", "'"), "-'_")
		cur = cur[:0]
		if w == "" {
			return
		}
		poss := strings.HasSuffix(w, "'s")
		out = append(out, word{w: strings.TrimSuffix(w, "'s"), possessive: poss})
	}
	for _, r := range string(b) {
		switch {
		case r == rune(gapCode[0]):
			flush()
			out = append(out, word{w: "`code`"})
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '\'' || r == '’':
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// quoted reports whether text[at] is inside double quotes ("…" or “…”)
// opened in its block.
func quoted(text []byte, at int) bool {
	from := max(0, at-4*contextBytes)
	if i := bytes.LastIndexByte(text[from:at], 0); i >= 0 {
		from += i + 1
	}
	b := text[from:at]
	if bytes.Count(b, []byte{'"'})%2 == 1 {
		return true
	}
	return bytes.LastIndex(b, []byte("“")) > bytes.LastIndex(b, []byte("”"))
}

// framed reports whether the words around a phrase say it did not
// happen or is what a guard rail is for: a negation within the four
// words before it (in its clause), a word of prevention or contrast
// within the five before it, or "is not", "was never"… right after it.
func framed(before, after []word) bool {
	negate := true
	for i, w := range before {
		if i == 5 {
			break
		}
		if negate && i < 4 && isNegation(w.w) {
			return true
		}
		if blameFrames[w.w] || hasPrefixIn(w.w, blameFrameStems) {
			return true
		}
		if w.w == "and" || w.w == "or" {
			negate = false // "did not check and was careless"
		} else if clauseWords[w.w] {
			break
		}
	}
	if len(after) == 0 {
		return false
	}
	for _, w := range after[:min(2, len(after))] {
		if lessLikely[w.w] {
			return true // "make human error less likely", "harder"
		}
	}
	switch after[0].w {
	case "isn't", "wasn't", "aren't", "weren't":
		return true // "human error wasn't the cause"
	case "is", "was", "are", "were":
		for _, w := range after[1:min(3, len(after))] {
			if isNegation(w.w) || w.w == "symptom" || w.w == "rarely" || w.w == "seldom" {
				return true // "human error is never a root cause"
			}
		}
	}
	return false
}

// afterOwner returns the words after "of", "by" or "on the part of" at
// the start of after, or nil: a noun's owner follows them.
func afterOwner(after []word) []word {
	if len(after) > 0 && (after[0].w == "of" || after[0].w == "by") {
		return after[1:]
	}
	if len(after) > 3 && after[0].w == "on" && after[2].w == "part" && after[3].w == "of" {
		return after[4:]
	}
	return nil
}

// firstContent returns the first word of ws that is not a function word
// (article, auxiliary, adverb, relative pronoun), looking at most five
// words in, or "" when there is none. When the word after it names a
// person, that one is returned: the head of "the database team".
func firstContent(ws []word) string {
	for i, w := range ws {
		if i == 5 {
			break
		}
		if functionWords[w.w] {
			continue
		}
		if i+1 < len(ws) && !ws[i+1].possessive && isPerson(ws[i+1].w) {
			return ws[i+1].w
		}
		return w.w
	}
	return ""
}

func isNegation(w string) bool {
	return negations[w] || strings.HasSuffix(w, "n't")
}

// isThing reports whether w names a thing (a script, a process, a
// system…) rather than a person; plurals and compounds ("health-check")
// are looked up by their stem and last part.
func isThing(w string) bool { return inWordSet(blameThings, w) }

// isPerson reports whether w names a person or people.
func isPerson(w string) bool { return inWordSet(blamePeople, w) }

func inWordSet(set map[string]bool, w string) bool {
	if i := strings.LastIndexByte(w, '-'); i >= 0 && !set[w] {
		w = w[i+1:]
	}
	return set[w] || set[strings.TrimSuffix(w, "s")] || set[strings.TrimSuffix(w, "es")]
}

func hasPrefixIn(w string, stems []string) bool {
	for _, s := range stems {
		if strings.HasPrefix(w, s) {
			return true
		}
	}
	return false
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

var (
	negations = setOf("not", "no", "never", "nobody", "none", "neither", "nor", "without", "cannot", "nothing")
	// blameFrames and blameFrameStems are words of prevention or
	// contrast: "prevent human error", "rather than blame", "the risk of
	// human error", "tolerant of human error".
	// lessLikely, right after a phrase, is a guard rail's aim.
	lessLikely      = setOf("less", "unlikely", "impossible", "harder", "rarer")
	beForms         = setOf("was", "were", "is", "are", "been", "be", "being")
	blameFrames     = setOf("rather", "instead", "blaming", "against", "chance", "chances", "risk", "risks", "likelihood", "possibility", "room", "scope", "prone", "susceptible", "resilient", "robust", "tolerant", "forgiving", "proof", "lower", "fewer", "less")
	blameFrameStems = []string{"prevent", "avoid", "reduc", "minimi", "eliminat", "mitigat", "limit", "protect", "guard", "catch", "tolerat", "withstand", "resist", "detect"}
	// clauseWords end the clause a negation or a frame is looked for in.
	clauseWords = setOf("but", "because", "so", "since", "while", "although", "though", "when", "after", "before", "which", "who", "that", "then", "if", "until", "once", "as")
	// functionWords are passed over on the way to a subject or owner.
	functionWords = setOf("the", "a", "an", "this", "that", "these", "those", "which", "who", "whom", "also", "simply", "then",
		"still", "just", "all", "both", "clearly", "obviously", "really", "completely", "apparently", "entirely", "totally",
		"very", "so", "quite", "pretty", "too", "extremely", "was", "is", "were", "are", "be", "been", "being", "had", "has",
		"have", "would", "could", "might", "may", "must", "as", "seemed", "seems", "looked", "looks", "somewhat", "our",
		"their", "its", "his", "her", "my", "your", "to", "some", "any", "again", "ultimately", "itself", "themselves")
	// blamePeople are people, for "careless engineer".
	blamePeople = setOf("engineer", "developer", "dev", "operator", "admin", "administrator", "sre", "on-call", "oncall",
		"on-caller", "responder", "reviewer", "author", "employee", "staff", "contractor", "intern", "manager", "lead",
		"analyst", "technician", "team", "teammate", "colleague", "someone", "somebody", "person", "people", "human",
		"user", "he", "she", "they", "we", "i", "you", "him", "them", "us", "me")
	// blameThings are what postmortems say failed when no person did.
	blameThings = setOf("`code`", "script", "procedure", "process", "test", "testing", "check", "checklist", "alert",
		"alerting", "alarm", "monitor", "monitoring", "system", "service", "config", "configuration", "setting", "tool",
		"tooling", "pipeline", "deploy", "deployment", "rollout", "rollback", "release", "build", "job", "cron", "code",
		"change", "patch", "commit", "migration", "query", "runbook", "playbook", "dashboard", "automation", "validation",
		"linter", "lint", "bot", "workflow", "template", "doc", "docs", "documentation", "design", "architecture",
		"behavior", "behaviour", "logic", "api", "interface", "ui", "implementation", "setup", "default", "policy",
		"review", "framework", "library", "dependency", "dependencies", "suite", "coverage", "gate", "guard", "guardrail",
		"safeguard", "mechanism", "rule", "filter", "firewall", "scanner", "probe", "canary", "heuristic", "algorithm",
		"parser", "cache", "database", "db", "server", "cluster", "proxy", "balancer", "queue", "network", "dns",
		"certificate", "cert", "loading", "load", "initialization", "init", "evaluation", "pipe", "terminal", "bug",
		"retry", "retries", "timeout", "handler", "function", "method", "module", "feature", "flag", "toggle", "fallback",
		"failover", "command", "form", "field", "value", "file", "format", "schema", "metric", "threshold", "sensor",
		"daemon", "node", "host", "instance", "container", "pod", "image", "version", "upgrade", "update", "sdk",
		"endpoint", "request", "response", "input", "output", "log", "logging", "paging", "control", "controls",
		"tests", "processes", "procedures", "page", "step", "plan", "approach", "program", "software",
		"hardware", "disk", "replica", "controller", "cli", "integration", "environment", "staging")
)

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
