package kbgen_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	opts := kbgen.Options{N: 60, Seed: 7}
	a, b := t.TempDir(), t.TempDir()
	if err := kbgen.Generate(a, opts); err != nil {
		t.Fatal(err)
	}
	if err := kbgen.Generate(b, opts); err != nil {
		t.Fatal(err)
	}
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) != opts.N+2 {
		t.Fatalf("got %d files, want %d postmortems + hindsight.yaml + about.md", len(ta), opts.N)
	}
	for p, da := range ta {
		if !bytes.Equal(da, tb[p]) {
			t.Errorf("%s differs between two runs with the same seed", p)
		}
	}
	// GenerateFile gives exactly what Generate wrote.
	for _, i := range []int{0, 1, 30, opts.N - 1} {
		p, data := kbgen.GenerateFile(i, opts)
		if !bytes.Equal(ta[p], data) {
			t.Errorf("GenerateFile(%d) = %s, not what Generate wrote", i, p)
		}
	}
	// Another seed gives another KB.
	p0, d0 := kbgen.GenerateFile(0, kbgen.Options{N: 60, Seed: 8})
	if _, same := ta[p0]; same && bytes.Equal(ta[p0], d0) {
		t.Errorf("seed 8 produced the same file 0 as seed 7")
	}
}

func TestRevisionChangesBodyOnly(t *testing.T) {
	opts := kbgen.Options{N: 20, Seed: 3}
	for i := 0; i < opts.N; i++ {
		p0, d0 := kbgen.GenerateFile(i, opts)
		opts.Revision = 2
		p1, d1 := kbgen.GenerateFile(i, opts)
		opts.Revision = 0
		if p0 != p1 {
			t.Fatalf("revision moved file %d from %s to %s", i, p0, p1)
		}
		fm := func(d []byte) []byte { return d[:bytes.Index(d[4:], []byte("\n---\n"))+4] }
		if !bytes.Equal(fm(d0), fm(d1)) {
			t.Errorf("%s: revision changed the front matter", p0)
		}
		if bytes.Equal(d0, d1) {
			t.Errorf("%s: revision did not change the body", p0)
		}
	}
}

func TestSize(t *testing.T) {
	opts := kbgen.Options{N: 400, Seed: 1}
	total, lo, hi := 0, 1<<30, 0
	for i := 0; i < opts.N; i++ {
		_, d := kbgen.GenerateFile(i, opts)
		total += len(d)
		lo, hi = min(lo, len(d)), max(hi, len(d))
	}
	avg := float64(total) / float64(opts.N)
	t.Logf("postmortem size: average %.0f B, min %d B, max %d B", avg, lo, hi)
	if avg < 4000 || avg > 6500 {
		t.Errorf("average size %.0f B, want about 5 KB", avg)
	}
}

var (
	secretRE = regexp.MustCompile(`AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY|gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-|sk_live_|AIza[0-9A-Za-z_-]{20,}|://[^/\s:@]+:[^/\s@]+@|(?i)(password|passwd|secret|api[_-]?key|token)\s*[:=]\s*\S`)
	blameRE  = regexp.MustCompile(`(?i)human error|careless|should have known|negligen|fault of|\bblame`)
	techRE   = regexp.MustCompile(`^T\d{4}(\.\d{3})?$`)
)

// TestValid loads a generated KB with the real loader and checks every
// SPEC §2/§3 rule that can be checked without site/check.
func TestValid(t *testing.T) {
	dir := t.TempDir()
	opts := kbgen.Options{N: 200, Seed: 1}
	if err := kbgen.Generate(dir, opts); err != nil {
		t.Fatal(err)
	}
	cfg, ds, err := config.Load(dir)
	if err != nil || len(ds) > 0 {
		t.Fatalf("config: %v %v", err, ds)
	}
	if len(cfg.Causes) < 35 || len(cfg.Systems) < 55 {
		t.Errorf("vocabulary: %d causes, %d systems; want about 40 and 60", len(cfg.Causes), len(cfg.Systems))
	}
	k, err := kb.Load(dir, cfg, kb.Options{RenderHTML: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Problems) > 0 {
		t.Fatalf("KB problems: %v", k.Problems)
	}
	if len(k.Postmortems) != opts.N || len(k.Pages) != 1 {
		t.Fatalf("loaded %d postmortems and %d pages", len(k.Postmortems), len(k.Pages))
	}
	in := func(s string, xs []string) bool {
		for _, x := range xs {
			if x == s {
				return true
			}
		}
		return false
	}
	known := func(terms []config.Term, slug string) bool {
		for _, t := range terms {
			if t.Slug == slug {
				return true
			}
		}
		return false
	}
	byID := map[string]*postmortem.Postmortem{}
	for _, p := range k.Postmortems {
		if byID[p.ID] != nil {
			t.Errorf("%s: duplicate id %s", p.Path, p.ID)
		}
		byID[p.ID] = p
	}
	timelines, codeBlocks := 0, 0
	for _, p := range k.Postmortems {
		for _, d := range p.Problems {
			t.Errorf("%s:%d:%d: %s [%s]", p.Path, d.Pos.Line, d.Pos.Col, d.Message, d.Rule)
		}
		if p.ID+".md" != filepath.Base(p.Path) {
			t.Errorf("%s: id %s is not the file name", p.Path, p.ID)
		}
		if p.Title == "" || !in(p.Severity, cfg.Severities) || !in(p.Category, cfg.Categories) ||
			!in(p.Status, []string{"draft", "in-review", "published"}) || !in(p.Visibility, []string{"internal", "public"}) {
			t.Errorf("%s: bad enum or missing title: %q %q %q %q %q", p.Path, p.Title, p.Severity, p.Category, p.Status, p.Visibility)
		}
		if p.Started.IsZero() || p.Detected.IsZero() || (p.Resolved.IsZero() && !p.IsDraft()) {
			t.Errorf("%s: missing datetimes", p.Path)
		}
		end := p.Resolved
		if end.IsZero() {
			end = p.Contained
		}
		order := []struct {
			name string
			a, b bool
		}{
			{"detected < started", p.Detected.Before(p.Started), false},
			{"contained < detected", !p.Contained.IsZero() && p.Contained.Before(p.Detected), false},
			{"resolved < contained", !p.Resolved.IsZero() && !p.Contained.IsZero() && p.Resolved.Before(p.Contained), false},
			{"resolved < detected", !p.Resolved.IsZero() && p.Resolved.Before(p.Detected), false},
			{"resolved after now", p.Resolved.After(kbgen.DefaultNow), false},
		}
		for _, o := range order {
			if o.a {
				t.Errorf("%s: %s", p.Path, o.name)
			}
		}
		if len(p.RootCauses) < 1 || len(p.RootCauses) > 3 || len(p.Systems) < 1 || len(p.Systems) > 3 {
			t.Errorf("%s: %d causes, %d systems", p.Path, len(p.RootCauses), len(p.Systems))
		}
		for _, c := range p.RootCauses {
			if !known(cfg.Causes, c) {
				t.Errorf("%s: unknown cause %s", p.Path, c)
			}
		}
		for _, s := range p.Systems {
			if !known(cfg.Systems, s) {
				t.Errorf("%s: unknown system %s", p.Path, s)
			}
		}
		for _, tech := range p.AttackTechniques {
			if !techRE.MatchString(tech) {
				t.Errorf("%s: bad technique %s", p.Path, tech)
			}
		}
		for _, r := range p.Related {
			o := byID[r]
			if o == nil {
				t.Errorf("%s: related %s does not exist", p.Path, r)
			} else if !o.Started.Before(p.Started) && !o.Started.Equal(p.Started) {
				t.Errorf("%s: related %s is later", p.Path, r)
			}
		}
		if len(p.Authors) == 0 {
			t.Errorf("%s: no authors", p.Path)
		}
		if len(p.Actions) == 0 && !p.IsDraft() {
			t.Errorf("%s: no actions", p.Path)
		}
		for _, a := range p.Actions {
			if a.Title == "" || a.Owner == "" || !in(a.Priority, cfg.Priorities) || a.Due.IsZero() ||
				!in(a.Status, []string{"open", "in-progress", "done", "wont-do"}) {
				t.Errorf("%s: incomplete action %+v", p.Path, a)
			}
			if a.Status == "done" && (a.DoneOn.IsZero() || a.DoneOn.After(kbgen.DefaultNow)) {
				t.Errorf("%s: done action with done_on %v", p.Path, a.DoneOn)
			}
		}
		// Sections: each required one exactly once, none empty.
		for _, req := range cfg.RequiredSections {
			n := 0
			for _, s := range p.Body.Sections {
				if req.Matches(s.Title) {
					n++
					if strings.TrimSpace(s.Text) == "" {
						t.Errorf("%s: section %s is empty", p.Path, s.Title)
					}
				}
			}
			if n != 1 {
				t.Errorf("%s: section %s found %d times", p.Path, req.Name, n)
			}
		}
		// Timeline: 5..15 entries, first with a full date, all parsed, in
		// order, inside started..resolved.
		tl := p.Body.Timeline
		if len(tl) < 5 || len(tl) > 15 {
			t.Errorf("%s: %d timeline entries", p.Path, len(tl))
		}
		for i, e := range tl {
			if !e.OK {
				t.Errorf("%s:%d: timeline time %q did not parse", p.Path, e.Pos.Line, e.TimeText)
				continue
			}
			if i == 0 && e.Inherited {
				t.Errorf("%s: first timeline entry has no date", p.Path)
			}
			if i > 0 && e.Time.Before(tl[i-1].Time) {
				t.Errorf("%s:%d: timeline goes backwards", p.Path, e.Pos.Line)
			}
			if e.Time.Before(p.Started) || (!end.IsZero() && e.Time.After(end)) {
				t.Errorf("%s:%d: timeline entry %v outside %v..%v", p.Path, e.Pos.Line, e.Time, p.Started, end)
			}
		}
		if len(tl) > 0 {
			timelines++
		}
		if strings.Contains(string(p.Source), "```text") {
			codeBlocks++
		}
		if m := secretRE.Find(p.Source); m != nil {
			t.Errorf("%s: credential-looking text %q", p.Path, m)
		}
		if m := blameRE.Find(p.Source); m != nil {
			t.Errorf("%s: blaming phrase %q", p.Path, m)
		}
		for _, l := range p.Body.Links {
			target := filepath.Join(filepath.Dir(filepath.Join(dir, p.Path)), filepath.FromSlash(l.Dest))
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s:%d: broken link %s", p.Path, l.Pos.Line, l.Dest)
			}
		}
	}
	if codeBlocks < opts.N/5 {
		t.Errorf("only %d files with a log excerpt", codeBlocks)
	}
}

// TestDistribution checks the mix of the front matter over a larger KB:
// skewed severities, a few drafts, drills and near misses, recurring causes.
func TestDistribution(t *testing.T) {
	opts := kbgen.Options{N: 3000, Seed: 1}
	ps := postmortem.NewParser(postmortem.Options{})
	count := map[string]int{}
	causeCount := map[string]int{}
	pairs := map[string]int{}
	years := map[int]int{}
	for i := 0; i < opts.N; i++ {
		p, d := kbgen.GenerateFile(i, opts)
		pm := ps.ParseFrontMatter(p, d)
		count[pm.Severity]++
		count[pm.Status]++
		years[pm.Started.Year()]++
		if pm.Drill {
			count["drill"]++
		}
		if pm.NearMiss {
			count["near_miss"]++
		}
		for _, c := range pm.RootCauses {
			causeCount[c]++
			for _, s := range pm.Systems {
				pairs[c+"/"+s]++
			}
		}
	}
	pct := func(k string) float64 { return 100 * float64(count[k]) / float64(opts.N) }
	t.Logf("SEV1 %.1f%% SEV2 %.1f%% SEV3 %.1f%% SEV4 %.1f%%; draft %.1f%% in-review %.1f%%; drills %.1f%%, near misses %.1f%%",
		pct("SEV1"), pct("SEV2"), pct("SEV3"), pct("SEV4"), pct("draft"), pct("in-review"), pct("drill"), pct("near_miss"))
	checks := []struct {
		what   string
		v      float64
		lo, hi float64
	}{
		{"SEV3+SEV4", pct("SEV3") + pct("SEV4"), 70, 92},
		{"SEV1", pct("SEV1"), 1, 8},
		{"drafts", pct("draft"), 1.5, 5},
		{"drills", pct("drill"), 1.5, 5},
		{"near misses", pct("near_miss"), 3, 8},
	}
	for _, c := range checks {
		if c.v < c.lo || c.v > c.hi {
			t.Errorf("%s = %.1f%%, want %.0f..%.0f%%", c.what, c.v, c.lo, c.hi)
		}
	}
	for y := 2019; y <= 2026; y++ {
		if years[y] == 0 {
			t.Errorf("no incident in %d", y)
		}
	}
	var cc []int
	for _, n := range causeCount {
		cc = append(cc, n)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(cc)))
	recurring := 0
	for _, n := range pairs {
		if n > 1 {
			recurring++
		}
	}
	t.Logf("causes used: %d, top counts %v, cause/system pairs seen more than once: %d", len(cc), cc[:5], recurring)
	if len(cc) < 35 || cc[0] < 5*cc[len(cc)-1] || recurring < 100 {
		t.Errorf("cause distribution not skewed enough for recurrences: %v, %d recurring pairs", cc, recurring)
	}
}

// TestCheckClean runs every rule of site/check on a generated KB: the only
// diagnostics allowed are action-overdue warnings (open actions past due).
func TestCheckClean(t *testing.T) {
	dir := t.TempDir()
	if err := kbgen.Generate(dir, kbgen.Options{N: 300, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	k, err := kb.Load(dir, cfg, kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	overdue := 0
	for _, d := range check.Run(k, check.Options{Now: kbgen.DefaultNow}) {
		if d.Rule == "action-overdue" && d.Severity == diag.Warning {
			overdue++
			continue
		}
		t.Errorf("%s:%d:%d: %s: %s [%s]", d.File, d.Pos.Line, d.Pos.Col, d.Severity, d.Message, d.Rule)
	}
	t.Logf("%d action-overdue warnings in 300 files", overdue)
}

func TestCached(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	dir, err := kbgen.Cached(5, 42)
	if err != nil {
		t.Fatal(err)
	}
	first := readTree(t, dir)
	if len(first) != 5+3 { // postmortems, config, about, version stamp
		t.Fatalf("cached KB has %d files", len(first))
	}
	p, data := kbgen.GenerateFile(0, kbgen.Options{N: 5, Seed: 42})
	if !bytes.Equal(first[p], data) {
		t.Errorf("cached %s differs from GenerateFile", p)
	}
	// A second call reuses the folder, a stale stamp regenerates it.
	again, err := kbgen.Cached(5, 42)
	if err != nil || again != dir {
		t.Fatalf("second call: %s, %v", again, err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".kbgen-version"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := kbgen.Cached(5, 42); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".kbgen-version")); string(b) != kbgen.Version {
		t.Errorf("stale cache not regenerated: stamp %q", b)
	}
}
