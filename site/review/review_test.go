package review

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden/")

// now is the clock of every review test.
var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// gitRepo writes testdata/base.txtar into a new git repository and
// commits it on main, then makes the branch of testdata/<name>.txtar:
// its files written, "git-mv" lines ("old new") moved with git mv,
// "sed" (a path, a line, its replacement) applied, all committed. It
// returns the folder and the paths changed since main (as check --since
// lists them) with the renames git saw (new path → old).
func gitRepo(t *testing.T, name string) (string, map[string]bool, map[string]string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=T", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	write := func(a *txtar.Archive) {
		for _, f := range a.Files {
			if f.Name == "git-mv" || f.Name == "sed" {
				continue
			}
			p := filepath.Join(dir, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	base, err := txtar.ParseFile("testdata/base.txtar")
	if err != nil {
		t.Fatal(err)
	}
	write(base)
	git("init", "-q", "-b", "main")
	git("add", "-A")
	git("commit", "-q", "-m", "base")
	git("checkout", "-q", "-b", "pr")
	branch, err := txtar.ParseFile("testdata/" + name + ".txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range branch.Files {
		switch f.Name {
		case "git-mv":
			for _, l := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
				from, to, _ := strings.Cut(l, " ")
				if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(to)), 0o755); err != nil {
					t.Fatal(err)
				}
				git("mv", from, to)
			}
		}
	}
	write(branch)
	for _, f := range branch.Files {
		if f.Name == "sed" {
			l := strings.Split(strings.TrimSpace(string(f.Data)), "\n")
			p := filepath.Join(dir, filepath.FromSlash(l[0]))
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, []byte(l[1])) {
				t.Fatalf("sed: %s has no %q", l[0], l[1])
			}
			if err := os.WriteFile(p, bytes.Replace(b, []byte(l[1]), []byte(l[2]), 1), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	git("add", "-A")
	if strings.TrimSpace(git("status", "--porcelain")) != "" {
		git("commit", "-q", "-m", name)
	}
	changed := map[string]bool{}
	for _, p := range strings.Split(git("diff", "--name-only", "-z", "main..."), "\x00") {
		if p != "" {
			changed[p] = true
		}
	}
	renamed := map[string]string{}
	f := strings.Split(git("diff", "--name-status", "-M", "-z", "main..."), "\x00")
	for i := 0; i+1 < len(f); {
		if strings.HasPrefix(f[i], "R") {
			renamed[f[i+2]] = f[i+1]
			i += 3
			continue
		}
		i += 2
	}
	return dir, changed, renamed
}

// run reviews the branch of testdata/<name>.txtar.
func run(t *testing.T, name string) *Report {
	t.Helper()
	dir, changed, renamed := gitRepo(t, name)
	cfg, ds, err := config.Load(dir)
	if err != nil || len(ds) > 0 {
		t.Fatalf("config: %v %v", err, ds)
	}
	st, err := NewStream(Options{Only: func(p string) bool { return changed[p] }, Renamed: renamed, Since: "main", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	k, err := kb.Load(dir, cfg, st.KBOptions(kb.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return st.Finish(k)
}

// golden compares got with testdata/golden/<name>, or writes it with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run with -update and look at the diff):\n%s", p, got)
	}
}

func ids(ss []Similar) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

func TestReview(t *testing.T) {
	tests := []struct {
		name  string
		check func(t *testing.T, r *Report)
	}{
		{"recurrence", func(t *testing.T, r *Report) {
			f := onlyFile(t, r)
			rec := f.Recurrence
			if rec == nil || rec.Earlier.ID != "2026-03-18-partner-cert-expiry" {
				t.Fatalf("recurrence = %+v, want of 2026-03-18-partner-cert-expiry", rec)
			}
			if !rec.ActionDidNotPrevent || len(rec.DoneActions) != 1 || rec.DoneActions[0].Title != "Move the partner hostname onto cert-manager" {
				t.Errorf("the earlier action done on 2026-04-02 did not prevent it: %+v", rec)
			}
			if rec.Earlier.URL != "https://kb.example.com/postmortems/2026-03-18-partner-cert-expiry/" {
				t.Errorf("earlier URL = %q", rec.Earlier.URL)
			}
			if len(f.MissingRelated) == 0 || f.MissingRelated[0] != rec.Earlier.ID || !strings.HasPrefix(f.RelatedLine, "related: [2026-03-18-partner-cert-expiry") {
				t.Errorf("missing related %v, line %q: want the recurred incident first", f.MissingRelated, f.RelatedLine)
			}
			if r.Summary.Recurrences != 1 || r.Summary.NotPrevented != 1 {
				t.Errorf("summary %+v", r.Summary)
			}
			// Context: the other edge-proxy incidents of the year
			// (partner cert, March 2026) and the open action of the
			// login flood on the edge proxy.
			if f.Context.Incidents != 1 || len(f.Context.Actions) != 1 || f.Context.Actions[0].Of.ID != "2025-09-20-login-flood" {
				t.Errorf("context = %+v", f.Context)
			}
			if len(f.Context.Systems) != 1 || f.Context.Systems[0].Owner != "team-edge" {
				t.Errorf("context systems = %+v, want edge-proxy owned by team-edge", f.Context.Systems)
			}
		}},
		{"twin", func(t *testing.T, r *Report) {
			f := onlyFile(t, r)
			if len(f.Similar) == 0 || f.Similar[0].ID != "2025-06-12-customer-db-failover-stall" {
				t.Fatalf("similar = %v, want the failover stall first", ids(f.Similar))
			}
			s := f.Similar[0]
			if s.InRelated || len(s.Systems) != 1 || s.Systems[0] != "customer-db" || len(s.Terms) == 0 {
				t.Errorf("twin = %+v: want not in related, sharing customer-db and words", s)
			}
			if f.Recurrence != nil {
				t.Errorf("another root cause is no recurrence: %+v", f.Recurrence)
			}
			if !strings.HasPrefix(f.RelatedLine, "related: [2026-05-05-backup-restore-failure, 2025-06-12-customer-db-failover-stall") {
				t.Errorf("related line %q: want the listed id, then the twin", f.RelatedLine)
			}
			for _, s := range f.Similar {
				if s.ID == "2026-05-05-backup-restore-failure" && !s.InRelated {
					t.Errorf("%s is in related:", s.ID)
				}
			}
			if f.Context.Overdue != 2 {
				t.Errorf("overdue actions on customer-db = %d, want 2 (DATA-77 and the restore drill's)", f.Context.Overdue)
			}
		}},
		{"typo", func(t *testing.T, r *Report) {
			f := onlyFile(t, r)
			want := map[string]Vocab{
				"cause":  {Kind: "cause", Slug: "expired-certficate", Problem: Unused, DidYouMean: []string{"expired-certificate"}},
				"system": {Kind: "system", Slug: "edge-prxy", Problem: NotInVocabulary, DidYouMean: []string{"edge-proxy"}},
			}
			if len(f.Vocabulary) != 2 {
				t.Fatalf("vocabulary = %+v", f.Vocabulary)
			}
			for _, v := range f.Vocabulary {
				w := want[v.Kind]
				if v.Slug != w.Slug || v.Problem != w.Problem || strings.Join(v.DidYouMean, ",") != strings.Join(w.DidYouMean, ",") {
					t.Errorf("vocabulary %+v, want %+v", v, w)
				}
			}
			if f.Errors == 0 || r.Summary.Errors == 0 {
				t.Error("a system out of the vocabulary is a check error")
			}
		}},
		{"draft", func(t *testing.T, r *Report) {
			f := onlyFile(t, r)
			if f.Status != "draft" || f.Recurrence == nil || f.Recurrence.Earlier.ID != "2026-03-18-partner-cert-expiry" {
				t.Errorf("a changed draft: status %q, recurrence %+v; want it reviewed as an incident", f.Status, f.Recurrence)
			}
			if len(f.Similar) == 0 || f.Similar[0].ID != "2026-03-18-partner-cert-expiry" {
				t.Errorf("similar = %v", ids(f.Similar))
			}
		}},
		{"unchanged", func(t *testing.T, r *Report) {
			if len(r.Files) != 0 || r.Summary.Errors != 0 || len(r.Other) != 0 {
				t.Errorf("report = %+v, want nothing", r)
			}
		}},
		{"rename", func(t *testing.T, r *Report) {
			f := onlyFile(t, r)
			if f.RenamedFrom != "content/postmortems/2026/2026-03-18-partner-cert-expiry.md" {
				t.Errorf("renamed from %q", f.RenamedFrom)
			}
			if f.Recurrence == nil || f.Recurrence.Earlier.ID != "2025-02-03-edge-cert-expiry" {
				t.Errorf("recurrence = %+v, want of the 2025 expiry (not of itself)", f.Recurrence)
			}
			for _, s := range f.Similar {
				if s.ID == f.ID {
					t.Errorf("%s is its own similar incident", f.ID)
				}
			}
			if len(f.Similar) == 0 || f.Similar[0].ID != "2025-02-03-edge-cert-expiry" || !f.Similar[0].InRelated {
				t.Errorf("similar = %v, want the 2025 expiry first, in related", ids(f.Similar))
			}
		}},
		{"hostile", func(t *testing.T, r *Report) {
			f := onlyFile(t, r)
			if !strings.Contains(f.Title, "<img") {
				t.Fatalf("title %q: the test lost its payload", f.Title)
			}
			m := Markdown(r, PrintOptions{})
			for _, bad := range []string{"<img", "](javascript", "@security-team", "#12 ", "**bold**", "\x1b", "<script"} {
				if strings.Contains(m, bad) {
					t.Errorf("Markdown holds %q", bad)
				}
			}
			for _, l := range strings.Split(m, "\n") {
				if strings.HasPrefix(l, "| ") && strings.Count(l, "|") != 6 {
					t.Errorf("a table row with a cell too many: %s", l)
				}
			}
			var b strings.Builder
			if err := PrintText(&b, r, PrintOptions{}); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(b.String(), "\x1b") || !strings.Contains(b.String(), `\x1b[31mred`) {
				t.Errorf("text output must escape the title's ESC:\n%s", b.String())
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, tt.name)
			tt.check(t, r)
			golden(t, tt.name+".md", Markdown(r, PrintOptions{}))
			var b strings.Builder
			if err := PrintText(&b, r, PrintOptions{}); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+".txt", b.String())
			var jb bytes.Buffer
			if err := PrintJSON(&jb, r); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+".json", jb.String())
			var back Report
			if err := json.Unmarshal(jb.Bytes(), &back); err != nil {
				t.Fatalf("the JSON does not read back: %v", err)
			}
			if len(back.Files) != len(r.Files) {
				t.Errorf("JSON has %d files, want %d", len(back.Files), len(r.Files))
			}
		})
	}
}

func onlyFile(t *testing.T, r *Report) *File {
	t.Helper()
	if len(r.Files) != 1 {
		t.Fatalf("%d files reviewed, want 1: %+v", len(r.Files), r.Files)
	}
	return &r.Files[0]
}
