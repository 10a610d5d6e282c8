package query

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/diag"
)

// ClauseKind is the kind of one query clause.
type ClauseKind int

const (
	// Word is a bare word: it must appear (stemmed) in the title, body or
	// keywords.
	Word ClauseKind = iota
	// Phrase is a quoted phrase: its words in this order in one field.
	Phrase
	// Filter is field:value[,value…]: the postmortem has one of the values.
	Filter
	// After is after:DATE: started on or after DATE.
	After
	// Before is before:DATE: started before DATE.
	Before
)

// Clause is one part of a query.
type Clause struct {
	Kind ClauseKind
	// Text is the word or the phrase, as typed.
	Text string
	// Field is the filter's field name as documented (cause, system,
	// severity, category, status, data, technique, id).
	Field string
	// Values are a filter's values as typed (compared case-insensitively);
	// for After and Before, the one date (YYYY, YYYY-MM or YYYY-MM-DD).
	Values []string
	// Col is the 1-based column (in characters) where the clause starts.
	Col int
}

// Query is a parsed query: every clause must hold.
type Query struct {
	Clauses []Clause
}

// Empty reports whether the query has no clause.
func (q *Query) Empty() bool { return len(q.Clauses) == 0 }

// ParseError is a query that cannot be parsed.
type ParseError struct {
	// Col is the 1-based column (in characters) of the problem.
	Col int
	Msg string
}

// Error returns "col N: message".
func (e *ParseError) Error() string { return fmt.Sprintf("col %d: %s", e.Col, e.Msg) }

// filterFields are the names a field filter may use, each mapped to its
// documented name (see FieldNames).
var filterFields = map[string]string{
	"cause":      "cause",
	"causes":     "cause",
	"system":     "system",
	"systems":    "system",
	"severity":   "severity",
	"category":   "category",
	"status":     "status",
	"data":       "data",
	"technique":  "technique",
	"techniques": "technique",
	"id":         "id",
}

// FieldNames returns the documented filter names, after: and before:
// included, sorted.
func FieldNames() []string {
	return []string{"after", "before", "category", "cause", "data", "id", "severity", "status", "system", "technique"}
}

// canonicalField maps an accepted field name to its documented name.
func canonicalField(name string) string { return filterFields[name] }

// Limits of one query, the same for the CLI, serve and the static search
// page: past them Parse returns a *ParseError saying the limit, so a
// huge query costs nothing but that error.
const (
	// MaxBytes is the longest query accepted, in bytes.
	MaxBytes = 1000
	// MaxTerms is the most terms a query may hold: each word, each
	// word of a phrase, each filter value and each date counts one.
	MaxTerms = 32
)

// Parse parses the query language described in the package
// documentation. A query over MaxBytes or MaxTerms is a
// *ParseError.
func Parse(s string) (*Query, error) {
	if len(s) > MaxBytes {
		cut := MaxBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return nil, &ParseError{Col: utf8.RuneCountInString(s[:cut]) + 1,
			Msg: fmt.Sprintf("the query is too long: %d bytes, over the limit of %d bytes; shorten it", len(s), MaxBytes)}
	}
	p := &parser{src: []rune(s)}
	q, err := p.parse()
	if err != nil {
		return nil, err
	}
	n := 0
	for _, c := range q.Clauses {
		if n += c.terms(); n > MaxTerms {
			return nil, &ParseError{Col: c.Col,
				Msg: fmt.Sprintf("the query has more than %d terms (words, words of phrases, filter values and dates), the limit; remove some from here on", MaxTerms)}
		}
	}
	return q, nil
}

// terms is how many terms the clause counts for MaxTerms.
func (c Clause) terms() int {
	switch c.Kind {
	case Word:
		return 1
	case Phrase:
		return len(strings.Fields(c.Text))
	}
	return len(c.Values)
}

type parser struct {
	src []rune
	i   int
}

func (p *parser) errf(col int, format string, args ...any) error {
	return &ParseError{Col: col, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) parse() (*Query, error) {
	q := &Query{}
	for {
		for p.i < len(p.src) && unicode.IsSpace(p.src[p.i]) {
			p.i++
		}
		if p.i >= len(p.src) {
			return q, nil
		}
		col := p.i + 1
		if p.src[p.i] == '"' {
			text, err := p.quoted()
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(text) != "" {
				q.Clauses = append(q.Clauses, Clause{Kind: Phrase, Text: text, Col: col})
			}
			continue
		}
		start := p.i
		for p.i < len(p.src) && !unicode.IsSpace(p.src[p.i]) && p.src[p.i] != '"' {
			p.i++
		}
		word := string(p.src[start:p.i])
		c, err := p.clause(word, col)
		if err != nil {
			return nil, err
		}
		q.Clauses = append(q.Clauses, c)
	}
}

// quoted reads a "…" string starting at p.i.
func (p *parser) quoted() (string, error) {
	open := p.i
	p.i++
	start := p.i
	for p.i < len(p.src) && p.src[p.i] != '"' {
		p.i++
	}
	if p.i >= len(p.src) {
		return "", p.errf(open+1, "unclosed quote: add a closing \" to end the phrase")
	}
	text := string(p.src[start:p.i])
	p.i++
	return text, nil
}

// clause turns a bare run of characters into a word or a filter.
func (p *parser) clause(word string, col int) (Clause, error) {
	colon := strings.IndexByte(word, ':')
	if colon <= 0 || !isFieldName(word[:colon]) {
		return Clause{Kind: Word, Text: word, Col: col}, nil
	}
	name := strings.ToLower(word[:colon])
	rest := word[colon+1:]
	restCol := col + len([]rune(word[:colon])) + 1
	_, isFilter := filterFields[name]
	isDate := name == "after" || name == "before"
	if !isFilter && !isDate {
		if rest == "" || strings.HasPrefix(rest, "/") {
			// "error:" or a URL: plain text.
			return Clause{Kind: Word, Text: word, Col: col}, nil
		}
		msg := fmt.Sprintf("unknown field %q", word[:colon+1])
		if sug := diag.Suggest(name, FieldNames(), 1); len(sug) > 0 {
			msg += fmt.Sprintf("; did you mean %q?", sug[0]+":")
		}
		return Clause{}, p.errf(col, "%s (fields: %s; to search for the text, put it in quotes)", msg, strings.Join(withColons(FieldNames()), " "))
	}
	if rest == "" && p.i < len(p.src) && p.src[p.i] == '"' {
		qcol := p.i + 1
		v, err := p.quoted()
		if err != nil {
			return Clause{}, err
		}
		rest = v
		restCol = qcol + 1
		if strings.TrimSpace(v) == "" {
			return Clause{}, p.errf(qcol, "empty value for %s:", name)
		}
	}
	if rest == "" {
		return Clause{}, p.errf(restCol, "missing value after %s: (write %s:VALUE with no space)", name, name)
	}
	if isDate {
		d, err := normDate(rest)
		if err != nil {
			return Clause{}, p.errf(restCol, "bad date %q for %s: %s", rest, name, err)
		}
		kind := After
		if name == "before" {
			kind = Before
		}
		return Clause{Kind: kind, Field: name, Values: []string{d}, Col: col}, nil
	}
	var vals []string
	vcol := restCol
	for _, v := range strings.Split(rest, ",") {
		t := strings.TrimSpace(v)
		if t == "" {
			return Clause{}, p.errf(vcol, "empty value in %s: list (write %s:a,b)", name, name)
		}
		vals = append(vals, t)
		vcol += len([]rune(v)) + 1
	}
	return Clause{Kind: Filter, Field: canonicalField(name), Values: vals, Col: col}, nil
}

func withColons(ns []string) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n + ":"
	}
	return out
}

func isFieldName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_') {
			return false
		}
	}
	return s != ""
}

// normDate checks a YYYY, YYYY-MM or YYYY-MM-DD date and returns it.
func normDate(s string) (string, error) {
	layouts := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}
	l, ok := layouts[len(s)]
	if !ok {
		return "", fmt.Errorf("use YYYY-MM-DD, YYYY-MM or YYYY")
	}
	if _, err := time.Parse(l, s); err != nil {
		return "", fmt.Errorf("not a real date; use YYYY-MM-DD, YYYY-MM or YYYY")
	}
	return s, nil
}

// DateStart returns the first instant of a YYYY[-MM[-DD]] date in loc.
func DateStart(d string, loc *time.Location) time.Time {
	y, m, day := 0, 1, 1
	fmt.Sscanf(d, "%4d", &y)
	if len(d) >= 7 {
		fmt.Sscanf(d[5:7], "%2d", &m)
	}
	if len(d) >= 10 {
		fmt.Sscanf(d[8:10], "%2d", &day)
	}
	return time.Date(y, time.Month(m), day, 0, 0, 0, 0, loc)
}

// String formats the query back into the query language.
func (q *Query) String() string {
	parts := make([]string, 0, len(q.Clauses))
	for _, c := range q.Clauses {
		switch c.Kind {
		case Word:
			parts = append(parts, c.Text)
		case Phrase:
			parts = append(parts, `"`+c.Text+`"`)
		default:
			vals := append([]string(nil), c.Values...)
			sort.Strings(vals)
			v := strings.Join(vals, ",")
			if strings.IndexFunc(v, unicode.IsSpace) >= 0 {
				// A value with a space was typed quoted; unquoted it
				// would end at the space.
				v = `"` + v + `"`
			}
			parts = append(parts, c.Field+":"+v)
		}
	}
	return strings.Join(parts, " ")
}
