package render

import (
	"fmt"
	"strings"
)

// HTMLWriter appends HTML the way html/template writes it, for Go code
// that must write the same bytes as a template (site/page's compiled
// layouts): S appends a literal; Esc, URL and URLPart are html/template's
// escapers for text and quoted attribute values, a URL that starts an
// attribute, and a value in a URL's query or fragment, re-implemented
// (html_test.go compares them with html/template and fuzzes them).
type HTMLWriter struct{ B []byte }

// S appends lit as it is.
func (w *HTMLWriter) S(lit string) { w.B = append(w.B, lit...) }

// Esc writes s escaped for HTML text, a quoted attribute value or RCDATA
// (html/template's htmlEscaper, attrEscaper and rcdataEscaper agree on
// plain strings).
func (w *HTMLWriter) Esc(s string) { w.B = appendEscaped(w.B, s) }

func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, r...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

// URL writes a URL that starts an attribute value: html/template's
// urlFilter (only http, https and mailto schemes, else "#ZgotmplZ"),
// urlNormalizer and attrEscaper.
func (w *HTMLWriter) URL(s string) {
	if proto, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(proto, "/") {
		if !strings.EqualFold(proto, "http") && !strings.EqualFold(proto, "https") && !strings.EqualFold(proto, "mailto") {
			s = "#ZgotmplZ"
		}
	}
	w.B = appendEscaped(w.B, processURL(s, true))
}

// URLPart writes a value in a URL's query or fragment: html/template's
// urlEscaper and attrEscaper.
func (w *HTMLWriter) URLPart(s string) { w.B = appendEscaped(w.B, processURL(s, false)) }

// processURL is html/template's processURLOnto: it percent-encodes what
// is not unreserved (and, when norm, not reserved or a valid escape).
func processURL(s string, norm bool) string {
	var b []byte
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		if b == nil {
			b = make([]byte, 0, len(s)+16)
		}
		b = append(b, s[written:i]...)
		b = fmt.Appendf(b, "%%%02x", c)
		written = i + 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[written:]...))
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
