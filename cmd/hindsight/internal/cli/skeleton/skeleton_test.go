package skeleton_test

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli/skeleton"
	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
)

func render(t *testing.T, d skeleton.Data) map[string]string {
	t.Helper()
	files, err := skeleton.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, f := range files {
		m[f.Path] = string(f.Data)
	}
	return m
}

// TestConfigIsTheDefaults: the skeleton's hindsight.yaml parses without a
// problem to exactly config.Default(), so writing it changes nothing.
func TestConfigIsTheDefaults(t *testing.T) {
	src := render(t, skeleton.Data{})[config.FileName]
	cfg, ds := config.Parse(config.FileName, []byte(src))
	if len(ds) > 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	cfg.File = ""
	if want := config.Default(); !reflect.DeepEqual(cfg, want) {
		t.Errorf("the skeleton's config is not the defaults:\n got %+v\nwant %+v", cfg, want)
	}
}

// TestConfigEveryKey: every key config knows is in the skeleton's
// hindsight.yaml, set or commented out, with a comment above it.
func TestConfigEveryKey(t *testing.T) {
	src := render(t, skeleton.Data{})[config.FileName]
	lines := strings.Split(src, "\n")
	for _, k := range config.Keys() {
		re := regexp.MustCompile(`^(# )?` + regexp.QuoteMeta(k) + `:`)
		found := false
		for i, l := range lines {
			if re.MatchString(l) {
				found = true
				if i == 0 || !strings.HasPrefix(lines[i-1], "#") {
					t.Errorf("%s: key %s has no comment above it", config.FileName, k)
				}
				break
			}
		}
		if !found {
			t.Errorf("%s does not mention the config key %s; add it, explained", config.FileName, k)
		}
	}
}

// TestConfigFromRemote: the repository and Pages addresses init finds are
// set, and parse.
func TestConfigFromRemote(t *testing.T) {
	src := render(t, skeleton.Data{Title: `Acme "Security" Postmortems`, RepoURL: "https://github.com/acme/pm", BaseURL: "https://acme.github.io/pm/"})[config.FileName]
	cfg, ds := config.Parse(config.FileName, []byte(src))
	if len(ds) > 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	if cfg.Title != `Acme "Security" Postmortems` || cfg.RepoURL != "https://github.com/acme/pm" || cfg.BaseURL != "https://acme.github.io/pm/" {
		t.Errorf("title %q, repo_url %q, base_url %q", cfg.Title, cfg.RepoURL, cfg.BaseURL)
	}
}

// TestRefs: the workflows and pre-commit use the ref and version given.
func TestRefs(t *testing.T) {
	m := render(t, skeleton.Data{Ref: "v1.4.2", Version: "v1.4.2"})
	for _, p := range []string{".github/workflows/postmortems.yml", ".github/workflows/pages.yml", ".github/workflows/follow-up.yml"} {
		if !strings.Contains(m[p], "uses: "+skeleton.ActionRepo+"@v1.4.2") || !strings.Contains(m[p], "version: v1.4.2") {
			t.Errorf("%s does not use the action at v1.4.2:\n%s", p, m[p])
		}
	}
	if !strings.Contains(m[".pre-commit-config.yaml"], "rev: v1.4.2") {
		t.Errorf(".pre-commit-config.yaml:\n%s", m[".pre-commit-config.yaml"])
	}
	m = render(t, skeleton.Data{})
	if !strings.Contains(m[".github/workflows/pages.yml"], "@main") || !strings.Contains(m[".github/workflows/pages.yml"], "version: latest") {
		t.Errorf("a development build's workflows should use main and latest:\n%s", m[".github/workflows/pages.yml"])
	}
}

// TestKBPassesCheck writes the skeleton with the writing guide's example
// postmortem added and checks it: not one diagnostic. The example is what
// new writers copy, so it must stay clean.
func TestKBPassesCheck(t *testing.T) {
	dir := t.TempDir()
	m := render(t, skeleton.Data{})
	guide := m["content/writing-guide.md"]
	ex := regexp.MustCompile("(?s)```markdown\n(.*?)\n```").FindStringSubmatch(guide)
	if ex == nil {
		t.Fatal("the writing guide has no ```markdown example")
	}
	m["content/postmortems/2025/example.md"] = ex[1] + "\n"
	for p, data := range m {
		abs := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, ds, err := config.Load(dir)
	if err != nil || len(ds) > 0 {
		t.Fatal(err, ds)
	}
	k, err := kb.Load(dir, cfg, kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Postmortems) != 1 {
		t.Fatalf("%d postmortems, want the example", len(k.Postmortems))
	}
	for _, d := range check.Run(k, check.Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}) {
		t.Errorf("%s", d.String())
	}
}
