package check

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/hindsight-kb/hindsight/site/diag"
)

// secret reports credential-looking text anywhere in a file: front matter,
// prose and code blocks alike, since postmortems quote logs and configs.
type secret struct{}

func (secret) ID() string { return "secret" }

// secretPattern is one kind of credential. The regexp runs only when one of
// the (lower-case) triggers occurs in the file, which keeps the rule cheap
// on a large KB. Group 1, when present, is the secret value itself (the
// part checked against the redaction allowlist and reported).
type secretPattern struct {
	name     string
	triggers []string
	re       *regexp.Regexp
	// block marks a PEM header: the lines after it are the secret, and
	// a redacted or empty block is fine.
	block bool
	// entropy, when > 0, is the minimum Shannon entropy (bits per
	// character) of the value for generic assignments.
	entropy float64
}

var secretPatterns = []secretPattern{
	{name: "an AWS access key id", triggers: []string{"akia", "asia"},
		re: regexp.MustCompile(`\b((?:AKIA|ASIA)[0-9A-Z]{16})\b`)},
	{name: "an AWS secret access key", triggers: []string{"secret"},
		re: regexp.MustCompile(`(?i)aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})\b`)},
	{name: "a private key block", triggers: []string{"private key"}, block: true,
		re: regexp.MustCompile(`(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)`)},
	{name: "a GitHub token", triggers: []string{"ghp_", "gho_", "ghs_", "ghu_", "ghr_"},
		re: regexp.MustCompile(`\b(gh[pousr]_[A-Za-z0-9]{36,255})\b`)},
	{name: "a GitHub fine-grained token", triggers: []string{"github_pat_"},
		re: regexp.MustCompile(`\b(github_pat_[A-Za-z0-9_]{22,255})\b`)},
	{name: "a Slack token", triggers: []string{"xox"},
		re: regexp.MustCompile(`\b(xox[baprs]-[A-Za-z0-9-]{10,})`)},
	{name: "a Slack webhook URL", triggers: []string{"hooks.slack.com"},
		re: regexp.MustCompile(`(https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9_/-]{20,})`)},
	{name: "a Stripe live secret key", triggers: []string{"_live_"},
		re: regexp.MustCompile(`\b((?:sk|rk)_live_[A-Za-z0-9]{16,})`)},
	{name: "a Google API key", triggers: []string{"aiza"},
		re: regexp.MustCompile(`\b(AIza[0-9A-Za-z_-]{35})`)},
	{name: "a JSON Web Token", triggers: []string{"eyj"},
		re: regexp.MustCompile(`\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})`)},
	{name: "a password in a URL", triggers: []string{"://"},
		re: regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s/:@"'<>]+:([^\s/@"'<>]{3,})@[A-Za-z0-9.-]+`)},
	{name: "a password or key in an assignment", entropy: 3.3,
		triggers: []string{"pass", "pwd", "secret", "key", "token", "credential"},
		re:       regexp.MustCompile(`(?i)\b(?:[a-z0-9_]*(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|client[_-]?secret|credentials?|token))["']?\s*(?:=|:=|:|=>)\s*["']?([^\s"'` + "`" + `,;]{12,})`)},
}

// redactedRE matches values that are obviously redacted or examples.
var redactedRE = regexp.MustCompile(`(?i)\*{3,}|redacted|x{3,}|<[^>]*>|example|\$\{|\{\{|^\$[A-Z_]+$|placeholder|dummy|changeme|your[_-]`)

// secretScan finds the triggers of every secret pattern in one pass.
var secretScan = scannerOf(secretPatterns, func(sp secretPattern) []string { return sp.triggers })

// assignAfter reports whether an assignment (":", "=", ":=", "=>")
// follows the identifier that contains the word ending at end, allowing a
// closing quote and spaces: the quick filter of the generic pattern.
func assignAfter(text []byte, end int) bool {
	lower := text
	i := end
	for i < len(lower) && (isIdent(lowerByte(lower[i])) || lower[i] == '-') {
		i++
	}
	for i < len(lower) && (lower[i] == '"' || lower[i] == '\'' || lower[i] == ' ' || lower[i] == '\t') {
		i++
	}
	return i < len(lower) && (lower[i] == ':' || lower[i] == '=')
}

func isIdent(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
}

func (secret) CheckText(c *Context, d *Doc) []diag.Diagnostic {
	src := d.Source
	if len(src) == 0 {
		return nil
	}
	type line struct{ pat, start int }
	var lines []line
	scanWords(secretScan, src, func(at, end, ls, pat int) {
		if secretPatterns[pat].entropy > 0 && !assignAfter(src, end) {
			return
		}
		for _, l := range lines {
			if l.pat == pat && l.start == ls {
				return
			}
		}
		lines = append(lines, line{pat, ls})
	})
	if len(lines) == 0 {
		return nil
	}
	type hit struct {
		start, end int
		name       string
		value      string
	}
	var hits []hit
	for _, l := range lines {
		sp := &secretPatterns[l.pat]
		le := bytes.IndexByte(src[l.start:], '\n')
		if le < 0 {
			le = len(src)
		} else {
			le += l.start
		}
		for _, m := range sp.re.FindAllSubmatchIndex(src[l.start:le], -1) {
			vs, ve := m[0], m[1]
			if len(m) >= 4 && m[2] >= 0 {
				vs, ve = m[2], m[3]
			}
			val := string(src[l.start+vs : l.start+ve])
			if redactedRE.MatchString(val) || (sp.block && !pemBody(src[l.start+ve:])) {
				continue
			}
			if sp.entropy > 0 && (entropy(val) < sp.entropy || !mixed(val)) {
				continue
			}
			hits = append(hits, hit{start: l.start + vs, end: l.start + ve, name: sp.name, value: val})
		}
	}
	if len(hits) == 0 {
		return nil
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
	var out []diag.Diagnostic
	lastEnd := -1
	for _, h := range hits {
		if h.start < lastEnd {
			continue // the same text matched by a broader pattern
		}
		lastEnd = h.end
		out = append(out, errorf(d.Path, d.Position(h.start), "secret",
			fmt.Sprintf("this looks like %s (%s); remove it, rotate the credential if it was real, and quote it redacted (e.g. %s); if it is not a secret, put <!-- hindsight-ignore secret --> on the line before",
				h.name, mask(h.value), mask(h.value))))
	}
	return out
}

// pemBody reports whether the text after a PEM header holds key material
// (not redacted, not elided).
func pemBody(rest []byte) bool {
	if end := bytes.Index(rest, []byte("-----END")); end >= 0 {
		rest = rest[:end]
	} else if len(rest) > 400 {
		rest = rest[:400]
	}
	if redactedRE.Match(rest) {
		return false
	}
	n := 0
	for _, c := range rest {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
			n++
		}
	}
	return n >= 40
}

// mask keeps a few leading characters of a secret so the message says
// which one is meant without printing it (CI logs are not private).
func mask(s string) string {
	r := []rune(s)
	keep := 4
	if len(r) <= 8 {
		keep = 1
	}
	if strings.HasPrefix(s, "-----") {
		return s
	}
	if strings.HasPrefix(s, "https://hooks.slack.com/") {
		return "https://hooks.slack.com/services/****"
	}
	return string(r[:keep]) + strings.Repeat("*", 8)
}

// entropy returns the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	h := 0.0
	n := float64(len(s))
	for _, c := range counts {
		if c == 0 {
			continue
		}
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	return h
}

// plainValueRE matches values that are names, not secrets: dates and
// lower-case words joined by '-', '_' or '.'.
var plainValueRE = regexp.MustCompile(`^(?:\d{4}-\d{2}-\d{2}.*|[a-z]+(?:[-_.][a-z0-9]+)+|[a-z]+)$`)

// mixed reports whether s looks random enough for a generic assignment:
// letters and digits, or upper- and lower-case letters, and not a name.
func mixed(s string) bool {
	var lo, up, dg bool
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			lo = true
		case r >= 'A' && r <= 'Z':
			up = true
		case r >= '0' && r <= '9':
			dg = true
		}
	}
	if plainValueRE.MatchString(s) {
		return false
	}
	return (dg && (lo || up)) || (lo && up && len(s) >= 16)
}
