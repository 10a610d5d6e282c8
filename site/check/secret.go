package check

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/hindsight-kb/hindsight/site/check/internal/wordscan"
	"github.com/hindsight-kb/hindsight/site/diag"
)

// secret reports credential-looking text anywhere in a file: front matter,
// prose and code blocks alike, since postmortems quote logs and configs.
type secret struct{}

func (secret) ID() string { return "secret" }

// secretPattern is one kind of credential. The regexp runs only when one of
// the (lower-case) triggers occurs in the file, which keeps the rule cheap
// on a large KB. Group 1, when present, is the secret value itself (the
// part reported); group 2, when present, is the part of it that is random
// (after a fixed prefix such as "ghp_"), the part that must be entirely a
// placeholder for the value to count as redacted.
//
// The provider patterns follow the facts of gitleaks' published rule set
// (github.com/gitleaks/gitleaks, config/gitleaks.toml): prefixes, lengths
// and alphabets. gitleaks itself is not used as a library: its default
// detector takes about 7 s of processor time per thousand postmortems
// (hindsight check of a 10,000-postmortem KB must take under 3 s) and
// brings some seventy modules (viper, archive readers, a WebAssembly
// runtime) and package-level state (viper, zerolog).
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
	// wordStart is set when a trigger counts only at the start of a word
	// (the regexp starts with \b): "sk1" in "task1" is not Twilio's.
	wordStart bool
	// literal, when set, is how a match starts, case and all (the
	// regexp has no (?i)): a trigger written otherwise does not run the
	// regexp ("skew" is not Twilio's "SK").
	literal string
}

// candidate reports whether the trigger of sp found at src[at:end] may
// start a match, so that the regexp is run on its line: the quick tests
// of wordStart, literal and (for the generic pattern) an assignment.
func (sp *secretPattern) candidate(src []byte, at, end int) bool {
	switch {
	case sp.wordStart && at > 0 && isAlnum(src[at-1]):
		return false
	case sp.literal != "" && (len(src)-at < len(sp.literal) || string(src[at:at+len(sp.literal)]) != sp.literal):
		return false
	case sp.entropy > 0 && !assignAfter(src, end):
		return false
	}
	return true
}

// hexTriggers returns prefix followed by each hexadecimal digit, so that a
// two-letter prefix such as Twilio's "SK" still has three-byte triggers.
func hexTriggers(prefix string) []string {
	var out []string
	for _, c := range "0123456789abcdef" {
		out = append(out, prefix+string(c))
	}
	return out
}

var secretPatterns = []secretPattern{
	{name: "an AWS access key id", wordStart: true, triggers: []string{"akia", "asia"},
		re: regexp.MustCompile(`\b((?:AKIA|ASIA)([0-9A-Z]{16}))\b`)},
	{name: "an AWS secret access key", triggers: []string{"aws_secret", "awssecret"},
		re: regexp.MustCompile(`(?i)aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})\b`)},
	{name: "a private key block", triggers: []string{"private key"}, block: true,
		re: regexp.MustCompile(`(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)`)},
	{name: "a GitHub token", wordStart: true, triggers: []string{"ghp_", "gho_", "ghs_", "ghu_", "ghr_"},
		re: regexp.MustCompile(`\b(gh[pousr]_([A-Za-z0-9]{36,255}))\b`)},
	{name: "a GitHub fine-grained token", wordStart: true, triggers: []string{"github_pat_"},
		re: regexp.MustCompile(`\b(github_pat_([A-Za-z0-9_]{22,255}))\b`)},
	{name: "a GitLab token", wordStart: true, triggers: []string{"glpat-"},
		re: regexp.MustCompile(`\b(glpat-([A-Za-z0-9_-]{20,300}))`)},
	{name: "a Slack token", wordStart: true, triggers: []string{"xox"},
		re: regexp.MustCompile(`\b(xox[baprs]-([A-Za-z0-9-]{10,}))`)},
	{name: "a Slack app token", wordStart: true, triggers: []string{"xapp-"},
		re: regexp.MustCompile(`\b(xapp-\d-([A-Za-z0-9-]{10,}))`)},
	{name: "a Slack webhook URL", triggers: []string{"hooks.slack.com"},
		re: regexp.MustCompile(`(https://hooks\.slack\.com/(?:services|workflows)/(?:[A-Za-z0-9_-]+/)*([A-Za-z0-9_-]{8,}))`)},
	{name: "a Stripe live secret key", triggers: []string{"_live_"},
		re: regexp.MustCompile(`\b((?:sk|rk)_live_([A-Za-z0-9]{16,}))`)},
	{name: "a Google API key", wordStart: true, triggers: []string{"aiza"},
		re: regexp.MustCompile(`\b(AIza([0-9A-Za-z_-]{35}))`)},
	{name: "a JSON Web Token", wordStart: true, triggers: []string{"eyj"},
		re: regexp.MustCompile(`\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.([A-Za-z0-9_-]{8,}))`)},
	{name: "an npm token", wordStart: true, triggers: []string{"npm_"},
		re: regexp.MustCompile(`\b(npm_([A-Za-z0-9]{36}))\b`)},
	{name: "a SendGrid API key", wordStart: true, triggers: []string{"sg."},
		re: regexp.MustCompile(`\b(SG\.([A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}))`)},
	{name: "an OpenAI API key", triggers: []string{"sk-proj-", "sk-svcacct-", "sk-admin-", "t3blbkfj"},
		re: regexp.MustCompile(`\b(sk-(?:proj|svcacct|admin)-([A-Za-z0-9_-]{40,})|sk-([A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}))`)},
	{name: "an Anthropic API key", wordStart: true, triggers: []string{"sk-ant-"},
		re: regexp.MustCompile(`\b(sk-ant-[a-z]+\d*-([A-Za-z0-9_-]{40,}))`)},
	{name: "a HashiCorp Vault token", wordStart: true, triggers: []string{"hvs.", "hvb."},
		re: regexp.MustCompile(`\b(hv[sb]\.([A-Za-z0-9_-]{24,}))`)},
	{name: "a Twilio API key", wordStart: true, literal: "SK", triggers: hexTriggers("sk"),
		re: regexp.MustCompile(`\b(SK([0-9a-fA-F]{32}))\b`)},
	{name: "a PyPI upload token", wordStart: true, triggers: []string{"pypi-agei"},
		re: regexp.MustCompile(`\b(pypi-AgEIcHlwaS5vcmc([A-Za-z0-9_-]{50,}))`)},
	{name: "a Shopify access token", wordStart: true, triggers: []string{"shpat_", "shpca_", "shppa_", "shpss_"},
		re: regexp.MustCompile(`\b(shp(?:at|ca|pa|ss)_([a-fA-F0-9]{32}))\b`)},
	{name: "an Azure storage account key", triggers: []string{"accountkey", "account_key"},
		re: regexp.MustCompile(`(?i)\baccount_?key["']?\s*[:=]\s*["']?([A-Za-z0-9+/]{40,}={0,2})`)},
	{name: "an Azure shared access signature", triggers: []string{"sig="},
		re: regexp.MustCompile(`[?&;]sig=((?:[A-Za-z0-9+/]|%2[BbFf]){30,})`)},
	{name: "an HTTP Authorization header", triggers: []string{"authorization"},
		re: regexp.MustCompile(`(?i)\bauthorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+([A-Za-z0-9._~+/=-]{8,})`)},
	{name: "a password in a URL", triggers: []string{"://"},
		re: regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s/:@"'<>]*:([^\s/@"'<>]{2,})@[A-Za-z0-9.-]+`)},
	{name: "a password or key in an assignment", entropy: 3.3,
		triggers: []string{"pass", "pwd", "secret", "key", "token", "credential"},
		re:       regexp.MustCompile(`(?i)\b(?:[a-z0-9_]*(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|client[_-]?secret|credentials?|token))["']?\s*(?:=|:=|:|=>)\s*["']?([^\s"'` + "`" + `,;]{12,})`)},
}

// referenceRE matches values that stand for a secret without being one: a
// description in brackets ("<your token>", "[redacted]"), a variable
// ("$TOKEN", "${TOKEN}", "%TOKEN%") or a template ("{{ .token }}").
var referenceRE = regexp.MustCompile(`^(?:<[A-Za-z _.-]*>|\[[A-Za-z _.-]*\]|\$\{[A-Za-z0-9_.:-]*\}|\{\{[^{}]*\}\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%)$`)

// placeholderWords are the words a redacted value may consist of, once the
// filler around them ("xxx", "***", "…") is trimmed.
var placeholderWords = map[string]bool{
	"redacted": true, "removed": true, "hidden": true, "masked": true, "example": true,
	"placeholder": true, "dummy": true, "changeme": true, "password": true, "secret": true,
}

// placeholderFill is what a redacted value is made of: x's, stars, dots,
// ellipses, bullets, dashes, zeros.
const placeholderFill = "x*.…•·_-=#0 "

// placeholder reports whether a value is entirely a placeholder: filler
// only, a placeholder word in filler ("xxxREDACTEDxxx"), a reference
// ("<redacted>", "${TOKEN}"), or one of AWS's documentation keys, which end
// in EXAMPLE or EXAMPLEKEY. A value that merely contains filler
// ("ghp_xxxR4nd…") is not one.
func placeholder(s string) bool {
	if referenceRE.MatchString(s) || strings.HasSuffix(s, "EXAMPLE") || strings.HasSuffix(s, "EXAMPLEKEY") {
		return true
	}
	t := strings.Trim(strings.ToLower(s), placeholderFill)
	return t == "" || placeholderWords[t]
}

// secretScan finds the triggers of every secret pattern in one pass.
var secretScan = wordscan.Of(secretPatterns, func(sp secretPattern) []string { return sp.triggers })

// assignAfter reports whether an assignment (":", "=", ":=", "=>")
// follows the identifier that contains the word ending at end, allowing a
// closing quote and spaces: the quick filter of the generic pattern.
func assignAfter(text []byte, end int) bool {
	lower := text
	i := end
	for i < len(lower) && (isIdent(wordscan.LowerByte(lower[i])) || lower[i] == '-') {
		i++
	}
	for i < len(lower) && (lower[i] == '"' || lower[i] == '\'' || lower[i] == ' ' || lower[i] == '\t') {
		i++
	}
	return i < len(lower) && (lower[i] == ':' || lower[i] == '=')
}

// isAlnum reports whether c is a word byte of a regexp's \b.
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
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
	wordscan.Words(secretScan, src, func(at, end, ls, pat int) {
		sp := &secretPatterns[pat]
		if !sp.candidate(src, at, end) {
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
		pat        int
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
			body := val
			for g := 4; g+1 < len(m); g += 2 {
				if m[g] >= 0 {
					body = string(src[l.start+m[g] : l.start+m[g+1]])
					break
				}
			}
			if sp.block {
				if !pemBody(src[l.start+ve:]) {
					continue
				}
			} else if placeholder(body) || placeholder(val) {
				continue
			}
			if sp.entropy > 0 && (entropy(val) < sp.entropy || !mixed(val)) {
				continue
			}
			hits = append(hits, hit{start: l.start + vs, end: l.start + ve, pat: l.pat, name: sp.name, value: val})
		}
	}
	if len(hits) == 0 {
		return nil
	}
	// At the same offset the first pattern wins: the specific ones come
	// before the URL and generic ones.
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].start != hits[j].start {
			return hits[i].start < hits[j].start
		}
		return hits[i].pat < hits[j].pat
	})
	var out []diag.Diagnostic
	lastEnd := -1
	for _, h := range hits {
		if h.start < lastEnd {
			continue // the same text matched by a broader pattern
		}
		lastEnd = h.end
		msg := fmt.Sprintf("this looks like %s (%s); remove it, rotate the credential if it was real, and quote it redacted (e.g. %s)",
			h.name, mask(h.value), mask(h.value))
		if d.Body != nil {
			msg += "; if it is not a secret, put <!-- hindsight-ignore secret --> on the line before"
		}
		out = append(out, errorf(d.Path, d.Position(h.start), "secret", msg))
	}
	return out
}

// pemBody reports whether the text after a PEM header holds key material:
// at least 40 characters on lines of base64 alone that are not
// placeholders ("xxxx", "REDACTED", "…"). Prose after a quoted header and
// an elided block are not key material. A JSON string's "\n" counts as a
// line break, as in a service account file.
func pemBody(rest []byte) bool {
	if end := bytes.Index(rest, []byte("-----END")); end >= 0 {
		rest = rest[:end]
	} else if len(rest) > 4096 {
		rest = rest[:4096]
	}
	n := 0
	for _, line := range strings.FieldsFunc(strings.ReplaceAll(string(rest), `\n`, "\n"), func(r rune) bool { return r == '\n' || r == '\r' }) {
		line = strings.Trim(line, " \t\"',")
		if len(line) < 16 || placeholder(line) || strings.Trim(line, base64Chars) != "" {
			continue
		}
		n += len(line)
	}
	return n >= 40
}

// base64Chars are the characters of base64 text.
const base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="

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
