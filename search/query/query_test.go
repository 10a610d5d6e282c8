package query

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want string // Query.String()
	}{
		{"", ""},
		{"   ", ""},
		{"certificates expiring", "certificates expiring"},
		{`"out of memory" failover`, `"out of memory" failover`},
		{`""`, ""},
		{"cause:expired-certificate", "cause:expired-certificate"},
		{"causes:x systems:y techniques:T1", "cause:x system:y technique:T1"},
		{"Severity:SEV1,SEV2", "severity:SEV1,SEV2"},
		{`system:"login-api"`, "system:login-api"},
		{"after:2024 before:2024-03 after:2024-03-05", "after:2024 before:2024-03 after:2024-03-05"},
		{"error: timeout", "error: timeout"},
		{"https://app.acme.com/healthz", "https://app.acme.com/healthz"},
		{"x509:cert", "x509:cert"},
		{`foo"bar baz"`, `foo "bar baz"`},
		{"data:customer-pii status:draft category:outage", "data:customer-pii status:draft category:outage"},
		// A quoted value holding a space stays quoted (found by FuzzParseQuery).
		{`CAuse:"0  0"`, `cause:"0  0"`},
		{`system:"b c,a"`, `system:"a,b c"`},
	}
	for _, tc := range tests {
		q, err := Parse(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got := q.String(); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		in   string
		col  int
		want string // substring of the message
	}{
		{`certificate "expired on`, 13, "unclosed quote"},
		{`sytem:login-api`, 1, `did you mean "system:"`},
		{`login sevrity:SEV1`, 7, `did you mean "severity:"`},
		{`note:x`, 1, `unknown field "note:"`},
		{`after:2024-13`, 7, "bad date"},
		{`before:2024-02-30`, 8, "not a real date"},
		{`after:yesterday`, 7, "YYYY-MM-DD"},
		{`after:2024-1`, 7, "YYYY-MM-DD"},
		{`cause: x`, 7, "missing value after cause:"},
		{`cause:a,,b`, 9, "empty value"},
		{`cause:a,`, 9, "empty value"},
		{`cause:""`, 7, "empty value"},
		{`cause:"abc`, 7, "unclosed quote"},
		{`é "x`, 3, "unclosed quote"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: want a ParseError, got %v", tc.in, err)
			continue
		}
		if pe.Col != tc.col || !strings.Contains(pe.Msg, tc.want) {
			t.Errorf("%q: got col %d %q, want col %d containing %q", tc.in, pe.Col, pe.Msg, tc.col, tc.want)
		}
	}
}

// TestSecurityQueryLimits: a query over MaxBytes or MaxTerms is
// refused at once with an error that says the limit, at the column where
// the query goes over it.
func TestSecurityQueryLimits(t *testing.T) {
	words := func(n int) string { return strings.TrimSpace(strings.Repeat("ab ", n)) }
	tests := []struct {
		name string
		in   string
		col  int    // 0: accepted
		want string // substring of the message
	}{
		{"at the byte limit", strings.Repeat("x", MaxBytes), 0, ""},
		{"one byte over", strings.Repeat("x", MaxBytes+1), MaxBytes + 1, "limit of 1000 bytes"},
		{"150,000 words", words(150000), MaxBytes + 1, "too long: 449999 bytes, over the limit of 1000 bytes"},
		{"cut inside a character", "x" + strings.Repeat("é", MaxBytes/2), MaxBytes/2 + 1, "1000 bytes"},
		{"32 words", words(MaxTerms), 0, ""},
		{"33 words", words(MaxTerms + 1), 3*MaxTerms + 1, "more than 32 terms"},
		{"words of a phrase count", `"` + words(MaxTerms+1) + `"`, 1, "more than 32 terms"},
		{"filter values count", "x cause:" + strings.TrimSuffix(strings.Repeat("a,", MaxTerms), ","), 3, "more than 32 terms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			q, err := Parse(tc.in)
			if took := time.Since(start); took > 100*time.Millisecond {
				t.Errorf("took %s", took)
			}
			if tc.col == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if q2, err := Parse(q.String()); err != nil || q2.String() != q.String() {
					t.Errorf("round trip: %v", err)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("want a ParseError, got %v", err)
			}
			if pe.Col != tc.col || !strings.Contains(pe.Msg, tc.want) {
				t.Errorf("got col %d %q, want col %d containing %q", pe.Col, pe.Msg, tc.col, tc.want)
			}
		})
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "a b", `"x y" z`, "cause:a,b", "after:2024-01", `sytem:x`, `cause:"a b`, "é:ü", "a:b:c", `"`, `CAuse:"0  0"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%q: error is not a ParseError: %v", s, err)
			}
			if pe.Col < 1 || pe.Col > utf8.RuneCountInString(s)+1 {
				t.Fatalf("%q: column %d out of range", s, pe.Col)
			}
			return
		}
		for _, c := range q.Clauses {
			if c.Col < 1 || c.Col > utf8.RuneCountInString(s) {
				t.Fatalf("%q: clause column %d out of range", s, c.Col)
			}
			if (c.Kind == Filter || c.Kind == After || c.Kind == Before) && len(c.Values) == 0 {
				t.Fatalf("%q: filter without values", s)
			}
		}
		// What String prints parses again to the same thing. (String
		// puts a space between clauses typed together and writes an
		// invalid byte as U+FFFD, so near the length limit the printed
		// query may be over it.)
		if len(q.String()) > MaxBytes {
			return
		}
		q2, err := Parse(q.String())
		if err != nil {
			t.Fatalf("%q → %q: %v", s, q.String(), err)
		}
		if q2.String() != q.String() {
			t.Fatalf("%q: round trip %q → %q", s, q.String(), q2.String())
		}
	})
}
