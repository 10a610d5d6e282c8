package search

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/search/query"
)

func TestFuzzyDistance(t *testing.T) {
	tests := []struct {
		word string
		want int
	}{
		{"tls", 0}, {"cert", 1}, {"certifc", 1}, {"certifca", 2}, {"certifcate", 2},
		{"2024", 0}, {"t1566", 0}, {"réseau", 1}, {"", 0},
	}
	for _, tt := range tests {
		if got := fuzzyDistance(tt.word); got != tt.want {
			t.Errorf("fuzzyDistance(%q) = %d, want %d", tt.word, got, tt.want)
		}
	}
}

// TestSynonymsTyposAndID runs queries that need synonyms, the fuzzy retry
// or the id: filter on the fixture KB.
func TestSynonymsTyposAndID(t *testing.T) {
	syn := [][]string{{"ssl", "tls"}, {"breakdown", "failover"}, {"hotline", "the login api"}, {"only", "the"}, {"zanzibar", "certificate rotation"}}
	ix, err := Open("", Options{Synonyms: syn})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Update(context.Background(), fixtureDocs(t)); err != nil {
		t.Fatal(err)
	}
	plain := memIndex(t, fixtureDocs(t))
	tests := []struct {
		q          string
		want       []string
		didYouMean string
		noSyn      []string // the answer without synonyms
	}{
		{"ssl", []string{"cert-expiry"}, "", nil},
		{`"ssl"`, []string{"cert-expiry"}, "", nil},
		{"breakdown", []string{"db-failover"}, "", nil},
		{"hotline", []string{"cert-expiry", "login-flood"}, "", nil},
		// Words in a row that are a member as a whole.
		{"certificate rotation", []string{"cert-expiry", "mesh-ca"}, "", []string{"mesh-ca"}},
		// A stop word in a group is left out: "only" has no synonym.
		{"only", nil, "", nil},
		// Unknown words with a typo: retried fuzzily, with a suggestion.
		{"certifcate", []string{"cert-expiry", "mesh-ca", "ransomware-laptop"}, "certificate", []string{"cert-expiry", "mesh-ca", "ransomware-laptop"}},
		// One edit from "certificate", whose term "certif" is four
		// edits from "certificat".
		{"certificat", []string{"cert-expiry", "mesh-ca", "ransomware-laptop"}, "certificate", []string{"cert-expiry", "mesh-ca", "ransomware-laptop"}},
		{"certifcate severity:SEV1", []string{"cert-expiry"}, "certificate severity:SEV1", []string{"cert-expiry"}},
		{"Certifcate xyzzy", nil, "certificate xyzzy", nil},
		// A known word is never changed, even with few hits.
		{"zanzibar", []string{"cert-expiry"}, "", []string{"cert-expiry"}},
		// Short words and phrases are not retried.
		{"tsl", nil, "", nil},
		{`"certifcate"`, nil, "", nil},
		// id: is exact and case-insensitive; a,b means either.
		{"id:cert-expiry", []string{"cert-expiry"}, "", []string{"cert-expiry"}},
		{"id:CERT-EXPIRY,mesh-ca", []string{"cert-expiry", "mesh-ca"}, "", []string{"cert-expiry", "mesh-ca"}},
		{"id:cert", nil, "", nil},
		{"certificate id:mesh-ca", []string{"mesh-ca"}, "", []string{"mesh-ca"}},
	}
	for _, tt := range tests {
		r, err := ix.Search(context.Background(), tt.q, SearchOptions{Limit: 100})
		if err != nil {
			t.Fatalf("%q: %v", tt.q, err)
		}
		if got := ids(r); !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("%q: got %v, want %v", tt.q, got, tt.want)
		}
		if r.DidYouMean != tt.didYouMean {
			t.Errorf("%q: did you mean %q, want %q", tt.q, r.DidYouMean, tt.didYouMean)
		}
		r, err = plain.Search(context.Background(), tt.q, SearchOptions{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(r); !reflect.DeepEqual(got, tt.noSyn) && !(len(got) == 0 && len(tt.noSyn) == 0) {
			t.Errorf("%q without synonyms: got %v, want %v", tt.q, got, tt.noSyn)
		}
	}
	r, _ := ix.Search(context.Background(), "id:cert-expiri", SearchOptions{})
	if len(r.Hints) == 0 || r.Total != 0 {
		t.Errorf("id: with a typo: %+v, want a hint", r)
	}
}

func TestEdits1(t *testing.T) {
	got := edits1("ab")
	for _, w := range []string{"b", "a", "ba", "xab", "axb", "abx", "xb", "ax"} {
		if !slices.Contains(got, w) {
			t.Errorf("edits1(ab) lacks %q", w)
		}
	}
	if slices.Contains(got, "ab") || len(edits1("a-b")) != 0 {
		t.Errorf("edits1: %v", got)
	}
}

func TestSetSynonyms(t *testing.T) {
	ix := memIndex(t, fixtureDocs(t))
	count := func() int {
		r, err := ix.Search(context.Background(), "hotline", SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return r.Total
	}
	if n := count(); n != 0 {
		t.Fatalf("hotline: %d hits before it is a synonym", n)
	}
	ix.SetSynonyms([][]string{{"hotline", "tls"}})
	if n := count(); n != 1 {
		t.Errorf("hotline: %d hits as a synonym of tls, want 1", n)
	}
	ix.SetSynonyms(nil)
	if n := count(); n != 0 {
		t.Errorf("hotline: %d hits with no synonyms", n)
	}
}

// TestSecurityTypoLookupBounded: a query of many long unknown words looks
// up only maxTypoWords of them (each costs thousands of lookups).
func TestSecurityTypoLookupBounded(t *testing.T) {
	ix := memIndex(t, fixtureDocs(t))
	var ws []string
	for i := 0; i < query.MaxTerms-1; i++ {
		ws = append(ws, strings.Repeat(string(rune('a'+i%26)), 3)+"qwertyuiopasdfghj")
	}
	pq, err := query.Parse(strings.Join(append(ws, "certifcate"), " "))
	if err != nil {
		t.Fatal(err)
	}
	if typos := ix.typos(context.Background(), pq); len(typos) != 0 {
		t.Errorf("typos %v: the last word is past the first %d unknown ones", typos, maxTypoWords)
	}
	pq, _ = query.Parse(strings.Join(append(ws[:maxTypoWords-1], "certifcate"), " "))
	if typos := ix.typos(context.Background(), pq); len(typos) != 1 {
		t.Errorf("typos %v: want certifcate's", typos)
	}
}
