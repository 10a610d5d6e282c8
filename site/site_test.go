package site

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

var fixtureKB = "testdata/kb.txtar"

// testNow is the fixed build clock of the tests.
var testNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// writeTxtar extracts a txtar file into a new temporary folder.
func writeTxtar(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return extract(t, b)
}

// extract writes the files of a txtar archive ("-- name --" lines, then
// the content) into a new temporary folder. (go-internal's txtar needs
// golang.org/x/tools, which is not in go.sum; the format is this small.)
func extract(t testing.TB, archive []byte) string {
	t.Helper()
	dir := t.TempDir()
	var name string
	var data []byte
	flush := func() {
		if name == "" {
			return
		}
		kbtest.WriteFile(t, dir, name, string(data))
	}
	for _, line := range bytes.SplitAfter(archive, []byte("\n")) {
		l := bytes.TrimRight(line, "\r\n")
		if bytes.HasPrefix(l, []byte("-- ")) && bytes.HasSuffix(l, []byte(" --")) && len(l) > 6 {
			flush()
			name, data = strings.TrimSpace(string(l[3:len(l)-3])), nil
			continue
		}
		if name != "" {
			data = append(data, line...)
		}
	}
	flush()
	return dir
}

// build loads root and writes it into a fresh folder; it returns the
// site and the folder.
func build(t testing.TB, root string, opts Options) (*Site, string) {
	t.Helper()
	opts.Root = root
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	opts.NoGit = true
	s, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	out := opts.Out
	if out == "" {
		out = filepath.Join(t.TempDir(), "public")
	}
	if _, err := Write(context.Background(), s, out, opts); err != nil {
		t.Fatal(err)
	}
	return s, out
}

func readOut(t *testing.T, out, p string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return string(b)
}

func TestFixtureBuild(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	s, out := build(t, root, Options{})
	if s.HasErrors() {
		for _, d := range s.Diagnostics {
			t.Log(d)
		}
		t.Fatal("fixture has check errors")
	}
	for _, p := range []string{
		"index.html", "postmortems/index.html", "postmortems/by-severity/index.html",
		"postmortems/2024-cert-expiry/index.html", "postmortems/2025-secret-breach/index.html",
		"causes/index.html", "causes/expired-certificate/index.html", "systems/edge-proxy/index.html",
		"data/index.html", "techniques/T1566.001/index.html", "about/index.html", "404.html",
		"index.xml", "sitemap.xml", "api/postmortems.json", "trends/index.html", "trends/data.json",
		"actions/index.html", "search/index.html", "assets/style.css", "assets/chroma.css", "assets/site.js",
		"img/diagram.png", ManifestName,
	} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Errorf("missing %s", p)
		}
	}
	// Drafts are left out unless asked.
	if _, err := os.Stat(filepath.Join(out, "postmortems/2025-draft-one/index.html")); err == nil {
		t.Error("draft rendered without --drafts")
	}
	pm := readOut(t, out, "postmortems/2025-cert-again/index.html")
	for _, want := range []string{
		`class="badge recurrence recurrence-fail"`, // recurrence of 2024-cert-expiry, action done before
		`href="../../postmortems/2024-cert-expiry/index.html"`,
		`did not prevent the recurrence`,
		`href="../../postmortems/2024-cert-expiry/index.html#timeline"`, // rewritten .md link
		`<ol class="timeline">`,
		`Same root cause`, `Related`,
		`Content-Security-Policy`,
	} {
		if !strings.Contains(pm, want) {
			t.Errorf("2025-cert-again page lacks %q", want)
		}
	}
	first := readOut(t, out, "postmortems/2024-cert-expiry/index.html")
	for _, want := range []string{
		`&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;`, // raw HTML shown as text
		`Linked from`, `Recurred later`, `<dd>1 h</dd>`, `2 h 30 min`, `12 min`,
		`<span class="tl-clock">09:12 UTC</span>`,
		`class="chroma"`, `Edit this page`, `https://github.com/acme/postmortems/edit/main/content/postmortems/2024/cert-expiry.md`,
		`CANARY-SECTION-cert`, // internal build shows internal sections
	} {
		if !strings.Contains(first, want) {
			t.Errorf("2024-cert-expiry page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>alert", `href="javascript:`, `style="`} {
		if strings.Contains(first, bad) {
			t.Errorf("2024-cert-expiry page contains %q", bad)
		}
	}
	drill := readOut(t, out, "postmortems/2025-phish-drill/index.html")
	if !strings.Contains(drill, "https://attack.mitre.org/techniques/T1566/001/") || !strings.Contains(drill, `badge drill`) {
		t.Error("drill page lacks the ATT&CK link or drill badge")
	}
	feed := readOut(t, out, "index.xml")
	if !strings.Contains(feed, "<id>https://kb.example.com/sub/postmortems/2025-cert-again/</id>") {
		t.Errorf("feed lacks absolute entry ids:\n%s", feed)
	}
	nf := readOut(t, out, "404.html")
	if !strings.Contains(nf, `href="/sub/assets/style.css"`) {
		t.Error("404 page does not link from the base_url path")
	}
}

func TestDraftsOption(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	_, out := build(t, root, Options{Drafts: true})
	if _, err := os.Stat(filepath.Join(out, "postmortems/2025-draft-one/index.html")); err != nil {
		t.Fatal("draft not rendered with Drafts")
	}
	if _, err := os.Stat(filepath.Join(out, "assets/livereload.js")); err == nil {
		t.Error("build wrote serve's live-reload script")
	}
	if !strings.Contains(readOut(t, out, "postmortems/2025-draft-one/index.html"), `class="draft-banner"`) {
		t.Error("a draft's page has no visible DRAFT mark")
	}
	if strings.Contains(readOut(t, out, "postmortems/index.html"), `class="draft-banner"`) {
		t.Error("DRAFT banner outside the draft's page")
	}
}

// TestPublicAudience greps every output file for the canaries of internal
// postmortems, fields and sections.
func TestPublicAudience(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	s, out := build(t, root, Options{Audience: Public})
	if len(s.Postmortems) != 3 {
		t.Errorf("public postmortems = %d, want 3", len(s.Postmortems))
	}
	canary := regexp.MustCompile(`CANARY-[A-Z]+|98765|canary-cause|secret-breach`)
	n := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if m := canary.Find(b); m != nil {
			rel, _ := filepath.Rel(out, p)
			t.Errorf("%s leaks %q", rel, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Errorf("only %d files written", n)
	}
	// Public pages keep the non-internal content.
	first := readOut(t, out, "postmortems/2024-cert-expiry/index.html")
	for _, want := range []string{"Communication", "Status page updated", "Automate certificate renewal", "1,200"} {
		if !strings.Contains(first, want) {
			t.Errorf("public page lost %q", want)
		}
	}
}

// TestLinks checks that every internal href and src of every HTML page
// resolves to a written file.
func TestLinks(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	for _, aud := range []string{Internal, Public} {
		_, out := build(t, root, Options{Audience: aud})
		checkLinks(t, out)
	}
}

var linkRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

func checkLinks(t *testing.T, out string) {
	t.Helper()
	bad := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if rel == "404.html" {
			return nil // links from the base_url path
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range linkRE.FindAllSubmatch(b, -1) {
			u := string(bytes.ReplaceAll(m[1], []byte("&amp;"), []byte("&")))
			if u == "" || strings.HasPrefix(u, "#") || strings.Contains(u, "://") || strings.HasPrefix(u, "mailto:") {
				continue
			}
			if i := strings.IndexAny(u, "#?"); i >= 0 {
				u = u[:i]
			}
			target := filepath.Join(filepath.Dir(p), filepath.FromSlash(u))
			st, err := os.Stat(target)
			if err != nil || st.IsDir() {
				if bad < 30 {
					t.Errorf("%s: link %q does not resolve to a file", rel, m[1])
				}
				bad++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSampleSite builds the repository's sample KB (content/ at the
// repository root) and checks every internal link of the result.
func TestSampleSite(t *testing.T) {
	root := ".."
	if _, err := os.Stat(filepath.Join(root, "content", "postmortems")); err != nil {
		t.Skip("no sample KB")
	}
	s, out := build(t, root, Options{})
	for _, d := range s.Diagnostics {
		if d.Severity.String() == "error" {
			t.Errorf("sample KB: %s", d)
		}
	}
	checkLinks(t, out)
	_, pub := build(t, root, Options{Audience: Public})
	checkLinks(t, pub)
}

func TestNotFound(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	s, _ := build(t, root, Options{})
	for req, want := range map[string]string{
		"causes/nope/": `href="../../assets/style.css"`,
		"nope.html":    `href="assets/style.css"`,
		"":             `href="assets/style.css"`,
		"a/b":          `href="../../assets/style.css"`,
	} {
		b, err := s.NotFound(req)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), want) || !strings.Contains(string(b), "Page not found") {
			t.Errorf("NotFound(%q) lacks %s", req, want)
		}
	}
}

// TestTermPagination: a term with more than PerPage postmortems is split
// into pages; the overview (co-occurring terms, recurrences, trend, open
// actions) is on the first page only, and later pages link back to it.
func TestTermPagination(t *testing.T) {
	root := t.TempDir()
	if err := kbgen.Generate(root, kbgen.Options{N: 800, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	s, err := Load(context.Background(), Options{Root: root, Now: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), NoGit: true})
	if err != nil {
		t.Fatal(err)
	}
	var big string
	for _, term := range s.Graph.Taxonomies[0].Terms {
		if len(term.Postmortems) > PerPage {
			big = term.URL()
			break
		}
	}
	if big == "" {
		t.Fatal("no cause with more than PerPage postmortems in the generated KB")
	}
	first, _, err := s.Render(big + "index.html")
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := s.Render(big + "page/2/index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Incidents per quarter", "Open corrective actions", `rel="next"`} {
		if !strings.Contains(string(first), want) {
			t.Errorf("first page of %s lacks %q", big, want)
		}
	}
	if strings.Contains(string(second), "Incidents per quarter") {
		t.Errorf("page 2 of %s repeats the trend chart", big)
	}
	if want := `<a href="../../../../` + big + `index.html">its first page</a>`; !strings.Contains(string(second), want) {
		t.Errorf("page 2 of %s does not link back to the first page with %s", big, want)
	}
	if !strings.Contains(string(second), `rel="prev"`) {
		t.Errorf("page 2 of %s has no link to the previous page", big)
	}
}

// TestLeanBuildSame: a lean build (hindsight build: checks and search
// documents made while loading, texts freed early) writes exactly the
// files and diagnostics of a full one, for both audiences, on the sample KB
// and on a generated KB with drafts, internal postmortems and duplicates.
func TestLeanBuildSame(t *testing.T) {
	gen := t.TempDir()
	if err := kbgen.Generate(gen, kbgen.Options{N: 150, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	// Also the postmortems written as real teams write them (tables,
	// timelines by day, footnotes, identifiers in code).
	roots := []string{gen, filepath.Join("testdata", "realworld")}
	if _, err := os.Stat(filepath.Join("..", "content", "postmortems")); err == nil {
		roots = append(roots, "..")
	}
	for _, root := range roots {
		for _, audience := range []string{Internal, Public} {
			full, fullOut := build(t, root, Options{Audience: audience})
			// holdSearchFrom 1: the order of a large KB (the export's
			// second half after every other page, the postmortems let go).
			for _, hold := range []int{0, 1} {
				lean, leanOut := build(t, root, Options{Audience: audience, Lean: true, holdSearchFrom: hold})
				leanSame(t, fmt.Sprintf("%s, %s, hold %d", root, audience, hold), full, fullOut, lean, leanOut)
			}
		}
	}
}

// leanSame reports how the lean build lean (written to leanOut) differs
// from the full one; name says which builds they are.
func leanSame(t *testing.T, name string, full *Site, fullOut string, lean *Site, leanOut string) {
	t.Helper()
	if a, b := fmt.Sprint(full.Diagnostics), fmt.Sprint(lean.Diagnostics); a != b {
		t.Errorf("%s: diagnostics differ:\nfull: %s\nlean: %s", name, a, b)
	}
	fs, err := full.WaitSearch()
	if err != nil {
		t.Fatal(err)
	}
	ls, err := lean.WaitSearch()
	if err != nil {
		t.Fatal(err)
	}
	if lean.Search != nil {
		t.Error("a lean build's Load waited for the index stage")
	}
	if a, b := fmt.Sprint(fs.Similar), fmt.Sprint(ls.Similar); a != b {
		t.Errorf("%s: similar incidents differ:\nfull: %s\nlean: %s", name, a, b)
	}
	want, got := readTree(t, fullOut), readTree(t, leanOut)
	for p, b := range want {
		if got[p] != b {
			t.Errorf("%s: %s differs between the full and the lean build", name, p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: the lean build wrote %s, the full one did not", name, p)
		}
	}
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestNoStaticSearch: serve's sites (NoStaticSearch) have the search page
// and similar incidents but no static search index.
func TestNoStaticSearch(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	with, err := Load(context.Background(), Options{Root: root, Now: testNow, NoGit: true})
	if err != nil {
		t.Fatal(err)
	}
	without, err := Load(context.Background(), Options{Root: root, Now: testNow, NoGit: true, NoStaticSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	if !with.Has("search/index/meta.json") {
		t.Fatal("a build has no search/index/meta.json")
	}
	if without.Has("search/index/meta.json") {
		t.Error("NoStaticSearch: search/index/meta.json is still a page")
	}
	if !without.Has("search/index.html") {
		t.Error("NoStaticSearch: the search page is gone")
	}
	if a, b := fmt.Sprint(with.Search.Similar), fmt.Sprint(without.Search.Similar); a != b || len(with.Search.Similar) == 0 {
		t.Errorf("NoStaticSearch changed similar incidents:\n%s\n%s", a, b)
	}
}
