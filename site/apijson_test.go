package site

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/kbgen"
)

// TestAPIJSONSame: api/postmortems.json, appended by hand, holds the
// bytes encoding/json writes for the same entries, on several KBs and
// both audiences.
func TestAPIJSONSame(t *testing.T) {
	gen := t.TempDir()
	if err := kbgen.Generate(gen, kbgen.Options{N: 120, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	roots := []string{gen, writeTxtar(t, fixtureKB), extract(t, []byte(trickyKB))}
	if _, err := os.Stat(filepath.Join("..", "content", "postmortems")); err == nil {
		roots = append(roots, "..")
	}
	for _, root := range roots {
		for _, opts := range []Options{{Audience: Internal, Drafts: true}, {Audience: Public}} {
			s, out := build(t, root, opts)
			got := readOut(t, out, "api/postmortems.json")
			want := struct {
				Postmortems []APIPostmortem `json:"postmortems"`
			}{Postmortems: []APIPostmortem{}}
			for _, p := range s.Postmortems {
				want.Postmortems = append(want.Postmortems, s.apiPostmortem(p))
			}
			b, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(b)+"\n" {
				t.Errorf("%s %+v: api/postmortems.json differs from encoding/json's:\n%s", root, opts, firstDiff(string(b)+"\n", got))
			}
		}
	}
}

// TestAPIJSONAwkward compares appendJSON with encoding/json on values the
// KBs above do not reach, and checks that it refuses what encoding/json
// refuses.
func TestAPIJSONAwkward(t *testing.T) {
	i64 := func(v int64) *int64 { return &v }
	f64 := func(v float64) *float64 { return &v }
	tm := func(t time.Time) *time.Time { return &t }
	tests := []struct {
		name string
		a    APIPostmortem
		ok   bool
	}{
		{"zero", APIPostmortem{}, true},
		{"escapes", APIPostmortem{ID: "a\"b\\c", Title: "<script>&\u2028\u2029\x01\t\n é \xff", Tags: []string{}, Authors: []string{"x<y"}}, true},
		{"impact", APIPostmortem{Impact: &APIImpact{UsersAffected: i64(-3), CostUSD: f64(1e21)}}, true},
		{"small cost", APIPostmortem{Impact: &APIImpact{CostUSD: f64(1.5e-7), Reputation: "high"}}, true},
		{"plain cost", APIPostmortem{Impact: &APIImpact{DowntimeMinutes: i64(0), CostUSD: f64(1234.5)}}, true},
		{"empty impact", APIPostmortem{Impact: &APIImpact{}}, true},
		{"times", APIPostmortem{Started: tm(time.Date(2024, 2, 29, 23, 59, 59, 123456789, time.FixedZone("", 5*3600+1800))),
			Resolved: tm(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC))}, true},
		{"actions", APIPostmortem{Actions: []APIAction{{}, {Title: "t", Owner: "o", Priority: "P1", Due: "2024-01-01", Status: "done", Ticket: "T-1", DoneOn: "2024-01-02", Overdue: true}}}, true},
		{"year 10000", APIPostmortem{Detected: tm(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))}, false},
		{"NaN cost", APIPostmortem{Impact: &APIImpact{CostUSD: f64(math.NaN())}}, false},
		{"infinite cost", APIPostmortem{Impact: &APIImpact{CostUSD: f64(math.Inf(1))}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.a.appendJSON(nil)
			if ok != tt.ok {
				t.Fatalf("appendJSON ok = %v, want %v", ok, tt.ok)
			}
			want, err := json.Marshal(tt.a)
			if !ok {
				if err == nil {
					t.Errorf("appendJSON refused what encoding/json writes: %s", want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("appendJSON:\n%s\nencoding/json:\n%s", got, want)
			}
		})
	}
}

// FuzzAPIJSON compares appendJSON with encoding/json on arbitrary strings
// and numbers.
func FuzzAPIJSON(f *testing.F) {
	f.Add("id", "<b>\"x\"</b> & \u2028", "P1", int64(5), 12.5, int64(1700000000), true)
	f.Add("\xff\x00", "", "", int64(-1), 1e-9, int64(0), false)
	f.Fuzz(func(t *testing.T, s1, s2, s3 string, n int64, c float64, unix int64, flag bool) {
		at := time.Unix(unix%(1<<40), 0).UTC()
		a := APIPostmortem{ID: s1, Title: s2, Severity: s3, Drill: flag, Started: &at, RootCauses: []string{s2, s3},
			Impact:  &APIImpact{RecordsExposed: &n, CostUSD: &c, Reputation: s1},
			Actions: []APIAction{{Title: s3, Owner: s1, Overdue: flag}}, Tags: []string{s1}}
		got, ok := a.appendJSON(nil)
		want, err := json.Marshal(a)
		if !ok {
			if err == nil {
				t.Fatalf("appendJSON refused what encoding/json writes: %s", want)
			}
			return
		}
		if err != nil {
			t.Fatalf("appendJSON wrote %s where encoding/json fails: %v", got, err)
		}
		if string(got) != string(want) {
			t.Fatalf("appendJSON:\n%s\nencoding/json:\n%s", got, want)
		}
	})
}
