package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli/skeleton"
	"gopkg.in/yaml.v3"
)

// TestCommandLineChecker: the checker itself finds what is wrong.
func TestCommandLineChecker(t *testing.T) {
	for _, tc := range []struct {
		line string
		ok   bool
	}{
		{"check --format github --since origin/main", true},
		{"check --format sarif", true},
		{"actions --overdue --group owner --fail-on-overdue", true},
		{"build --audience public --out public", true},
		{"search --format json id:x", true},
		{"init --force", true},
		{"version", true},
		{"--version", true},
		{"check --format gitlab", false},
		{"check --fromat github", false},
		{"actions --group team", false},
		{"actions --status open,closed", false},
		{"build --audience everyone", false},
		{"publish", false},
		{"version extra", false},
		{"query", false}, // a help topic
		{"help query", true},
		{"help frontmatter", true},
		{"help nosuchtopic", false},
		{"completion bash", true},
		{"completion tcsh", false},
	} {
		err := checkCommandLine(shellWords(tc.line))
		if (err == nil) != tc.ok {
			t.Errorf("hindsight %s: error %v, want ok=%v", tc.line, err, tc.ok)
		}
	}
}

func TestHindsightLines(t *testing.T) {
	script := `since=""
if [ x = y ]; then since="--since origin/main"; fi
hindsight check --format github $since
hindsight check --format sarif > hindsight.sarif || test $? -eq 1
echo "version=$("$bin/hindsight" version)" >> "$GITHUB_OUTPUT"
gh release download "$V" --repo hindsight-kb/hindsight --pattern x
exec hindsight "$COMMAND" $ARGS   # the action's own line
GOBIN=x go install github.com/hindsight-kb/hindsight/cmd/hindsight@latest && HINDSIGHT_NOW=2026-01-01 hindsight actions --overdue 2>/dev/null`
	got := hindsightLines(script)
	want := [][]string{{"check", "--format", "github"}, {"check", "--format", "sarif"}, {}, {"actions", "--overdue"}}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("line %d: got %q, want %q", i, got[i], want[i])
		}
	}
}

// TestSkeletonWorkflows: the workflows init writes parse, and every
// hindsight command they run exists with its flags.
func TestSkeletonWorkflows(t *testing.T) {
	files, err := skeleton.Render(skeleton.Data{Ref: "v1.2.3", Version: "v1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	var workflows, lines int
	for _, f := range files {
		switch {
		case strings.HasPrefix(f.Path, ".github/workflows/"):
			workflows++
			n, _ := CheckCommandFile(f.Path, f.Data)
			lines += n
			checkFile(t, f.Path, f.Data)
		case f.Path == ".pre-commit-config.yaml":
			var pc struct {
				Repos []struct {
					Repo, Rev string
					Hooks     []struct{ ID string }
				}
			}
			if err := yaml.Unmarshal(f.Data, &pc); err != nil {
				t.Fatal(err)
			}
			hooks := preCommitHooks(t)
			for _, r := range pc.Repos {
				if r.Repo != "https://github.com/"+skeleton.ActionRepo || r.Rev != "v1.2.3" {
					t.Errorf("pre-commit repo %s@%s", r.Repo, r.Rev)
				}
				for _, h := range r.Hooks {
					if _, ok := hooks[h.ID]; !ok {
						t.Errorf(".pre-commit-config.yaml uses hook %q, which .pre-commit-hooks.yaml does not define", h.ID)
					}
				}
			}
		case strings.HasSuffix(f.Path, ".md"):
			if _, errs := CheckCommandFile(f.Path, f.Data); len(errs) > 0 {
				t.Error(errs)
			}
		}
	}
	if workflows < 4 || lines < 5 {
		t.Errorf("%d workflows, %d command lines: fewer than written", workflows, lines)
	}
}

// preCommitHooks reads the repository's .pre-commit-hooks.yaml, checks
// each hook's entry, and returns the hooks by id.
func preCommitHooks(t *testing.T) map[string]string {
	var hooks []struct {
		ID, Entry, Language string
	}
	if err := yaml.Unmarshal(readRepoFile(t, ".pre-commit-hooks.yaml"), &hooks); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, h := range hooks {
		m[h.ID] = h.Entry
		if len(hindsightLines(h.Entry)) != 1 {
			t.Errorf(".pre-commit-hooks.yaml %s: entry %q is not one hindsight command", h.ID, h.Entry)
		}
		for _, args := range hindsightLines(h.Entry) {
			if err := checkCommandLine(args); err != nil {
				t.Errorf(".pre-commit-hooks.yaml %s: %v", h.ID, err)
			}
		}
		if h.Language != "golang" {
			t.Errorf("hook %s: language %s, want golang (pre-commit builds it from this module)", h.ID, h.Language)
		}
	}
	return m
}

// TestRepoWorkflowsAndDocs: the action, this repository's workflows and
// the adoption docs name real commands and flags.
func TestRepoWorkflowsAndDocs(t *testing.T) {
	for _, name := range []string{".github/workflows/ci.yml", "docs/adoption.md", "README.md"} {
		checkFile(t, name, readRepoFile(t, name))
	}
	// The action runs "$COMMAND" $ARGS (TestAction checks its default);
	// release.yml runs goreleaser. Both must parse, and what they run be
	// real.
	for _, name := range []string{"action.yml", ".github/workflows/release.yml"} {
		if _, errs := CheckCommandFile(name, readRepoFile(t, name)); len(errs) > 0 {
			t.Error(errs)
		}
	}
	preCommitHooks(t)
}

// TestAction: action.yml is a composite action with the inputs the README
// promises, installing this module's command.
func TestAction(t *testing.T) {
	var a struct {
		Name   string
		Inputs map[string]struct {
			Description string
			Default     string
		}
		Runs struct {
			Using string
			Steps []struct {
				Uses string
				Run  string
			}
		}
	}
	if err := yaml.Unmarshal(readRepoFile(t, "action.yml"), &a); err != nil {
		t.Fatal(err)
	}
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using %q, want composite", a.Runs.Using)
	}
	for _, in := range []string{"command", "args", "version"} {
		if a.Inputs[in].Description == "" {
			t.Errorf("input %s missing or undescribed", in)
		}
	}
	if err := checkCommandLine([]string{a.Inputs["command"].Default}); err != nil {
		t.Errorf("the default command: %v", err)
	}
	install := false
	for _, s := range a.Runs.Steps {
		if strings.Contains(s.Run, "go install \""+skeleton.Module+"/cmd/hindsight@${VERSION}\"") {
			install = true
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("a run: script interpolates ${{ }} (script injection); pass inputs through env:\n%s", s.Run)
		}
	}
	if !install {
		t.Error("no step installs " + skeleton.Module + "/cmd/hindsight")
	}
	if _, err := os.Stat(filepath.Join("../../../..", strings.TrimPrefix(skeleton.Module+"/cmd/hindsight", "github.com/hindsight-kb/hindsight/"))); err != nil {
		t.Error(err)
	}
}

// TestGoreleaser: .goreleaser.yaml builds cmd/hindsight for the six
// platforms, statically, sets the version variables main.go declares, and
// writes checksums.
func TestGoreleaser(t *testing.T) {
	var g struct {
		Version int
		Builds  []struct {
			Main, Binary string
			Env, Flags   []string
			Ldflags      []string
			Goos, Goarch []string
		}
		Archives []struct {
			Files           []string
			NameTemplate    string `yaml:"name_template"`
			FormatOverrides []struct {
				Goos    string
				Formats []string
			} `yaml:"format_overrides"`
		}
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
		}
	}
	if err := yaml.Unmarshal(readRepoFile(t, ".goreleaser.yaml"), &g); err != nil {
		t.Fatal(err)
	}
	if g.Version != 2 || len(g.Builds) != 1 || len(g.Archives) != 1 {
		t.Fatalf("version %d, %d builds, %d archives", g.Version, len(g.Builds), len(g.Archives))
	}
	b := g.Builds[0]
	if _, err := os.Stat(filepath.Join("../../../..", b.Main, "main.go")); err != nil || b.Binary != "hindsight" {
		t.Errorf("main %q binary %q: %v", b.Main, b.Binary, err)
	}
	for _, os := range []string{"linux", "darwin", "windows"} {
		if !slices.Contains(b.Goos, os) {
			t.Errorf("goos lacks %s", os)
		}
	}
	for _, arch := range []string{"amd64", "arm64"} {
		if !slices.Contains(b.Goarch, arch) {
			t.Errorf("goarch lacks %s", arch)
		}
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("env %q flags %q: want a static, trimmed build", b.Env, b.Flags)
	}
	if got := ldflagVars(strings.Join(b.Ldflags, " ")); !slices.Equal(got, []string{"main.commit", "main.date", "main.version"}) {
		t.Errorf("ldflags set %q", got)
	}
	if g.Checksum.NameTemplate != "checksums.txt" {
		t.Errorf("checksum %q; the action reads checksums.txt", g.Checksum.NameTemplate)
	}
	for _, f := range g.Archives[0].Files {
		if m, _ := filepath.Glob(filepath.Join("../../../..", f)); len(m) == 0 {
			t.Errorf("archives.files: %s matches no file (goreleaser would fail)", f)
		}
	}
	// The action downloads hindsight_<version>_<os>_<arch>.tar.gz.
	if a := g.Archives[0]; a.NameTemplate != "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}" {
		t.Errorf("archive name %q; action.yml builds the name it downloads from the same parts", a.NameTemplate)
	}
}

// ldflagVars returns the variables -X sets in an ldflags string, sorted.
func ldflagVars(ldflags string) []string {
	var out []string
	ws := strings.Fields(ldflags)
	for i, w := range ws {
		if w == "-X" && i+1 < len(ws) {
			name, _, _ := strings.Cut(ws[i+1], "=")
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// runScripts returns the run: scripts of a workflow or action file.
func runScripts(t *testing.T, name string, data []byte) []string {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if run, ok := v["run"].(string); ok {
				out = append(out, run)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	return out
}

// TestShellSyntax: every run: script of the action and the workflows
// (this repository's and init's) is valid bash (bash -n), with each ${{ }}
// expression replaced by a word.
func TestShellSyntax(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	files := map[string][]byte{}
	for _, name := range []string{"action.yml", ".github/workflows/ci.yml", ".github/workflows/release.yml"} {
		files[name] = readRepoFile(t, name)
	}
	sk, err := skeleton.Render(skeleton.Data{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sk {
		if strings.HasPrefix(f.Path, ".github/workflows/") {
			files[f.Path] = f.Data
		}
	}
	n := 0
	for name, data := range files {
		for _, script := range runScripts(t, name, data) {
			n++
			script = exprRE.ReplaceAllString(script, "x")
			if out, err := exec.Command(bash, "-n", "-c", script).CombinedOutput(); err != nil {
				t.Errorf("%s: bash -n: %v\n%s\n%s", name, err, out, script)
			}
		}
	}
	if n < 8 {
		t.Errorf("only %d scripts found", n)
	}
}
