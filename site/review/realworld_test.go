package review

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// TestReviewRealWorld reviews every postmortem of the real-world-shaped
// test KB (site/testdata/realworld: timelines by day, tables under a date
// line, footnotes, alerts, TOML and JSON front matter, code with
// identifiers, refused files) as if one pull request changed them all:
// each gets a file block, the Markdown stays under GitHub's limit and
// says when it is cut, and every output is UTF-8 and valid JSON.
func TestReviewRealWorld(t *testing.T) {
	root := "../testdata/realworld"
	cfg, _, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	st, err := NewStream(Options{Only: func(string) bool { return true }, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	k, err := kb.Load(root, cfg, st.KBOptions(kb.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	r := st.Finish(k)
	if len(r.Files) < 40 {
		t.Fatalf("%d files reviewed, want every postmortem of the KB (≥ 40)", len(r.Files))
	}
	var md, text, js bytes.Buffer
	if err := PrintMarkdown(&md, r, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := PrintText(&text, r, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := PrintJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCount(md.Bytes()); n > MaxComment {
		t.Errorf("Markdown is %d characters, over %d", n, MaxComment)
	}
	for name, b := range map[string][]byte{"markdown": md.Bytes(), "text": text.Bytes(), "json": js.Bytes()} {
		if !utf8.Valid(b) {
			t.Errorf("%s output is not UTF-8", name)
		}
	}
	if !json.Valid(js.Bytes()) {
		t.Error("JSON output does not parse")
	}
	for _, f := range r.Files {
		if !strings.Contains(text.String(), f.Path) {
			t.Errorf("text output has no block for %s", f.Path)
		}
	}
}
