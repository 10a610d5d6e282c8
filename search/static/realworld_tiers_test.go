package static

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/search/query"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// realWorldRoot is the real-world-shaped test KB: postmortems written the
// way teams write them (timelines by day, tables, footnotes, code blocks,
// identifiers), a few of them with deliberate problems.
var realWorldRoot = filepath.Join("..", "..", "site", "testdata", "realworld")

// realWorldDocs loads the documents of the real-world KB (drafts
// included) and checks that they are the parsed postmortems: one for
// each Markdown file the KB could read (a file-level problem leaves a
// file out), each with an id, a title and a body.
func realWorldDocs(t *testing.T) []search.Doc {
	t.Helper()
	_, k := kbtest.Load(t, realWorldRoot, kb.Options{})
	files, err := filepath.Glob(filepath.Join(realWorldRoot, "content", "postmortems", "*", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	docs := loadDocs(t, realWorldRoot, false)
	if len(docs) != len(k.Postmortems) || len(docs)+len(k.Problems) < len(files) || len(docs) < 40 {
		t.Fatalf("%d documents, %d postmortems, %d problems, %d files", len(docs), len(k.Postmortems), len(k.Problems), len(files))
	}
	ids := map[string]bool{}
	for _, d := range docs {
		if d.ID == "" || d.Title == "" || len(d.Body) < 200 || !strings.HasSuffix(d.Path, ".md") || ids[d.ID] {
			t.Fatalf("document %q of %s (title %q, %d bytes of body): not a parsed postmortem", d.ID, d.Path, d.Title, len(d.Body))
		}
		ids[d.ID] = true
	}
	return docs
}

// realWorldQueries are drawn from the real-world KB's text: common words
// (in most documents: tiered even by tiny tiers), pairs of words, phrases
// with stop words inside, identifiers of each kind the KB holds (CVE ids,
// IPs, hostnames, ARNs, ticket ids, paths, code), misspelt words, filters
// and the default synonym groups' words.
var realWorldQueries = []string{
	// Words.
	"replica", "database", "certificate", "backup", "dns", "outage", "maintenance", "primary", "spam",
	"timeline", "engineer", "alert", "status", "customers", "restored",
	// Two words and more.
	"primary database", "replication lag", "rate limit", "certificate expiry", "status page", "data centres",
	"maintenance command", "feature flag", "egress logs", "deploy tool", "backbone capacity",
	"login api edge", "queue backlog broker",
	// Phrases, stop words inside.
	`"root cause analysis"`, `"root cause"`, `"the primary"`, `"data directory on the primary"`,
	`"replication lag on the standby"`, `"the status page was unreachable"`, `"no one had restored a backup"`,
	`"for six hours"`, `"at the edge"`, `"the data centres"`, `"see the front matter"`, `"corrective actions"`,
	`"the alert was added after the"`, `"status page"`, `"rate limit"`, `"primary database"`,
	`"root cause" database`, `"primary database" "replication lag"`, `"status status"`,
	// Phrases whose pairs are tiered with the shapes below.
	`"customers reported"`, `"internal alert"`, `"internal-alert"`, `"12:00 UTC"`, `"done communication"`,
	`"alert outage"`, `"reported outage"`, `"root cause analysis" "status page"`, `"corrective actions" backup`,
	// Identifiers.
	"CVE-2021-44228", "cve-2021-44228", `"CVE-2021-44228 assigned"`, "198.51.100.23", "203.0.113.77",
	"db1.cluster.example.net", "db1", "status.example.com", `"status.example.com"`, "example.com",
	`"arn:aws:iam::123456789012:role/partner-reports-read"`, "partner-reports-read", "acme-reports-prod",
	"123456789012", "s3:GetObject", "SRCH-877", "SRCH-411", "srch", "ERR-SCHEMA-0412", "/var/log/syslog",
	"/opt/indexer/lib/log4j-core-2.14.1.jar", "log4j-core", "log4j", "jndi", `"jndi:ldap"`, "pg_basebackup",
	"LOG4J_FORMAT_MSG_NO_LOOKUPS", "AddDate", "4412", "technique:T1190", "id:2021-12-10-log4j-exposure",
	// Misspelt words.
	"replicaton", "certificte", "databse failover", "maintenence", `"root cause" backpu`,
	// Filters.
	"database severity:SEV1", "outage severity:SEV1,SEV2", "replica after:2020", "certificate before:2024",
	"outage after:2021-12 before:2022-06", `"rate limit" severity:SEV2`, "category:outage failover",
	"status:draft", "backup after:2024", `"root cause" category:outage`, "status after:2025",
	// Filters that leave out the documents where a word weighs most, so
	// the first page reads past the first tiers.
	"spam before:2000", `"root cause" before:2018`, "alert severity:SEV4", "databse severity:SEV1",
	"api status:draft", "log4j category:vulnerability", `"corrective actions" after:2025`,
	"service after:2021-12 before:2022-01", "alert system:primary-db", "utc technique:T1499",
	// The default synonym groups' words.
	"cert expiry", "db failover", "tls", "db", "expired certificates", "s3", "dns", "secret", "object storage",
	"api key", "denial of service", "downtime", "config", "prod", "cve", "lb", "load balancer", "out of memory",
	"k8s", "creds", `"domain name system"`, `"object storage"`, `"dns servers" outage`, "dns after:2021",
	"outage severity:SEV1",
}

// realWorldDerived derives queries from the documents' text: a phrase of
// two to four words from each title or body's first line
// (phraseQueries); from every fifth line of each body, a phrase of two to
// five words as it is written (identifiers, table cells and code
// included) and, for some, the same words unquoted; the pasted
// identifiers (tokens with : . / - _ @ or #); two of a title's words;
// title words with a letter dropped (typos). Queries that do not parse
// (a stray quote, arn:… read as a field) are left out; each is kept once.
func realWorldDerived(docs []search.Doc) []string {
	var qs []string
	seen := map[string]bool{}
	add := func(q string) {
		if _, err := query.Parse(q); err == nil && !seen[q] {
			seen[q] = true
			qs = append(qs, q)
		}
	}
	for _, q := range phraseQueries(docs, 1) {
		add(q)
	}
	for i, d := range docs {
		for j, line := range strings.Split(d.Body, "\n") {
			w := strings.Fields(strings.ReplaceAll(line, `"`, ""))
			if len(w) < 2 || (i+j)%5 != 0 {
				continue
			}
			n := min(2+(i+j)%4, len(w))
			from := (i*7 + j) % (len(w) - n + 1)
			add(`"` + strings.Join(w[from:from+n], " ") + `"`)
			if (i+j)%3 == 0 {
				add(strings.Join(queryWords(strings.Join(w[from:from+n], " ")), " "))
			}
		}
		for _, w := range strings.Fields(d.Body) {
			if w = strings.Trim(w, "`*()[],;.\"'"); len(w) > 5 && strings.ContainsAny(w, ":./-_@#") {
				add(w)
			}
		}
		words := queryWords(d.Title)
		if len(words) >= 3 && i%3 == 1 {
			add(words[i%(len(words)-1)] + " " + words[len(words)-1])
		}
		for j, w := range words {
			if len(w) >= 6 && (i+j)%4 == 0 {
				k := (i + j) % len(w)
				add(w[:k] + w[k+1:])
			}
		}
	}
	return qs
}

// queryWords splits text into words of letters, digits and hyphens.
func queryWords(text string) []string {
	return strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' {
			return r
		}
		return ' '
	}, text))
}

// phraseQueries are quoted phrases of two to four words from the title
// (even documents) or the body's first line (odd ones) of every step-th
// document.
func phraseQueries(docs []search.Doc, step int) []string {
	var qs []string
	for i := 0; i < len(docs); i += step {
		text := docs[i].Title
		if i%2 == 1 {
			text, _, _ = strings.Cut(strings.TrimSpace(docs[i].Body), "\n")
		}
		words := queryWords(text)
		n := 2 + i%3
		if len(words) >= n {
			from := i % (len(words) - n + 1)
			qs = append(qs, `"`+strings.Join(words[from:from+n], " ")+`"`)
		}
	}
	return qs
}

// TestRealWorldTiers: with tiny tiers on the real-world KB, the static
// search returns the CLI's ids in the CLI's order, and its first page,
// read from the first tiers only, is the start of that answer.
func TestRealWorldTiers(t *testing.T) {
	docs := realWorldDocs(t)
	ctx := browser(t)
	queries := append(append([]string{}, realWorldQueries...), realWorldDerived(docs)...)
	syn := config.DefaultSynonyms()
	// The first splits 39 word pairs into tiers, the second 5.
	for _, o := range []Options{{TierDocs: 1, TierFrom: -1, BigDocs: 2, ShardSize: 8},
		{TierDocs: 2, TierFrom: -1, BigDocs: 1, ShardSize: 32, Synonyms: syn}} {
		n := compareWithCLI(t, ctx, docs, queries, o)
		t.Logf("%s: %d of %d queries with results", shapeName(o), n, len(queries))
		if n < len(queries)*9/10 {
			t.Errorf("%s: %d of %d queries with results", shapeName(o), n, len(queries))
		}
	}
}

// TestRealWorldPhraseFirstPage: with tiny tiers on the real-world KB, the
// first k hits search.js proves reading tiers only as far as the page
// needs are the start of the whole answer, scores included.
func TestRealWorldPhraseFirstPage(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node")
	}
	docs := realWorldDocs(t)
	queries := append(append([]string{}, realWorldQueries...), realWorldDerived(docs)...)
	syn := config.DefaultSynonyms()
	// The first three split word pairs ("root caus", "correct action",
	// "statu page", "intern alert", "custom report", …) into tiers, the
	// first 114 of them, the second 39; the last has no pairs: every
	// phrase is checked with positions.
	for _, c := range []struct {
		o         Options
		pairTiers int
	}{
		{Options{TierDocs: 1, TierFrom: -1, BigDocs: 1, ShardSize: 4, Synonyms: syn}, 100},
		{Options{TierDocs: 1, TierFrom: -1, BigDocs: 2, ShardSize: 8}, 30},
		{Options{TierDocs: 2, TierFrom: -1, BigDocs: 1, ShardSize: 32, Synonyms: syn}, 4},
		{Options{TierDocs: 1, TierFrom: -1, BigDocs: 1000, ShardSize: 64}, 0},
	} {
		o := c.o
		nonEmpty, pairTiers := topKCheck(t, node, docs, queries, o)
		t.Logf("%s: %d of %d queries with results, %d pairs with a second tier", shapeName(o), nonEmpty, len(queries), pairTiers)
		if nonEmpty < len(queries)*9/10 {
			t.Errorf("%s: %d of %d queries with results", shapeName(o), nonEmpty, len(queries))
		}
		if pairTiers < c.pairTiers {
			t.Errorf("%s: %d pairs with a second tier, want %d or more", shapeName(o), pairTiers, c.pairTiers)
		}
	}
}

// topKCheck exports docs with o and runs queries through
// testdata/topk_check.js in node, reporting its errors; it returns how
// many queries had results and how many pairs have a second tier.
func topKCheck(t *testing.T, node string, docs []search.Doc, queries []string, o Options) (nonEmpty, pairTiers int) {
	t.Helper()
	js, _ := filepath.Abs(searchJS)
	files, err := Export(docs, o)
	if err != nil {
		t.Fatal(err)
	}
	bundle := map[string]string{}
	for name, data := range files {
		bundle[strings.TrimPrefix(name, "index/")] = string(data)
		if strings.HasPrefix(name, "index/b/") && strings.HasSuffix(name, "-1.json") {
			pairTiers++
		}
	}
	b, err := json.Marshal(bundle)
	if err != nil {
		t.Fatal(err)
	}
	fpath := filepath.Join(t.TempDir(), "files.json")
	if err := os.WriteFile(fpath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, append([]string{filepath.Join("testdata", "topk_check.js"), js, fpath}, queries...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("topk_check.js: %v\n%s", err, out)
	}
	var res struct {
		Checked, NonEmpty int
		Errors            []string
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("topk_check.js: %v: %s", err, out)
	}
	for _, e := range res.Errors {
		t.Errorf("%s: %s", shapeName(o), e)
	}
	return res.NonEmpty, pairTiers
}

// shapeName names the index shape of o in a test's messages (without the
// synonym groups' text).
func shapeName(o Options) string {
	s := fmt.Sprintf("TierDocs %d, TierFrom %d, BigDocs %d, ShardSize %d", o.TierDocs, o.TierFrom, o.BigDocs, o.ShardSize)
	if o.ChunkDocs != 0 {
		s += fmt.Sprintf(", ChunkDocs %d", o.ChunkDocs)
	}
	if len(o.Synonyms) > 0 {
		s += fmt.Sprintf(", %d synonym groups", len(o.Synonyms))
	}
	return s
}
