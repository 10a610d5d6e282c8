package page

import (
	"fmt"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/internal/feedcheck"
)

func TestSitemapParts(t *testing.T) {
	for _, c := range []struct{ n, maxLoc, want int }{
		{0, 40, 1},
		{1, 40, 1},
		{50000, 40, 1},
		{50001, 40, 2},
		{100000, 40, 2},
		{100001, 40, 3},
		// 2,048-byte URLs: 50 MiB holds 5,077 of them escaped five times.
		{5000, 2048, 1},
		{6000, 2048, 2},
	} {
		if got := sitemapParts(c.n, c.maxLoc); got != c.want {
			t.Errorf("sitemapParts(%d, %d) = %d, want %d", c.n, c.maxLoc, got, c.want)
		}
	}
}

// TestSitemapIndex gives a site 120,001 pages: sitemap.xml becomes an
// index of three parts, each valid, which together list every page once.
func TestSitemapIndex(t *testing.T) {
	const n = 120001
	s := &Set{Input: Input{Config: &config.Config{BaseURL: "https://kb.example.com/"}}}
	r := map[string]route{"404.html": {kind: "404"}, "index.xml": {kind: "feed"}}
	for i := range n {
		r[fmt.Sprintf("p/%06d/index.html", i)] = route{kind: "page"}
	}
	s.addSitemaps(r)
	s.routes, s.paths = r, sortedKeys(r)
	idx, err := s.sitemapFile(r["sitemap.xml"])
	if err != nil {
		t.Fatal(err)
	}
	parts, problems := feedcheck.Sitemap(idx, true)
	for _, p := range problems {
		t.Errorf("sitemap.xml: %s", p)
	}
	if len(parts) != 3 {
		t.Fatalf("sitemap.xml names %d parts, want 3: %q", len(parts), parts)
	}
	seen := map[string]bool{}
	for i, loc := range parts {
		name := sitemapName(i + 1)
		if loc != "https://kb.example.com/"+name {
			t.Errorf("part %d at %q", i+1, loc)
		}
		rt, ok := r[name]
		if !ok {
			t.Fatalf("no route %s", name)
		}
		b, err := s.sitemapFile(rt)
		if err != nil {
			t.Fatal(err)
		}
		locs, problems := feedcheck.Sitemap(b, false)
		for _, p := range problems {
			t.Errorf("%s: %s", name, p)
		}
		for _, l := range locs {
			if seen[l] {
				t.Errorf("%s repeats %s", name, l)
			}
			seen[l] = true
		}
	}
	if len(seen) != n {
		t.Errorf("the parts list %d pages, want %d", len(seen), n)
	}
}

// TestFeedIDs: the feed's ids without base_url are a function of the
// site's title and the postmortem's id.
func TestFeedIDs(t *testing.T) {
	// Stable across KBs of the same title, distinct between titles and ids.
	if entryID("KB", "a") != entryID("KB", "a") || entryID("KB", "a") == entryID("KB", "b") ||
		entryID("KB", "a") == entryID("Other", "a") || feedID("KB") == feedID("Other") {
		t.Error("ids are not a function of the title and the id")
	}
}

// TestSummaryPrefix compares summary, which collapses only as much of a
// long Summary as it needs (collapse), with strings.Fields of all of it.
func TestSummaryPrefix(t *testing.T) {
	whole := func(text string, n int) string {
		s := strings.Join(strings.Fields(text), " ")
		if len(s) > n {
			cut := strings.LastIndexByte(s[:n], ' ')
			if cut < n/2 {
				cut = n
				for cut > 0 && !utf8.RuneStart(s[cut]) {
					cut--
				}
			}
			s = strings.TrimRight(s[:cut], " ,.;:") + "…"
		}
		return s
	}
	long := strings.Repeat("word ", 400)
	for _, text := range []string{
		"", "short", long, strings.Repeat(" ", 2000) + "late words", strings.Repeat("x", 3000),
		strings.Repeat("é", 1500), "a\n\n\tb " + long, strings.Repeat("ab\n\n\n\n\n\n\n ", 300) + long,
		strings.Repeat("word,", 300), strings.Repeat("  ", 315) + long,
		"no\u00a0break\u2003em\u0085nel \xff\xfe bad \v\f\r end", strings.Repeat("ü\u3000", 400),
		strings.Repeat("a ", 80) + "b", strings.Repeat("a ", 79) + "bc",
		strings.Repeat("証明書の期限切れ", 40),
	} {
		for _, n := range []int{1, 10, 160, 600} {
			p := &postmortem.Postmortem{}
			p.Body.Sections = []postmortem.Section{{Text: text}}
			got := summary(p, n)
			if want := whole(text, n); got != want {
				t.Errorf("summary(%.20q…, %d) = %q, want %q", text, n, got, want)
			}
			// A cut never splits a character of valid text (an Atom feed
			// with invalid UTF-8 is not XML): CJK text has no spaces.
			if utf8.ValidString(text) && !utf8.ValidString(got) {
				t.Errorf("summary(%.20q…, %d) = %q: not UTF-8", text, n, got)
			}
		}
	}
}
