package review

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/check/report"
)

// Values from the knowledge base are untrusted (SPEC §9): whoever opens
// the pull request writes the titles, slugs and messages the review
// quotes. The Markdown printer writes them as text that GitHub cannot
// read as markup (no links, images, HTML, mentions, table cells or
// lines of their own); the text printer escapes control characters, so
// a value cannot drive a terminal or forge a line of a CI log.

// unsafeRune reports the characters that are never written as they are
// (report.Unsafe: controls, line and paragraph separators, bidirectional
// controls).
func unsafeRune(r rune) bool { return report.Unsafe(r) }

// plain returns s with unsafe characters and invalid bytes written as Go
// escapes (\n, \x1b, \u202e), for text output, as check's printers do.
func plain(s string) string { return report.Printable(s) }

// md returns s as inline Markdown text that renders as the same
// characters and nothing else, on one line and inside a table cell:
// HTML and entity starts, link and image brackets, emphasis, code,
// mentions (@), issue references (#) and cell separators (|) are
// escaped; unsafe characters become spaces.
func md(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1, unsafeRune(r):
			b.WriteByte(' ')
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '|':
			b.WriteString("&#124;")
		case r == '@':
			b.WriteString("&#64;")
		case r == '#':
			b.WriteString("&#35;")
		case r == ':':
			b.WriteString("&#58;") // no "javascript:", no :emoji: codes, no autolinks
		case strings.ContainsRune("\\`*_[]()!~.$", r): // "." breaks www. autolinks; "$" GitHub maths
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode returns a slug, id, path or git ref as inline code when it is
// made of letters, digits and "._/-" only, else as md text (front matter
// that failed validation may still be quoted).
func mdCode(s string) string {
	safe := s != ""
	for i := 0; i < len(s) && safe; i++ {
		c := s[i]
		safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._/-", c) >= 0
	}
	if safe {
		return "`" + s + "`"
	}
	return md(s)
}

// fence returns a code fence longer than any run of backticks in s.
func fence(s string) string {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// mdURL returns u for a Markdown link destination inside (...): only the
// published site's http(s) addresses are linked (config checks
// base_url; ids and slugs are URL-safe), and the characters that could
// end the destination are percent-encoded.
func mdURL(u string) string {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>\"'\\`|[]", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
