package frontmatter

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/tree"
)

// TestDecoder: each reader keeps a good value and the field's position;
// a bad one leaves the destination, drops the field and says what to
// write, at the value's position.
func TestDecoder(t *testing.T) {
	tests := []struct {
		yaml    string
		read    func(d *Decoder, e tree.Entry) any
		want    any
		problem string // part of the message; "" when none
	}{
		{`title: "  Disk full "`, func(d *Decoder, e tree.Entry) any { var s string; d.Str(&s, e); return s }, "Disk full", ""},
		{"title: [a, b]", func(d *Decoder, e tree.Entry) any { var s string; d.Str(&s, e); return s }, "", "title must be a single text value, got a list"},
		{"drill: true", func(d *Decoder, e tree.Entry) any { var b bool; d.Bool(&b, e); return b }, true, ""},
		{"drill: maybe", func(d *Decoder, e tree.Entry) any { var b bool; d.Bool(&b, e); return b }, false, "drill must be true or false"},
		{"n: 3", func(d *Decoder, e tree.Entry) any {
			var n *int64
			d.Count(&n, e.Key, e.Value)
			if n == nil {
				return int64(-1)
			}
			return *n
		}, int64(3), ""},
		{"n: -3", func(d *Decoder, e tree.Entry) any {
			var n *int64
			d.Count(&n, e.Key, e.Value)
			return n == nil
		}, true, "n must be a whole number of zero or more"},
		{"due: 2025-04-30", func(d *Decoder, e tree.Entry) any {
			var tm time.Time
			d.Date(&tm, e.Key, e.Value)
			return tm.Format(time.RFC3339)
		}, "2025-04-30T00:00:00+02:00", ""},
		{"due: 30/04/2025", func(d *Decoder, e tree.Entry) any { var tm time.Time; d.Date(&tm, e.Key, e.Value); return tm.IsZero() },
			true, `due "30/04/2025" is not a date; write the date as YYYY-MM-DD`},
		{"started: 2025-03-14 09:12", func(d *Decoder, e tree.Entry) any {
			var tm time.Time
			d.DateTime(&tm, e.Key, e.Value)
			return tm.Format(time.RFC3339)
		}, "2025-03-14T09:12:00+01:00", ""},
		{"started: 2025-03-14", func(d *Decoder, e tree.Entry) any {
			var tm time.Time
			d.DateTime(&tm, e.Key, e.Value)
			return tm.IsZero()
		},
			true, `started "2025-03-14" has a date but no time`},
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	for _, tc := range tests {
		root, err := new(tree.YAMLParser).Parse([]byte(tc.yaml), 2)
		if err != nil {
			t.Fatal(err)
		}
		e := root.Entries[0]
		var problems []diag.Diagnostic
		d := &Decoder{File: "x.md", Loc: berlin, Fields: map[string]diag.Pos{e.Key: e.Value.Pos}, Problems: &problems}
		if got := tc.read(d, e); got != tc.want {
			t.Errorf("%q: got %v, want %v", tc.yaml, got, tc.want)
		}
		_, kept := d.Fields[e.Key]
		switch {
		case tc.problem == "" && (len(problems) > 0 || !kept):
			t.Errorf("%q: problems %v, field kept %v", tc.yaml, problems, kept)
		case tc.problem != "" && (len(problems) != 1 || kept || !strings.Contains(problems[0].Message, tc.problem) ||
			problems[0].File != "x.md" || problems[0].Pos != e.Value.Pos):
			t.Errorf("%q: problems %v, field kept %v; want one at %v saying %q", tc.yaml, problems, kept, e.Value.Pos, tc.problem)
		}
	}
}

// TestPaths: the paths made once are those made on demand.
func TestPaths(t *testing.T) {
	p := NewPaths([]string{"tags"}, map[string][]string{"actions": {"owner"}}, map[string][]string{"impact": {"cost_usd"}})
	for _, tc := range []struct{ got, want string }{
		{p.Index("tags", 2), "tags[2]"}, {p.Index("tags", 40), "tags[40]"}, {p.Index("other", 1), "other[1]"},
		{p.Item("actions", 1, ""), "actions[1]"}, {p.Item("actions", 1, "owner"), "actions[1].owner"},
		{p.Item("actions", 1, "nope"), "actions[1].nope"}, {p.Item("actions", 99, "owner"), "actions[99].owner"},
		{p.Sub("impact", "cost_usd"), "impact.cost_usd"}, {p.Sub("impact", "x"), "impact.x"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestList: a list keeps each item's position by its path; a single value
// is a list of one when asked; anything else is a problem.
func TestList(t *testing.T) {
	paths := NewPaths([]string{"tags"}, nil, nil)
	for _, tc := range []struct {
		yaml   string
		single bool
		want   string
		fields string
	}{
		{"tags: [a, ' b ']", false, "a|b", "tags tags[0] tags[1]"},
		{"tags: a", true, "a", "tags tags[0]"},
		{"tags: a", false, "", ""},
		{"tags: [a, [b]]", false, "", ""},
	} {
		root, err := new(tree.YAMLParser).Parse([]byte(tc.yaml), 1)
		if err != nil {
			t.Fatal(err)
		}
		e := root.Entries[0]
		var problems []diag.Diagnostic
		d := &Decoder{File: "x.md", Fields: map[string]diag.Pos{e.Key: e.Value.Pos}, Problems: &problems, Paths: paths}
		got := strings.Join(d.List(e, tc.single), "|")
		var fields []string
		for k := range d.Fields {
			fields = append(fields, k)
		}
		slices.Sort(fields)
		if got != tc.want || strings.Join(fields, " ") != tc.fields || (tc.fields == "") != (len(problems) == 1) {
			t.Errorf("%q: got %q fields %v problems %v", tc.yaml, got, fields, problems)
		}
	}
}
