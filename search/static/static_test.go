package static

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	porterstemmer "github.com/blevesearch/go-porterstemmer"

	"github.com/hindsight-kb/hindsight/search"
	textan "github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/search/query"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// searchJS is the browser script, relative to this package.
var searchJS = filepath.Join("..", "..", "themes", "default", "static", "search.js")

func loadDocs(t testing.TB, root string, public bool) []search.Doc {
	t.Helper()
	cfg, k := kbtest.Load(t, root, kb.Options{})
	return search.Docs(k.Postmortems, search.DocOptionsFor(cfg, public, !public))
}

// extraWords exercise every step and quirk of the Porter stemmer.
var extraWords = strings.Fields(`caresses ponies ties caress cats feed agreed plastered bled motoring sing
conflated troubled sized hopping tanned falling hissing fizzed failing filing happy sky relational conditional
rational valenci hesitanci digitizer conformabli radicalli differentli vileli analogousli vietnamization
predication operator feudalism decisiveness hopefulness callousness formaliti sensitiviti sensibiliti triplicate
formative formalize electriciti electrical hopeful goodness revival allowance inference airliner gyroscopic
adjustable defensible irritant replacement adjustment dependent adoption homologou communism activate angulariti
homologous effective bowdlerize probate rate cease controll roll generalization oscillators archaeology
yy y by say sayings enjoying eed ied ies sses ss s ing ed ying xyz ay aying logi analogi bli ably
x509 2023 0x4be1 acme.com t1566.001 naïve café résumé straße`)

// identifierTexts hold identifiers of each kind the analyzer indexes
// whole and by parts (textan.English), for TestJSAnalysisAgreesWithGo.
var identifierTexts = []string{
	"probe ${jndi:ldap://198.51.100.23:1389/a} from 203.0.113.7, see https://status.acme.com/incidents/42?x=1.",
	"mail oncall@example.org; arn:aws:s3:::bucket-name/key and arn:aws:iam::123456789012:role/Deploy_Role",
	"denied s3:GetObject, s3:PutObject; IPv6 2001:db8::1 and fe80::1%eth0; CIDR 10.0.0.0/8 192.168.1.0/24",
	"db-1.internal:5432 /var/log/nginx/access.log C:\\Windows\\System32 ./run.sh ../etc/x.conf",
	"CVE-2021-44228 SEC-1030 INC-2024-0117 T1566.001 sha256:9f86d081884c7d65 d41d8cd98f00b204e9800998ecf8427e",
	"snake_case kebab-case XMLHttpRequest getObjects HTTPServer2Go the-end a.b.c. -flag --x .acme.com. _x_",
	"café.acme.com naïve-host.example straße:80 sub.example.jp ok.\u00e9t\u00e9 \u00c9Tat-Major",
	"0.0'0.0 ab.cd'ef.gh x.y'x.y at 2025-03-14 09:12:30 UTC ::1 555-0100",
	"2025-03-09T08:20:23Z 2024-02-26t02:20 2021-05-31T17 2025-03-09T08:20:23+01:00 T-1000 1T-2 2025-03-09Tz 08:20Z:1 9T9",
	strings.Repeat("a.", 200) + "com " + strings.Repeat("x-", 100) + "y " + strings.Repeat("Ab", 80),
}

func TestJSAnalysisAgreesWithGo(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	docs := loadDocs(t, filepath.Join("..", "testdata", "kb"), false)
	if _, err := os.Stat(filepath.Join("..", "..", "content", "postmortems")); err == nil {
		docs = append(docs, loadDocs(t, filepath.Join("..", ".."), false)...)
	}
	// Pasted logs and identifiers (compound tokens).
	docs = append(docs, loadDocs(t, filepath.Join("..", "..", "site", "testdata", "realworld"), false)...)
	for _, text := range identifierTexts {
		docs = append(docs, search.Doc{Body: text})
	}
	a, err := textan.NewAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	type cases struct {
		Stems   [][2]string `json:"stems"`
		Texts   [][2]any    `json:"texts"`
		Stop    []string    `json:"stop"`
		Queries [][2]any    `json:"queries"`
		Hash    [][2]any    `json:"hash"`
		Nums    [][2]any    `json:"nums"`
		Dates   [2]any      `json:"dates"`
	}
	c := cases{Stop: textan.StopWords()}
	words := map[string]bool{}
	for _, w := range extraWords {
		words[w] = true
	}
	tok := unicode.NewUnicodeTokenizer()
	for _, d := range docs {
		for _, text := range []string{d.Title, d.Body, d.Keywords} {
			for _, tk := range tok.Tokenize([]byte(text)) {
				w := strings.ToLower(string(tk.Term))
				w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
				words[w] = true
			}
			var toks [][2]any
			for _, t := range textan.Analyze(a, text) {
				toks = append(toks, [2]any{t.Term, t.Position})
			}
			if toks == nil {
				toks = [][2]any{}
			}
			c.Texts = append(c.Texts, [2]any{text, toks})
		}
	}
	var ws []string
	for w := range words {
		ws = append(ws, w)
	}
	sort.Strings(ws)
	for _, w := range ws {
		c.Stems = append(c.Stems, [2]string{w, string(porterstemmer.StemWithoutLowerCasing([]rune(w)))})
	}
	for _, q := range []string{"a b", `"unclosed`, `x "y`, "sytem:x", "cause:", "cause:a,,b", "after:2024-02-30",
		"after:2024-02-29", "before:2023-02-29", "after:2024-13", "é:x", `cause:"a b"`, `cause:""`, "severity:SEV1,SEV2",
		"https://x.y/z", "error: x", "x509:abc", "after:2024", "data:a,", `ü "ä`, "after:0000-02-29", "before:0100-02-29", "after:0004-02-29"} {
		col := 0
		if _, err := query.Parse(q); err != nil {
			col = err.(*query.ParseError).Col
		}
		c.Queries = append(c.Queries, [2]any{q, col})
	}
	for _, k := range []string{"certif", "~cause:expired-certificate", "naïv", "", "straße"} {
		h := fnv.New32a()
		h.Write([]byte(k))
		c.Hash = append(c.Hash, [2]any{k, h.Sum32()})
	}
	for _, xs := range numCases {
		var enc []byte
		for _, x := range xs {
			enc = appendNum(enc, x)
		}
		c.Nums = append(c.Nums, [2]any{string(enc), xs})
	}
	dfiles, err := Export(datesDocs(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c.Dates = [2]any{json.RawMessage(dfiles["index/dates.json"]), decodeDates(t, dfiles["index/dates.json"])}
	b, _ := json.Marshal(c)
	f := filepath.Join(t.TempDir(), "cases.json")
	os.WriteFile(f, b, 0o644)
	js, _ := filepath.Abs(searchJS)
	out, err := exec.Command(node, filepath.Join("testdata", "check_analysis.js"), js, f).CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("search.js disagrees with Go: %v", err)
	}
	if len(c.Stems) < 300 {
		t.Errorf("vocabulary too small: %d words", len(c.Stems))
	}
}

func TestExportLayout(t *testing.T) {
	docs := loadDocs(t, filepath.Join("..", "testdata", "kb"), true)
	files, err := Export(docs, Options{ShardSize: 2048, ChunkDocs: 2, BigDocs: 2})
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Version, N, Shards, Pshards, Qshards, Bshards, Big, Chunk int
		Stop                                                      []string
	}
	if err := json.Unmarshal(files["index/meta.json"], &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Version != Version || meta.N != 5 || meta.Shards < 2 || meta.Pshards < 2 || meta.Qshards != 0 || meta.Bshards != 1 ||
		meta.Big != 2 || meta.Chunk != 2 || len(meta.Stop) < 100 {
		t.Errorf("meta %+v", meta)
	}
	// "summari" is in every document: big, its positions in q/<its hash>.json.
	for _, p := range []string{"index/dates.json", "index/d/0.json", "index/d/2.json", "index/t/0.json", "index/p/0.json",
		fmt.Sprintf("index/q/%d.json", fnv1a("summari")), "index/b/0.json"} {
		if files[p] == nil {
			t.Errorf("missing %s", p)
		}
	}
	// The public export holds no internal postmortem or section.
	for name, b := range files {
		s := string(b)
		for _, bad := range []string{"mesh-ca", "zanzibar", "dns-draft", "ransomware", "alice", "owl"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
	// Newest first.
	dates := decodeDates(t, files["index/dates.json"])
	if len(dates) != 5 {
		t.Errorf("dates %v", dates)
	}
	if !sort.SliceIsSorted(dates, func(i, j int) bool { return dates[i] > dates[j] }) {
		t.Errorf("dates not newest first: %v", dates)
	}
}

// decodeDates decodes dates.json into the day of each document.
func decodeDates(t *testing.T, b []byte) []string {
	t.Helper()
	var f struct{ Runs string }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	a, err := decodeNums(f.Runs)
	if err != nil || len(a)%2 != 0 {
		t.Fatalf("dates.json %s: %v", b, err)
	}
	var out []string
	day := int64(0)
	for i := 0; i < len(a); i += 2 {
		s := ""
		if a[i] != 1 {
			z := int64(a[i] / 2)
			day += z>>1 ^ -(z & 1)
			s = time.Unix(day*86400, 0).UTC().Format(time.DateOnly)
		}
		for k := 0; k < a[i+1]; k++ {
			out = append(out, s)
		}
	}
	return out
}

// datesDocs are documents whose local days are not in the order of their
// instants (time zones), with days before 1970 and without a date.
func datesDocs() []search.Doc {
	east, west := time.FixedZone("east", 14*3600), time.FixedZone("west", -12*3600)
	var docs []search.Doc
	for i, st := range []time.Time{
		time.Date(2024, 1, 2, 1, 0, 0, 0, east), time.Date(2024, 1, 1, 22, 0, 0, 0, west), time.Date(2024, 1, 1, 23, 0, 0, 0, time.UTC),
		time.Date(2024, 1, 1, 23, 0, 0, 0, time.UTC), {}, time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), {},
		time.Date(1901, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2120, 3, 4, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		docs = append(docs, search.Doc{ID: fmt.Sprintf("d%d", i), Title: "x", Started: st})
	}
	return docs
}

func TestDates(t *testing.T) {
	docs := datesDocs()
	files, err := Export(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := decodeDates(t, files["index/dates.json"])
	var want []string
	var ids []string
	for c := 0; len(ids) < len(docs); c++ {
		var rows [][]string
		if err := json.Unmarshal(files[fmt.Sprintf("index/d/%d.json", c)], &rows); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			ids = append(ids, r[0])
			want = append(want, r[3])
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("dates %v, want %v (documents %v)", got, want, ids)
	}
	if want[len(want)-1] != "" || !slices.Contains(want, "1901-06-01") || !slices.Contains(want, "2024-01-02") {
		t.Errorf("days %v", want)
	}
}

// TestKeysWhereTheBrowserLooks checks that every key is in the file
// search.js computes for it from meta.json: t/ keys in their shard or,
// when meta.solo lists the top 20 bits of their hash, in t/s<h>.json;
// p/ and b/ keys in their shard; q/ keys in q/<hash>.json.
func TestKeysWhereTheBrowserLooks(t *testing.T) {
	docs := loadDocs(t, filepath.Join("..", "testdata", "kb"), false)
	for _, opts := range []Options{{}, {ShardSize: 256, BigDocs: 1}, {ShardSize: 16, BigDocs: 2}} {
		files, err := Export(docs, opts)
		if err != nil {
			t.Fatal(err)
		}
		var meta struct {
			Shards, Pshards, Bshards int
			Solo                     string
		}
		if err := json.Unmarshal(files["index/meta.json"], &meta); err != nil {
			t.Fatal(err)
		}
		deltas, err := decodeNums(meta.Solo)
		if err != nil {
			t.Fatal(err)
		}
		solo, h := map[uint32]bool{}, 0
		for _, d := range deltas {
			h += d
			solo[uint32(h)] = true
		}
		kinds := map[string]int{}
		for name, b := range files {
			dir, _, ok := strings.Cut(strings.TrimPrefix(name, "index/"), "/")
			if !ok || dir == "d" {
				continue
			}
			if dir == "w" || dir == "v" {
				// the typo retry's lists: by key length
				var words map[string]any
				if err := json.Unmarshal(b, &words); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for key := range words {
					kinds[dir]++
					if want := fmt.Sprintf("index/%s/%d.json", dir, len(key)); name != want {
						t.Errorf("%+v: word %q is in %s, the browser looks in %s", opts, key, name, want)
					}
				}
				continue
			}
			for key := range decodeShard(t, b) {
				var want string
				switch dir {
				case "t":
					if hh := fnv1a(key) >> 12; solo[hh] {
						want = fmt.Sprintf("index/t/s%d.json", hh)
						kinds["solo"]++
					} else {
						want = fmt.Sprintf("index/t/%d.json", Shard(key, meta.Shards))
					}
				case "p":
					want = fmt.Sprintf("index/p/%d.json", Shard(key, meta.Pshards))
				case "b":
					want = fmt.Sprintf("index/b/%d.json", Shard(key, meta.Bshards))
				case "q":
					want = fmt.Sprintf("index/q/%d.json", fnv1a(key))
				}
				kinds[dir]++
				if name != want {
					t.Errorf("%+v: key %q is in %s, the browser looks in %s", opts, key, name, want)
				}
			}
		}
		if kinds["t"] == 0 || kinds["p"]+kinds["q"] == 0 || kinds["w"] == 0 || kinds["v"] == 0 || (opts.ShardSize == 16) != (kinds["solo"] > 0) {
			t.Errorf("%+v: keys of each kind: %v", opts, kinds)
		}
	}
}

// TestShardsAreCanonicalJSON checks that the hand-written shards, chunks
// and dates are exactly what json.Marshal writes for the same values
// (sorted keys, same escaping), on the sample KB when present.
func TestShardsAreCanonicalJSON(t *testing.T) {
	root := filepath.Join("..", "testdata", "kb")
	if _, err := os.Stat(filepath.Join("..", "..", "content", "postmortems")); err == nil {
		root = filepath.Join("..", "..")
	}
	files, err := Export(loadDocs(t, root, false), Options{ShardSize: 2048})
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		var v any
		switch {
		case strings.HasPrefix(name, "index/t/"), strings.HasPrefix(name, "index/p/"):
			v = new(map[string]json.RawMessage)
		case strings.HasPrefix(name, "index/d/"):
			v = new([][]string)
		default:
			v = new(any)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, _ := json.Marshal(v)
		if string(want) != string(b) {
			t.Errorf("%s is not canonical JSON:\n got %.200s\nwant %.200s", name, b, want)
		}
	}
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "<b>&amp;</b>", "tab\tnl\n\x00", "naïve", "\u2028\u2029",
		"bad \xff utf8", "~cause:expired-certificate", "del\x7f"} {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

// numCases are number lists for the encoding tests: the edges of one,
// two, three and more digits.
var numCases = [][]int{{}, {0}, {63}, {64}, {0, 63, 64, 65}, {1535, 1536, 1537}, {36863, 36864, 36865},
	{884735, 884736, 1 << 30, 1<<31 - 1}, {7, 0, 0, 1000, 12345, 2, 99999999}}

func TestNumEncoding(t *testing.T) {
	if len(numDigits) != numLow+numHigh || numHigh != 24 {
		t.Fatalf("alphabet of %d digits, %d high", len(numDigits), numHigh)
	}
	// No digit is escaped by JSON (encoding/json escapes <, > and &).
	q, _ := json.Marshal(numDigits)
	if string(q) != `"`+numDigits+`"` {
		t.Errorf("the alphabet needs escaping in JSON: %s", q)
	}
	for k := 0; k < len(numDigits); k++ {
		if strings.IndexByte(numDigits, numDigits[k]) != k {
			t.Errorf("digit %q repeated", numDigits[k])
		}
	}
	cases := slices.Clone(numCases)
	for v := 0; v < 5000; v++ {
		cases = append(cases, []int{v, v * 37, v * v * 11})
	}
	for _, xs := range cases {
		var b []byte
		for _, x := range xs {
			b = appendNum(b, x)
		}
		got, err := decodeNums(string(b))
		if err != nil || !slices.Equal(got, xs) && len(xs) > 0 {
			t.Errorf("%v → %q → %v, %v", xs, b, got, err)
		}
	}
	for _, v := range []int{63, 1535, 36863} {
		if n := len(appendNum(nil, v)); n != len(appendNum(nil, v+1))-1 {
			t.Errorf("%d takes %d digits, %d the next", v, n, len(appendNum(nil, v+1)))
		}
	}
	for _, bad := range []string{"~", "#~", "a\\", "<"} {
		if _, err := decodeNums(bad); err == nil {
			t.Errorf("decodeNums(%q): no error", bad)
		}
	}
}

// decodeShard decodes a shard file into key → numbers.
func decodeShard(t *testing.T, b []byte) map[string][]int {
	t.Helper()
	var sh map[string]string
	if err := json.Unmarshal(b, &sh); err != nil {
		t.Fatal(err)
	}
	out := map[string][]int{}
	for k, v := range sh {
		xs, err := decodeNums(v)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		out[k] = xs
	}
	return out
}

// positionRecords calls f(doc, field, pos) for the records
// Δdoc,n·3+field,pos,Δpos… of a position or pair entry.
func positionRecords(t *testing.T, a []int, f func(doc, field, pos int)) {
	t.Helper()
	for i, doc := 0, 0; i < len(a); {
		if i+2 >= len(a) {
			t.Fatalf("truncated record at %d of %v", i, a)
		}
		doc += a[i]
		fld, n, p := a[i+1]%3, a[i+1]/3, 0
		if n == 0 || i+2+n > len(a) {
			t.Fatalf("bad count at %d of %v", i, a)
		}
		for k := 0; k < n; k++ {
			p += a[i+2+k]
			f(doc, fld, p)
		}
		i += 2 + n
	}
}

// TestWordPairs checks the pair lists against the positions: with every
// word big, "a b" lists exactly the (document, field, position) of each a
// that b directly follows (position + 1; a word's compound tokens share
// its position, so a position may hold several terms).
func TestWordPairs(t *testing.T) {
	docs := loadDocs(t, filepath.Join("..", "testdata", "kb"), false)
	files, err := Export(docs, Options{BigDocs: 1})
	if err != nil {
		t.Fatal(err)
	}
	var meta struct{ Pshards, Qshards, Bshards int }
	json.Unmarshal(files["index/meta.json"], &meta)
	at := map[[3]int][]string{} // doc, field, position → terms
	for _, dir := range []string{"p", "q"} {
		for name, b := range files {
			if !strings.HasPrefix(name, "index/"+dir+"/") {
				continue
			}
			for term, a := range decodeShard(t, b) {
				positionRecords(t, a, func(doc, f, p int) { at[[3]int{doc, f, p}] = append(at[[3]int{doc, f, p}], term) })
			}
		}
	}
	df := map[string]map[int]bool{}
	want := map[string][][3]int{}
	for k, as := range at {
		for _, a := range as {
			if df[a] == nil {
				df[a] = map[int]bool{}
			}
			df[a][k[0]] = true
			for _, b := range at[[3]int{k[0], k[1], k[2] + 1}] {
				want[a+" "+b] = append(want[a+" "+b], k)
			}
		}
	}
	listed := map[string]bool{}
	for name, b := range files {
		if strings.HasPrefix(name, "index/b/") {
			for key := range decodeShard(t, b) {
				listed[key] = true
			}
		}
	}
	n := 0
	for key, recs := range want {
		a, b, _ := strings.Cut(key, " ")
		if len(df[a]) <= 1 && len(df[b]) <= 1 {
			if listed[key] {
				t.Errorf("pair %q of two small words is listed", key)
			}
			continue // not listed: no big word
		}
		delete(listed, key)
		slices.SortFunc(recs, func(x, y [3]int) int { return slices.Compare(x[:], y[:]) })
		var got [][3]int
		positionRecords(t, decodeShard(t, files[fmt.Sprintf("index/b/%d.json", Shard(key, meta.Bshards))])[key],
			func(doc, f, p int) { got = append(got, [3]int{doc, f, p}) })
		if !slices.Equal(got, recs) {
			t.Errorf("pair %q: %v, want %v", key, got, recs)
		}
		n++
	}
	if n < 50 {
		t.Errorf("only %d pairs checked", n)
	}
	if len(listed) > 0 {
		t.Errorf("pairs listed that do not occur: %v", listed)
	}
}

// FuzzNums checks that decodeNums reads back what appendNum writes and
// never panics on other strings.
func FuzzNums(f *testing.F) {
	f.Add(uint32(0), uint32(63), "#~")
	f.Add(uint32(1536), uint32(1<<31-1), "h#")
	f.Fuzz(func(t *testing.T, a, b uint32, s string) {
		xs := []int{int(a), int(b), int(a >> 7)}
		var enc []byte
		for _, x := range xs {
			enc = appendNum(enc, x)
		}
		got, err := decodeNums(string(enc))
		if err != nil || !slices.Equal(got, xs) {
			t.Fatalf("%v → %q → %v, %v", xs, enc, got, err)
		}
		for i := 0; i < len(enc); i++ {
			if enc[i] < '#' || enc[i] > '~' || strings.IndexByte(`&<>\`, enc[i]) >= 0 {
				t.Fatalf("%v → %q: byte %q outside the alphabet", xs, enc, enc[i])
			}
		}
		if got, err := decodeNums(s); err == nil {
			var again []byte
			for _, x := range got {
				again = appendNum(again, x)
			}
			if back, err := decodeNums(string(again)); err != nil || !slices.Equal(back, got) {
				t.Fatalf("%q → %v → %q → %v, %v", s, got, again, back, err)
			}
		}
	})
}

// TestExportTerms: Options.Terms is given each exported document's terms
// once (a repeated ID's document not), by its index in the caller's
// slice, with its counts per field as the analyzer's tokens give them,
// all before Analysed; an analyzer of the caller's, the hooks and
// ReleaseBodies leave the files as they are.
func TestExportTerms(t *testing.T) {
	docs := loadDocs(t, kbtest.Cached(t, 200, 4), false)
	docs = append(docs, docs[7]) // a repeated ID: not exported
	docs[3].Title = "Ünïcode TITLE title \xff bad"
	want, err := Export(slices.Clone(docs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := textan.NewNumberingEnglish()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	got := map[int]string{}
	analysed := -1
	files, err := Export(slices.Clone(docs), Options{Analyzer: a, ReleaseBodies: true,
		Terms: func(doc int, terms []int32, counts [][3]int32) {
			names := a.Terms()
			var b strings.Builder
			for j, id := range terms {
				fmt.Fprintf(&b, "%s=%v ", names[id], counts[j])
			}
			mu.Lock()
			defer mu.Unlock()
			if _, ok := got[doc]; ok {
				t.Errorf("document %d given twice", doc)
			}
			got[doc] = b.String()
		},
		Analysed: func() {
			mu.Lock()
			analysed = len(got)
			mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(files, want, bytes.Equal) {
		t.Error("the files differ with the hooks")
	}
	if analysed != len(docs)-1 {
		t.Errorf("Analysed after %d documents, want %d", analysed, len(docs)-1)
	}
	if _, ok := got[len(docs)-1]; ok {
		t.Error("the document of a repeated ID was given")
	}
	e, err := textan.NewEnglish()
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range docs[:len(docs)-1] {
		var terms []string
		counts := map[string]*[3]int32{}
		for f, text := range [3]string{d.Title, d.Body, d.Keywords} {
			for _, tok := range e.Tokens(nil, text) {
				c := counts[tok.Term]
				if c == nil {
					c = &[3]int32{}
					counts[tok.Term] = c
					terms = append(terms, tok.Term)
				}
				c[f]++
			}
		}
		var b strings.Builder
		for _, term := range terms {
			fmt.Fprintf(&b, "%s=%v ", term, *counts[term])
		}
		if got[i] != b.String() {
			t.Fatalf("document %d (%s): Terms gave\n%s\nwant\n%s", i, d.ID, got[i], b.String())
		}
	}
}

// TestNumLen: numLen counts the bytes appendNum writes.
func TestNumLen(t *testing.T) {
	for _, v := range []int{0, 1, 63, 64, 65, 1535, 1536, 36863, 36864, 884735, 884736, 1 << 30} {
		if got, want := numLen(v), len(appendNum(nil, v)); got != want {
			t.Errorf("numLen(%d) = %d, want %d", v, got, want)
		}
	}
}

// decodeNums decodes a string of numbers written by appendNum (the tests' reader;
// search.js has its own).
func decodeNums(s string) ([]int, error) {
	var out []int
	acc := 0
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(numDigits, s[i])
		switch {
		case d < 0:
			return nil, fmt.Errorf("static index: byte %q at %d is not a number digit", s[i], i)
		case d < numLow:
			out = append(out, acc*numLow+d)
			acc = 0
		default:
			acc = acc*numHigh + d - numLow
			if acc > 1<<40 {
				return nil, fmt.Errorf("static index: number too large at byte %d of %q", i, s)
			}
		}
	}
	if acc != 0 || (len(s) > 0 && strings.IndexByte(numDigits[:numLow], s[len(s)-1]) < 0) {
		return nil, fmt.Errorf("static index: %q ends inside a number", s)
	}
	return out, nil
}
