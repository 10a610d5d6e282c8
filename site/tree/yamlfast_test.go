package tree

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/kbgen"
)

// dumpNode renders a tree with positions for failure messages.
func dumpNode(n *Node) string {
	var b strings.Builder
	var walk func(n *Node, ind string)
	walk = func(n *Node, ind string) {
		if n == nil {
			b.WriteString(ind + "<nil>\n")
			return
		}
		fmt.Fprintf(&b, "%s%s %d:%d tag=%q value=%q\n", ind, n.Kind, n.Pos.Line, n.Pos.Col, n.Tag, n.Value)
		for _, e := range n.Entries {
			fmt.Fprintf(&b, "%s  key %q %d:%d\n", ind, e.Key, e.KeyPos.Line, e.KeyPos.Col)
			walk(e.Value, ind+"    ")
		}
		for _, it := range n.Items {
			walk(it, ind+"  - ")
		}
	}
	walk(n, "")
	return b.String()
}

// checkFast compares the fast path with yaml.v3 on src. It returns whether
// the fast path accepted src; an accepted src must give the tree yaml.v3
// gives.
func checkFast(t testing.TB, name string, src []byte, line int) bool {
	t.Helper()
	fast, ok := fromYAMLFast(src, line)
	if !ok {
		return false
	}
	slow, err := fromYAMLV3(src, line)
	if err != nil {
		t.Errorf("%s: fast path accepted what yaml.v3 rejects (%v):\n%s", name, err, src)
		return true
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Errorf("%s: trees differ for\n%s\nfast:\n%s\nyaml.v3:\n%s", name, src, dumpNode(fast), dumpNode(slow))
	}
	return true
}

var yamlFastCases = []struct {
	name string
	src  string
	fast bool // the fast path must accept it
}{
	{"empty", "", true},
	{"comments only", "# a\n\n  # b\n", true},
	{"scalars", "title: Expired certificate — edge\nseverity: SEV1\ncount: 12\nneg: -3\nratio: 0.5\nok: true\nno: no\nnothing:\ntilde: ~\nnull2: null\n", true},
	{"timestamps", "a: 2023-05-02\nb: 2023-05-02T00:07:00Z\nc: 2023-5-2\nd: 2023-05-02 10:00:00\ne: 2023-05-02T10:00:00+02:00\nf: 2023-13-45\n", true},
	{"numbers", "a: 0x1F\nb: 0o17\nc: 1_000\nd: +5\ne: 1e3\nf: .5\ng: .inf\nh: -.Inf\ni: .nan\nj: 0b101\nk: 99999999999999999999\nl: 017\nm: 1.2.3\n", true},
	{"bools", "a: True\nb: FALSE\nc: yes\nd: On\ne: tRue\n", true},
	{"quoted", "a: \"x \\\"y\\\" \\\\ \\n \\t \\u00e9\"\nb: 'it''s'\nc: \"\"\nd: '' # c\ne: \"123\"\n", true},
	{"comments", "a: x # c\nb: x#y\n# full line\nc: 'q' # c\n", true},
	{"nested", "impact:\n  users: 10\n  cost:\n    usd: 5\nnext: 1\n", true},
	{"sequence of maps", "actions:\n  - title: Alert on expiry\n    owner: team-edge\n    due: 2023-05-19\n  - title: Runbook\n    owner: team-edge\n", true},
	{"indentless sequence", "tags:\n- a\n- b\nnext: x\n", true},
	{"sequence in item", "actions:\n- title: x\n  links:\n  - a\n  - b\n- title: y\n", true},
	{"wide item", "list:\n  -   a: 1\n      b: 2\n", true},
	{"flow", "root_causes: [expired-certificate, missing-monitoring]\nauthors: [\"@tnguyen\", '@s']\nempty: []\nm: {title: x, owner: y}\nem: {}\nn: [a, [b, c], {d: e}]\nsp: [ a , b ]\nts: [2023-01-01T10:00:00Z, http://x]\n", true},
	{"null positions", "a:\nb:   # c\nc:\n", true},
	{"indented root", "  a: 1\n  b: 2\n", true},
	{"unicode columns", "t: {a: é, b: ü}\nu: [ü, ö, x]\n", true},
	{"dash plain", "a: -foo\nb: -1\nc: --x\n", false},

	{"tab", "a:\t1\n", false},
	{"tab indent", "a:\n\tb: 1\n", false},
	{"crlf", "a: 1\r\n", false},
	{"anchor", "a: &x 1\nb: *x\n", false},
	{"tag", "a: !!str 1\n", false},
	{"literal", "a: |\n  x\n", false},
	{"folded", "a: >\n  x\n", false},
	{"continuation", "a: one\n  two\n", false},
	{"quoted continuation", "a: \"one\n  two\"\n", false},
	{"complex key", "? a\n: b\n", false},
	{"document start", "---\na: 1\n", false},
	{"document end", "a: 1\n...\n", false},
	{"quoted key", "\"a\": 1\n", false},
	{"colon in value", "a: b: c\n", false},
	{"value ends with colon", "a: b:\n", false},
	{"duplicate", "a: 1\na: 2\n", false},
	{"duplicate flow", "a: {b: 1, b: 2}\n", false},
	// Both ways dupKey finds a duplicate: by comparing (up to smallMap
	// keys), then in its set.
	{"keys below the set", manyKeys(smallMap, ""), true},
	{"duplicate below the set", manyKeys(smallMap, "k0"), false},
	{"keys past the set", manyKeys(2*smallMap, ""), true},
	{"duplicate past the set", manyKeys(2*smallMap, "k1"), false},
	{"duplicate at the set", manyKeys(smallMap+1, "k3"), false},
	{"bad escape", "a: \"\\x41\"\n", false},
	{"slash escape", "a: \"\\/\"\n", false},
	{"flow colon", "a: [b:c, d:e:f, 'x':y]\n", false},
	{"flow colon plain", "a: [b:c, d:e]\nb: {k: v:w}\n", true},
	{"flow quotes", "a: [\"x\", 'y''z', \"\\u00e9\\t\"]\n", true},
	{"flow numbers", "a: [1, -2, 0x1f, .5, true, null, ~, 2023-01-01]\n", true},
	{"item kinds", "a:\n  - [x, y]\n  - {k: v}\n  - 'q'\n  - 12\n  - k: v\n", true},
	{"spaced values", "a:    x   y   \nb:   'c'   \n", true},
	{"hash", "a: x#y\nb: x #y\nc: \"#\"\nd: [x] #c\n", true},
	{"surrogate", "a: \"\\ud800\"\n", false},
	{"unclosed flow", "a: [b, c\n", false},
	{"trailing comma", "a: [b, c,]\n", false},
	{"deep flow", "a: [[[b]]]\n", false},
	{"merge", "a:\n  <<: {b: 1}\n", false},
	{"merge value", "a: <<\n", false},
	{"root sequence", "- a\n- b\n", false},
	{"root scalar", "just text\n", false},
	{"empty item", "a:\n  -\n  - b\n", false},
	{"nested inline seq", "a:\n  - - b\n", false},
	{"bad indent", "a: 1\n  b: 2\n", false},
	{"dedent error", "a:\n    b: 1\n  c: 2\n", false},
	{"scalar below key", "a:\n  text\n", false},
	{"flow pair", "a: [b: c]\n", false},
	{"junk after flow", "a: [b] c\n", false},
	{"junk after quote", "a: \"b\" c\n", false},
	{"bom", "\ufeffa: 1\n", false},
	{"nel", "a: x\u0085y\n", false},
	{"invalid utf8", "a: \xff\n", false},
}

// manyKeys is a mapping of n keys k0, k1, …, then the key dup when it is
// not "".
func manyKeys(n int, dup string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d: %d\n", i, i)
	}
	if dup != "" {
		b.WriteString(dup + ": again\n")
	}
	return b.String()
}

func TestYAMLFastTable(t *testing.T) {
	for _, tc := range yamlFastCases {
		t.Run(tc.name, func(t *testing.T) {
			ok := checkFast(t, tc.name, []byte(tc.src), 7)
			if ok != tc.fast {
				t.Errorf("fast path accepted = %v, want %v", ok, tc.fast)
			}
			got, err := FromYAML([]byte(tc.src), 7)
			want, werr := fromYAMLV3([]byte(tc.src), 7)
			if fmt.Sprint(err) != fmt.Sprint(werr) || !reflect.DeepEqual(got, want) {
				t.Errorf("FromYAML differs from yaml.v3: %v / %v", err, werr)
			}
		})
	}
}

// fmBlock is the front matter of one file.
type fmBlock struct {
	name string
	data []byte
	line int
}

// frontMatter returns the YAML front matter of a Markdown file, if any.
func frontMatter(name string, src []byte) (fmBlock, bool) {
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return fmBlock{}, false
	}
	rest := src[4:]
	end := bytes.Index(rest, []byte("\n---\n"))
	if end < 0 {
		return fmBlock{}, false
	}
	return fmBlock{name: name, data: rest[:end+1], line: 2}, true
}

// sampleBlocks returns the front matter of the repository's sample KB
// (none when it is absent).
func sampleBlocks(t testing.TB) []fmBlock {
	var out []fmBlock
	root := filepath.Join("..", "..", "content")
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if b, ok := frontMatter(path, src); ok {
			out = append(out, b)
		}
		return nil
	})
	if src, err := os.ReadFile(filepath.Join("..", "..", "hindsight.yaml")); err == nil {
		out = append(out, fmBlock{name: "hindsight.yaml", data: src, line: 1})
	}
	return out
}

// generatedBlocks returns the front matter of n generated postmortems.
func generatedBlocks(n int) []fmBlock {
	opts := kbgen.Options{N: n, Seed: 1}
	out := make([]fmBlock, 0, n+1)
	for i := 0; i < n; i++ {
		path, src := kbgen.GenerateFile(i, opts)
		if b, ok := frontMatter(path, src); ok {
			out = append(out, b)
		}
	}
	out = append(out, fmBlock{name: "generated hindsight.yaml", data: kbgen.Config(opts), line: 1})
	return out
}

// TestYAMLFastDifferential runs both paths over every front matter block of
// the sample KB and of a 1,000-file generated KB, and counts fallbacks.
func TestYAMLFastDifferential(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	for _, set := range []struct {
		name   string
		blocks []fmBlock
		maxFB  float64 // tolerated share of fallbacks
	}{
		{"sample", sampleBlocks(t), 0.2},
		{"generated", generatedBlocks(n), 0},
	} {
		fallbacks := 0
		for _, b := range set.blocks {
			if !checkFast(t, b.name, b.data, b.line) {
				fallbacks++
				t.Logf("%s: falls back to yaml.v3", b.name)
			}
		}
		t.Logf("%s: %d blocks, %d fall back to yaml.v3", set.name, len(set.blocks), fallbacks)
		if len(set.blocks) > 0 && float64(fallbacks) > set.maxFB*float64(len(set.blocks)) {
			t.Errorf("%s: %d of %d blocks fall back", set.name, fallbacks, len(set.blocks))
		}
	}
}

// FuzzYAMLFast checks that whenever the fast path accepts a document, it
// gives exactly yaml.v3's tree.
func FuzzYAMLFast(f *testing.F) {
	for _, tc := range yamlFastCases {
		f.Add([]byte(tc.src))
	}
	for _, b := range sampleBlocks(f) {
		f.Add(b.data)
	}
	for _, b := range generatedBlocks(20) {
		f.Add(b.data)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFast(t, "fuzz", src, 3)
		// The raw bytes rarely form documents the fast path accepts, so
		// also read them as choices in a grammar of near-subset lines.
		checkFast(t, "fuzz grammar", fuzzDoc(src), 3)
	})
}

var (
	fuzzKeys   = []string{"a", "b", "title", "1", "true", "null", "a.b", "x-y", "a b", "<<", "-k", "\"q\"", "k ", "é"}
	fuzzValues = []string{
		"", " ", "x", "x y", "10:30", "2023-01-02", "2023-1-2T3:4:5Z", "2023-01-02 10:00:00", "1_0", "0x1F", "0o17", "0b11",
		"-1", "+1", ".5", "1e3", "-.inf", ".NaN", "017", "99999999999999999999", "true", "False", "no", "~", "null", "NULL",
		"é—ü", "x #c", "x#c", "#c", "[a, b]", "{a: b, c: d}", "[a, [b, c]]", "[[[a]]]", "[a,]", "[a b, c]", "{a: [b]}",
		"'q''s'", "'a", "\"e\\u00e9\\n\\t\\\"\"", "\"\\/\"", "\"\\x41\"", "\"\\ud800\"", "\"a", "\"\"",
		"-", "- a", "--", "-x", "a: b", "a:", ":x", "x:", "x: ", "|", ">", "&a x", "*a", "!t x", "? x", "@x", "`x",
		"[a:b]", "[a: b]", "{a: }", "{a}", "[ ]", "{ }", "[a] b", "'a' b", "\"a\"#c", "<<", "a\tb", "\u2028", "\u0085",
		"2023-02-29", "2024-02-29", "1900-02-29", "2000-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "2023-05-02T24:00:00Z",
		"2023-05-02T23:59:60Z", "2023-05-02T23:60:00Z", "2023-05-02T10:00:00.5Z", "2023-05-02t10:00:00Z", "0000-01-01", "2023-05-02T10:00:00+01:00",
		"0", "-0", "+0", "00", "09", "-09", "123456789012345678", "1234567890123456789", "9223372036854775808", "-9223372036854775808",
		"+", "-.", "1.", "1e", "TRUE", "tRUE", "Null", "nULL", "yes", "Off", "~x",
		"x,y", "[x]y", "a ,b", "{a:b}", "{\"a\": b}", "[-1, -a, -]", "[?]", "[a#b]", "x ' y",
	}
)

// fuzzDoc turns fuzz bytes into a document of block mapping and sequence
// lines drawn from tricky keys and values.
func fuzzDoc(src []byte) []byte {
	var b bytes.Buffer
	next := func() int {
		if len(src) == 0 {
			return 0
		}
		c := int(src[0])
		src = src[1:]
		return c
	}
	for len(src) > 0 {
		c := next()
		b.WriteString(strings.Repeat(" ", (c&7)%5))
		switch c >> 3 & 7 {
		case 0:
			b.WriteString("# comment")
		case 1:
			// blank line
		case 2, 3:
			b.WriteString("- ")
			fallthrough
		default:
			if c>>6 == 3 {
				b.WriteString(fuzzValues[next()%len(fuzzValues)])
				break
			}
			b.WriteString(fuzzKeys[next()%len(fuzzKeys)])
			b.WriteString(":")
			if v := fuzzValues[next()%len(fuzzValues)]; v != "" {
				b.WriteString(" " + v)
			}
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func benchBlock(b *testing.B) []byte {
	blocks := generatedBlocks(1)
	return blocks[0].data
}

func BenchmarkFromYAMLFast(b *testing.B) {
	src := benchBlock(b)
	if _, ok := fromYAMLFast(src, 2); !ok {
		b.Fatal("fast path falls back")
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		fromYAMLFast(src, 2)
	}
}

func BenchmarkFromYAMLV3(b *testing.B) {
	src := benchBlock(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fromYAMLV3(src, 2); err != nil {
			b.Fatal(err)
		}
	}
}

// TestYAMLFastGrammar runs fuzzDoc over deterministic pseudo-random bytes,
// so every test run compares the two paths on many near-subset documents.
func TestYAMLFastGrammar(t *testing.T) {
	n := 100000
	if testing.Short() {
		n = 5000
	}
	rng := rand.New(rand.NewPCG(1, 2))
	accepted := 0
	for i := 0; i < n; i++ {
		src := make([]byte, 1+rng.IntN(1+i%24))
		for j := range src {
			src[j] = byte(rng.Uint32())
		}
		doc := fuzzDoc(src)
		if checkFast(t, fmt.Sprintf("doc %d", i), doc, 3) {
			accepted++
		}
		if t.Failed() {
			return
		}
	}
	t.Logf("fast path accepted %d of %d documents", accepted, n)
}

// TestYAMLFastResolve compares scalar resolution with yaml.v3 over dates
// and date-times around every field's range and over integer shapes.
func TestYAMLFastResolve(t *testing.T) {
	var vals []string
	for _, y := range []int{0, 1900, 2000, 2023, 2024, 9999} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				vals = append(vals, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	for _, hms := range []string{"00:00:00", "23:59:59", "24:00:00", "23:60:00", "23:59:60", "99:99:99"} {
		for _, date := range []string{"2023-05-02", "2024-02-29", "2023-02-29", "2023-04-31"} {
			vals = append(vals, date+"T"+hms+"Z", date+"t"+hms+"Z", date+" "+hms, date+"T"+hms+"+02:00")
		}
	}
	for _, n := range []string{"0", "7", "10", "123456789012345678", "1234567890123456789", "9223372036854775807", "9223372036854775808", "18446744073709551616", "007", "08"} {
		vals = append(vals, n, "-"+n, "+"+n, n+".5", n+"e3", n+"_0")
	}
	vals = append(vals, "2019-11-23-container-registry", "0x1F", "0X1f", "0o17", "0O17", "0b101", "0B101", "-0b101", "-0o7",
		"1_000_000", "0x_1F", "1e+3", "1E-3", "-1.5e3", "+.5", "1.5.5", "0xG", "0b2", "0o8", "12:30", "1:2:3", "2023-05-02 10:00:00.5",
		"2023-05-02T10:00:00-05:00", "2023-5-2T1:2:3Z", "1inf", "-inf", "+nan", "1f", "1d", "0e", "0xABCDEF0123", "0x8000000000000000",
		"0xFFFFFFFFFFFFFFFF", "0x10000000000000000", "-0x8000000000000000", "1 2", "1T", "2023-05-02T", "2023-05-02Z",
		"-.Inf", "+.INF", "-.inf", "+.nan", "-.NaN", "-.infinity", "+inf", "-Inf")
	for _, v := range vals {
		checkFast(t, v, []byte("a: "+v+"\nb: ["+v+"]\n"), 1)
	}
}

// TestYAMLParserReuse parses documents one after the other with one
// YAMLParser: each tree must be FromYAML's, whatever the previous
// documents were (larger, smaller, rejected by the fast path, invalid).
func TestYAMLParserReuse(t *testing.T) {
	var docs [][]byte
	for _, c := range yamlFastCases {
		docs = append(docs, []byte(c.src))
	}
	for _, b := range generatedBlocks(300) {
		docs = append(docs, b.data)
	}
	docs = append(docs, []byte("a: [\n"), []byte("- a\n- b\n"), []byte("a:\n  b:\n    c: [1, 2, {d: e}]\n  f:\n  - g: h\n    i: j\n  - k\n"))
	var y YAMLParser
	for round := 0; round < 2; round++ {
		for i, d := range docs {
			want, werr := FromYAML(d, 3)
			got, gerr := y.Parse(d, 3)
			if (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
				t.Fatalf("doc %d: error %v, want %v", i, gerr, werr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("doc %d: tree differs\n%s\ngot:\n%s\nwant:\n%s", i, d, dumpNode(got), dumpNode(want))
			}
		}
		slices.Reverse(docs)
	}
}
