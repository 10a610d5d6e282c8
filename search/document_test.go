package search

import "testing"

func TestShortenAndExcerpt(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"one two three four five six", 15, "one two three …"},
		{"one two three four five six", 12, "one two …"},
		{"abcdefghijklmnop", 8, "abcdefgh …"},                // no space in the second half
		{"ééééé", 5, "éé …"},                                 // never inside a UTF-8 sequence
		{"already cut … and more text", 14, "already cut …"}, // no second ellipsis
	} {
		if got := Shorten(c.in, c.n); got != c.want {
			t.Errorf("Shorten(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
	if got, want := excerpt("  one\n\ttwo   three four five six ", 15), "one two three …"; got != want {
		t.Errorf("excerpt folds white space: got %q, want %q", got, want)
	}
}
