package search

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// relevanceKBs maps the [kb] names of testdata/relevance.txt to KB roots.
var relevanceKBs = map[string]string{"sample": "..", "realworld": "../site/testdata/realworld"}

// relevanceCase is one line of testdata/relevance.txt.
type relevanceCase struct {
	kb, query   string
	must, never []string
	line        int
}

// readRelevance parses a relevance set: [kb] lines, then
// "QUERY => +id -id …" lines; blank lines and # comments are skipped.
func readRelevance(path string) ([]relevanceCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []relevanceCase
	kb := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			kb = line[1 : len(line)-1]
			if _, ok := relevanceKBs[kb]; !ok {
				return nil, fmt.Errorf("%s:%d: unknown KB %q; use one of sample, realworld", path, n, kb)
			}
			continue
		}
		q, ids, ok := strings.Cut(line, "=>")
		if !ok || kb == "" {
			return nil, fmt.Errorf("%s:%d: want QUERY => +id -id … after a [kb] line, got %q", path, n, line)
		}
		c := relevanceCase{kb: kb, query: strings.TrimSpace(q), line: n}
		for _, id := range strings.Fields(ids) {
			switch id[0] {
			case '+':
				c.must = append(c.must, id[1:])
			case '-':
				c.never = append(c.never, id[1:])
			default:
				return nil, fmt.Errorf("%s:%d: %q must start with + (must return) or - (must not)", path, n, id)
			}
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// TestRelevanceSet runs testdata/relevance.txt against the sample and the
// real-world KBs (internal audience, drafts included, each KB's synonyms)
// and prints precision (of the labelled ids returned, the share that are
// +ids; and of all hits, unlabelled ones counted as wrong) and recall (the share of +ids returned). It fails when a +id is
// missing or a -id is returned.
func TestRelevanceSet(t *testing.T) {
	cases, err := readRelevance("testdata/relevance.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 60 {
		t.Errorf("%d queries in the relevance set, want at least 60", len(cases))
	}
	indexes := map[string]*Index{}
	for name, root := range relevanceKBs {
		k := loadKB(t, root)
		ix, err := Open("", Options{Location: k.Config.Location, Synonyms: k.Config.Search.Synonyms})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if _, err := ix.Update(context.Background(), Docs(k.Postmortems, DocOptionsFor(k.Config, false, true))); err != nil {
			t.Fatal(err)
		}
		indexes[name] = ix
	}
	var must, found, labelled, right, returned int
	for _, c := range cases {
		r, err := indexes[c.kb].Search(context.Background(), c.query, SearchOptions{Limit: 1000})
		if err != nil {
			t.Errorf("relevance.txt:%d: %q: %v", c.line, c.query, err)
			continue
		}
		got := ids(r)
		returned += len(got)
		for _, id := range c.must {
			must++
			if slices.Contains(got, id) {
				found++
				labelled++
				right++
			} else {
				t.Errorf("relevance.txt:%d: [%s] %q misses %s (got %v)", c.line, c.kb, c.query, id, got)
			}
		}
		for _, id := range c.never {
			if slices.Contains(got, id) {
				labelled++
				t.Errorf("relevance.txt:%d: [%s] %q returns %s, which it must not", c.line, c.kb, c.query, id)
			}
		}
	}
	if must > 0 && labelled > 0 {
		t.Logf("%d queries: recall %.3f (%d of %d must-return ids), precision %.3f (%d of %d labelled ids returned are must-return; %d hits in all, unlabelled ones included: %.3f)",
			len(cases), float64(found)/float64(must), found, must, float64(right)/float64(labelled), right, labelled, returned, float64(right)/float64(max(returned, 1)))
	}
}
