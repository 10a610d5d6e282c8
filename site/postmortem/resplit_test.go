package postmortem_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// noLinkifyParsers returns a parser that renders bodies without linkify
// where it can, and one that always uses linkify.
func noLinkifyParsers() (fast, slow *postmortem.Parser) {
	fast = postmortem.NewParser(postmortem.Options{})
	slow = postmortem.NewParser(postmortem.Options{})
	postmortem.SetAlwaysLinkify(slow)
	return fast, slow
}

// sameWithoutLinkify parses src with both parsers, with HTML, and
// reports the first difference in the postmortem.
func sameWithoutLinkify(fast, slow *postmortem.Parser, name string, src []byte) error {
	resolve := func(d string) (string, bool) {
		if strings.HasSuffix(d, ".md") {
			return "../" + strings.TrimSuffix(d, ".md") + "/", true
		}
		return "", false
	}
	parse := func(ps *postmortem.Parser) *postmortem.Postmortem {
		p := ps.ParseFrontMatter(name, bytes.Clone(src))
		ps.ParseBody(p, postmortem.BodyOptions{RenderHTML: true, ResolveLink: resolve})
		return p
	}
	want, got := parse(slow), parse(fast)
	if want.Body.HTML != got.Body.HTML {
		return fmt.Errorf("HTML differs:\nwith linkify:    %q\nwithout linkify: %q", want.Body.HTML, got.Body.HTML)
	}
	if !reflect.DeepEqual(want.Body.Prose, got.Body.Prose) {
		return fmt.Errorf("prose differs:\nwith linkify:    %+v\nwithout linkify: %+v", want.Body.Prose, got.Body.Prose)
	}
	if !reflect.DeepEqual(want, got) {
		return fmt.Errorf("postmortems differ:\nwith linkify:    %+v\nwithout linkify: %+v", want.Body, got.Body)
	}
	return nil
}

// noLinkifyCases are bodies (after an empty front matter) around the
// runs that end a line: text nodes before them that linkify merges into
// or not (failed triggers, emphasis delimiters, link label openers, code
// spans), trailing spaces, tables, lists, headings and links.
var noLinkifyCases = []string{
	"foo bar baz\n",
	"foo bar baz \nqux quux\n",
	"foo bar\nbaz qux \n",
	"one\n",
	"a (b) c(d e\n",
	"a ] b c\n",
	"a [] b c\n",
	"a [ b c\n",
	"a [b c\n",
	"a [b] c d\n",
	"a [b](c.md) d e\n",
	"a [b](c.md)\n",
	"a *b c d\n",
	"a *b* c d\n",
	"a **b** c d *e\n",
	"a_b c d\n",
	"snake_case_name and more words\n",
	"a ` b c\n",
	"a `b` c d\n",
	"a ``b` c d\n",
	"`a` b c\n",
	"a *] c d\n",
	"[*] c d\n",
	"[a *b] c d\n",
	"*a b c*\n",
	"*a b\nc d*\n",
	"***a** b c\n",
	"*a** b c\n",
	"a [b\nc] d e\n",
	"a [b\nc](x.md) d e\n",
	"- foo bar\n- baz qux\n  more text\n",
	"- [ ] todo item here\n- [x] done item here\n",
	"1. first item\n2. second (item)\n",
	"> quoted text here\n> and more of it\n",
	"# Head one two\n\n### Three four (five)\n\nText after heading.\n",
	"| a b | c d |\n|---|---|\n| e f | g (h) |\n| i | j k l\n",
	"| **2025-01-01 09:00** | thing happened here |\n|---|---|\n",
	"Setext heading here\n===\n\ntext\n",
	"```\ncode block with spaces\n```\n\nafter it now\n",
	"    indented code here\n\npara here\n",
	"[ref]: /x.md\n\nsee [ref] now ok\n",
	"a [b] [c] d\n",
	"a [b][c] d e\n",
	"x (\n",
	"x ( \n",
	"x [\n",
	"x *\n",
	"x `\n",
	"(((a b\n",
	"a ((b c)) d\n",
	"a\n\nb c \n\nd\n",
	"a b ",
	"a b \n",
	" a b\n",
	"## Timeline\n\n- 2025-03-14 09:12 UTC — Alert fired on the edge (p99)\n- 09:40 — Renewed *cert* deployed\n",
	"a ][ b c\n",
	"]a b\n",
	"a*b* c d\n",
	"_a b_ c d\n",
	"__a__ b c\n",
	"a * b c\n",
	"a\u00a0b c\n",
	"ünïcödé wörds hère (ja) 日本語 テキスト\n",
}

func TestNoLinkifySame(t *testing.T) {
	fast, slow := noLinkifyParsers()
	for i, c := range noLinkifyCases {
		src := "---\ntitle: x\n---\n" + c
		if !postmortem.NoLinkify([]byte(c)) {
			t.Errorf("case %d %q: not taken without linkify", i, c)
			continue
		}
		if err := sameWithoutLinkify(fast, slow, "content/postmortems/x.md", []byte(src)); err != nil {
			t.Errorf("case %d %q: %v", i, c, err)
		}
	}
}

// TestNoLinkifySameRandom compares both parses on bodies made of random
// pieces of Markdown.
func TestNoLinkifySameRandom(t *testing.T) {
	pieces := []string{"a", "bc", "def", " ", " ", " ", "  ", "(", ")", "[", "]", "*", "**", "_", "`", "``",
		"\n", "\n", "\n\n", "- ", "1. ", "> ", "# ", "## ", "| ", " |", "|---|---|\n", "[x](y.md)", "[z]", "[ ] ",
		"é", "日本", "---\n", "```\n", "    ", "\u00a0", ".", ",", ":", "-", "&amp;", "#",
	}
	fast, slow := noLinkifyParsers()
	r := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	taken := 0
	for i := 0; i < n; i++ {
		var b strings.Builder
		for k := r.IntN(40); k >= 0; k-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		body := b.String()
		if !postmortem.NoLinkify([]byte(body)) {
			continue
		}
		taken++
		if err := sameWithoutLinkify(fast, slow, "content/postmortems/x.md", []byte("---\ntitle: x\n---\n"+body)); err != nil {
			t.Fatalf("body %q: %v", body, err)
		}
	}
	if taken < n/2 {
		t.Fatalf("only %d of %d bodies taken without linkify", taken, n)
	}
}

// TestNoLinkifySameKB compares both parses on every postmortem of a
// generated KB and on every Markdown file of the repository's content/.
func TestNoLinkifySameKB(t *testing.T) {
	fast, slow := noLinkifyParsers()
	opts := kbgen.Options{N: 300, Seed: 3}
	taken := 0
	for i := 0; i < opts.N; i++ {
		name, src := kbgen.GenerateFile(i, opts)
		if i := bytes.Index(src[3:], []byte("\n---\n")); i >= 0 && postmortem.NoLinkify(src[i+8:]) {
			taken++
		}
		if err := sameWithoutLinkify(fast, slow, name, src); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if taken == 0 {
		t.Errorf("no generated postmortem was parsed without linkify")
	}
	root := filepath.Join("..", "..", "content")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".md" {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := sameWithoutLinkify(fast, slow, filepath.ToSlash(p), src); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzNoLinkify compares the parse without linkify (and its re-split
// prose) with the parse with linkify.
func FuzzNoLinkify(f *testing.F) {
	for _, c := range noLinkifyCases {
		f.Add(c)
	}
	fast, slow := noLinkifyParsers()
	f.Fuzz(func(t *testing.T, body string) {
		if !postmortem.NoLinkify([]byte(body)) {
			t.Skip()
		}
		if err := sameWithoutLinkify(fast, slow, "content/postmortems/x.md", []byte("---\ntitle: x\n---\n"+body)); err != nil {
			t.Fatal(err)
		}
	})
}

// noLinkifyRef is noLinkify written as a loop over the bytes.
func noLinkifyRef(md []byte) bool {
	for i, c := range md {
		switch c {
		case '@', '\\', '<', '!', '~', '\t', '\v', '\f', '\r':
			return false
		case '\n':
			if i >= 2 && md[i-1] == ' ' && md[i-2] == ' ' {
				return false
			}
		}
	}
	if n := len(md); n >= 2 && md[n-1] == ' ' && md[n-2] == ' ' {
		return false
	}
	s := string(md)
	return !strings.Contains(s, "http") && !strings.Contains(s, "www.") && !strings.Contains(s, "ftp:")
}

func TestNoLinkifyRef(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	alphabet := []byte("ab \n@\\<!~\t\v\f\rhtpw.f:")
	for i := 0; i < 50000; i++ {
		b := make([]byte, r.IntN(12))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		if got, want := postmortem.NoLinkify(b), noLinkifyRef(b); got != want {
			t.Fatalf("noLinkify(%q) = %v, want %v", b, got, want)
		}
	}
}

// TestWalkerPos compares the walker's positions, found from the previous
// one, with PosAt's binary search, for offsets in order and at random.
func TestWalkerPos(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for n := 0; n < 300; n++ {
		src := make([]byte, r.IntN(400))
		for i := range src {
			if r.IntN(8) == 0 {
				src[i] = '\n'
			} else {
				src[i] = 'x'
			}
		}
		lines := postmortem.LineStarts(src)
		base := 0
		if len(src) > 0 {
			base = r.IntN(len(src))
		}
		var offs []int
		for i := 0; i < 60; i++ {
			if len(src)-base == 0 {
				offs = append(offs, 0)
				continue
			}
			o := r.IntN(len(src) - base + 1)
			if i%3 != 0 && len(offs) > 0 {
				o = min(offs[len(offs)-1]+r.IntN(30), len(src)-base) // mostly forward
			}
			offs = append(offs, o)
		}
		got := postmortem.WalkerPos(lines, base, offs)
		for i, o := range offs {
			if want := postmortem.PosAt(lines, base+o); got[i] != want {
				t.Fatalf("offset %d (base %d): %v, PosAt gives %v", o, base, got[i], want)
			}
		}
	}
	if got, want := postmortem.WalkerPos(nil, 0, []int{0, 5}), []diag.Pos{postmortem.PosAt(nil, 0), postmortem.PosAt(nil, 5)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("without lines: %v, want %v", got, want)
	}
}
