package frontmatter

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/tree"
)

// Decoder reads typed values out of a front matter tree: each one read
// keeps its position in Fields (by its path: "title", "tags[2]",
// "actions[1].owner"), set by the caller; one that cannot be read is
// reported in Problems, with a fix, and its path is taken out of Fields.
// A value that cannot be read leaves its destination as it was.
type Decoder struct {
	// File is the path of the file, for the problems.
	File string
	// Loc is the location local datetimes and dates are read in.
	Loc *time.Location
	// Fields are the positions of the values read.
	Fields map[string]diag.Pos
	// Problems receives the problems.
	Problems *[]diag.Diagnostic
	// Paths names the items of lists (List).
	Paths *Paths
}

// Datetime layouts accepted besides RFC 3339, read in the config timezone.
var localLayouts = []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05"}

// Problem reports an error at pos.
func (d *Decoder) Problem(pos diag.Pos, rule, format string, args ...any) {
	*d.Problems = append(*d.Problems, diag.Diagnostic{
		File: d.File, Pos: pos, Severity: diag.Error, Rule: rule, Message: fmt.Sprintf(format, args...),
	})
}

// WrongType reports that the value n at key is not what it must be
// (want).
func (d *Decoder) WrongType(key string, n *tree.Node, want string) {
	d.Problem(n.Pos, "invalid-value", "%s must be %s, got %s", key, want, n.Describe())
}

// Str reads the single text value of e into dst.
func (d *Decoder) Str(dst *string, e tree.Entry) {
	d.Text(dst, e.Key, e.Value, "a single text value")
}

// Text reads the scalar n at path into dst; want says what was expected.
func (d *Decoder) Text(dst *string, path string, n *tree.Node, want string) {
	s, ok := n.AsString()
	if !ok {
		d.WrongType(path, n, want)
		delete(d.Fields, path)
		return
	}
	*dst = strings.TrimSpace(s)
}

// Date reads the YYYY-MM-DD date n at path into dst.
func (d *Decoder) Date(dst *time.Time, path string, n *tree.Node) {
	d.timeValue(dst, path, n, parseDate, "a date such as 2025-04-30", "write the date as YYYY-MM-DD, e.g. 2025-04-30")
}

// timeValue reads n at path into dst with parse; what says the expected
// value for a wrong type, fix how to write it for a value that does not
// parse. A value that cannot be read leaves dst and is not a field.
func (d *Decoder) timeValue(dst *time.Time, path string, n *tree.Node, parse func(string, *time.Location) (time.Time, error), what, fix string) {
	s, ok := n.AsString()
	if !ok {
		d.WrongType(path, n, what)
		delete(d.Fields, path)
		return
	}
	t, err := parse(s, d.Loc)
	if err != nil {
		d.Problem(n.Pos, "invalid-value", "%s %q %v; %s", path, s, err, fix)
		delete(d.Fields, path)
		return
	}
	*dst = t
}

// Bool reads the true or false of e into dst.
func (d *Decoder) Bool(dst *bool, e tree.Entry) {
	b, ok := e.Value.AsBool()
	if !ok {
		d.WrongType(e.Key, e.Value, "true or false")
		delete(d.Fields, e.Key)
		return
	}
	*dst = b
}

// parseDateTime reads an RFC 3339 datetime or "2006-01-02 15:04" in loc.
func parseDateTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02 15:04:05Z07:00", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02 15:04Z07:00", s); err == nil {
		return t, nil
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	if _, err := time.Parse("2006-01-02", s); err == nil {
		return time.Time{}, errors.New("has a date but no time")
	}
	return time.Time{}, errors.New("is not a datetime")
}

// parseDate reads a YYYY-MM-DD date as midnight in loc.
func parseDate(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err == nil {
		return t, nil
	}
	// YAML and TOML may hand a date over with a zero time.
	if t, err2 := time.Parse(time.RFC3339, s); err2 == nil && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc), nil
	}
	return time.Time{}, errors.New("is not a date")
}

// DateTime reads the RFC 3339 (or config-timezone) time n at key into dst.
func (d *Decoder) DateTime(dst *time.Time, key string, n *tree.Node) {
	d.timeValue(dst, key, n, parseDateTime, "a datetime such as 2025-03-14T09:12:00Z",
		`write RFC 3339 (2025-03-14T09:12:00Z) or "2025-03-14 09:12" (read in the config timezone)`)
}

// Count reads the whole number of zero or more n at path into dst.
func (d *Decoder) Count(dst **int64, path string, n *tree.Node) {
	i, ok := n.AsInt()
	if !ok || i < 0 {
		d.WrongType(path, n, "a whole number of zero or more")
		delete(d.Fields, path)
		return
	}
	*dst = &i
}

// List reads a list of text values (or, if single, one value as a list
// of one), as tree.Node.AsStrings does, recording each item's position.
func (d *Decoder) List(e tree.Entry, single bool) []string {
	n := e.Value
	bad := n
	switch {
	case n.Kind == tree.Null:
		return nil
	case n.Kind == tree.Scalar && single:
		d.Fields[d.Paths.Index(e.Key, 0)] = n.Pos
		return []string{strings.TrimSpace(n.Value)}
	case n.Kind == tree.List:
		bad = nil
		for _, it := range n.Items {
			if it.Kind != tree.Scalar {
				bad = it
				break
			}
		}
	}
	if bad != nil {
		d.WrongType(e.Key, bad, "a list of text values, e.g. ["+e.Key+"-one, "+e.Key+"-two]")
		delete(d.Fields, e.Key)
		return nil
	}
	ss := make([]string, len(n.Items))
	for i, it := range n.Items {
		d.Fields[d.Paths.Index(e.Key, i)] = it.Pos
		ss[i] = strings.TrimSpace(it.Value)
	}
	return ss
}
