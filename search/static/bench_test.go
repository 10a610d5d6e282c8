package static

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	textan "github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// BenchmarkExport10k exports the static index of a generated 10,000
// postmortem KB and reports, for typical first queries run by search.js
// in node with an empty cache, the bytes downloaded (meta, shards, dates,
// first page of documents, and for misspelt words the typo retry's
// lists), and the same for 300 random phrases of 3 to 5 words from the
// KB's titles and summaries.
func BenchmarkExport10k(b *testing.B) {
	root, err := kbgen.Cached(10000, 1)
	if err != nil {
		b.Fatal(err)
	}
	docs := loadDocs(b, root, false)
	var files map[string][]byte
	c0 := kbtest.CPUTime()
	for b.Loop() {
		files, err = Export(docs, Options{})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((kbtest.CPUTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
	total := 0
	for _, f := range files {
		total += len(f)
	}
	b.ReportMetric(float64(total)/(1<<20), "MiB-total")
	b.ReportMetric(float64(len(files)), "files")
	node, err := exec.LookPath("node")
	if err != nil {
		return
	}
	dir := b.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, data, 0o644)
	}
	firstQueries(b, node, filepath.Join(dir, "index"))
}

// BenchmarkFirstQuery runs the first queries of BenchmarkExport10k on the
// static index of a site already built, named by HINDSIGHT_SEARCH_INDEX
// (its search/index folder; a 100,000 postmortem build is too large to
// export inside a test): skipped when it is not set.
//
//	hindsight build --root /tmp/kb100k --out /tmp/out100k
//	HINDSIGHT_SEARCH_INDEX=/tmp/out100k/search/index go test ./search/static -run '^$' -bench FirstQuery -benchtime 1x
func BenchmarkFirstQuery(b *testing.B) {
	dir := os.Getenv("HINDSIGHT_SEARCH_INDEX")
	if dir == "" {
		b.Skip("HINDSIGHT_SEARCH_INDEX is not set")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		b.Skip("no node")
	}
	for b.Loop() {
	}
	firstQueries(b, node, dir)
}

// firstQueries runs testdata/first_query.js on the index in dir (node, an
// empty cache per query, the first page's documents included) and
// reports the bytes read: the benchmark's queries, then 300 random
// phrases of 3 to 5 words and 300 random words and pairs of words from
// the titles and summaries.
func firstQueries(b *testing.B, node, dir string) {
	js, _ := filepath.Abs(searchJS)
	queries := []string{"certificate expired", "database failover", `"rate limit"`, `"primary database"`, `"the login api"`,
		`"failover to the primary database"`, `"tls certificate expired"`, `"root cause analysis"`,
		"phishing severity:SEV1,SEV2 after:2023", "cause:expired-certificate", "credentials leaked", "credential rotation",
		`"the primary database failed"`, `"an expired tls certificate"`, `"add rate limiting"`, `"rate limit exceeded"`,
		`"connection pool exhaustion"`, `"retry storm without backoff"`, `"the on-call engineer"`,
		`"root cause analysis" after:2024`, `"single point of failure"`, `"a review of the change process"`,
		`"alert on error rate"`, "203.0.113.8404:1467", "203.0.113.8404", "team-platform", "on-call",
		// misspelt: the typo retry's extra files (w/, v/ and the near terms' t/)
		"certifcate", "certificate", "phishng", "databse failover", "cert-manger", "credentails leaked",
		// the default synonyms' words whose groups hold phrases ("denial of service", "load balancer", …)
		"ddos", "lb", "sso", "mfa", "secret", "ddos attack", "team-edge"}
	out, err := exec.Command(node, append([]string{filepath.Join("testdata", "first_query.js"), js, dir,
		"--random=300", "--words=300"}, queries...)...).Output()
	if err != nil {
		b.Fatal(err)
	}
	var res struct {
		Queries []struct {
			Q     string
			Bytes int
			Files int
			Total int
		}
		Random, Words struct {
			N, Median, P90, P99, Max, Over300k, Over500k int
			Worst                                        string
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		b.Fatalf("first_query.js: %v", err)
	}
	worst := 0
	for _, r := range res.Queries {
		b.Logf("%-45q %7d bytes in %2d files, %d results", r.Q, r.Bytes, r.Files, r.Total)
		worst = max(worst, r.Bytes)
	}
	rr := res.Random
	b.Logf("%d random phrases of 3-5 words from titles and summaries: median %d, p90 %d, p99 %d, max %d bytes (%s); %d over 300 KB, %d over 500 KB",
		rr.N, rr.Median, rr.P90, rr.P99, rr.Max, rr.Worst, rr.Over300k, rr.Over500k)
	rw := res.Words
	b.Logf("%d random words and pairs of words (not quoted) from titles and summaries: median %d, p90 %d, p99 %d, max %d bytes (%s); %d over 300 KB",
		rw.N, rw.Median, rw.P90, rw.P99, rw.Max, rw.Worst, rw.Over300k)
	b.ReportMetric(float64(worst)/1024, "KiB-worst-first-query")
	b.ReportMetric(float64(rw.Max)/1024, "KiB-worst-random-words")
	b.ReportMetric(float64(rw.P90)/1024, "KiB-p90-random-words")
	b.ReportMetric(float64(rr.Max)/1024, "KiB-worst-random-phrase")
	b.ReportMetric(float64(rr.Median)/1024, "KiB-median-random-phrase")
}

var _ = textan.StopWords
