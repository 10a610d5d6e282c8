package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestDockerfileBuild runs the Dockerfile's `go build` line (its ARGs set
// to test values, its output moved into a temporary folder) with the plain
// go command, and the binary it makes: the flags must be plain go build
// flags, and the -X variables the ones `hindsight version` prints (the
// same as .goreleaser.yaml's, which TestGoreleaser checks).
func TestDockerfileBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds hindsight")
	}
	src := string(readRepoFile(t, "Dockerfile"))
	var run string
	for _, l := range strings.Split(src, "\n") {
		if strings.HasPrefix(l, "RUN ") && strings.Contains(l, " go build ") {
			run = strings.TrimPrefix(l, "RUN ")
		}
	}
	if run == "" {
		t.Fatal("no RUN … go build line in the Dockerfile")
	}
	for _, arg := range regexp.MustCompile(`(?m)^ARG (\w+)`).FindAllStringSubmatch(src, -1) {
		if !strings.Contains(run, "${"+arg[1]+"}") {
			t.Errorf("ARG %s is not used by the go build line", arg[1])
		}
	}
	vals := map[string]string{"VERSION": "v9.8.7", "COMMIT": "fedcba9876543210fedc", "DATE": "2026-12-03T04:05:06Z"}
	run = regexp.MustCompile(`\$\{(\w+)\}`).ReplaceAllStringFunc(run, func(m string) string { return vals[m[2:len(m)-1]] })
	words := shellWords(run)
	var envs []string
	for len(words) > 0 && strings.Contains(words[0], "=") {
		envs = append(envs, words[0])
		words = words[1:]
	}
	if len(words) < 2 || words[0] != "go" || words[1] != "build" {
		t.Fatalf("not a go build command: %q", words)
	}
	if !strings.Contains(strings.Join(envs, " "), "CGO_ENABLED=0") {
		t.Errorf("the build is not static: %q", envs)
	}
	args := words[2:]
	bin := filepath.Join(t.TempDir(), "hindsight")
	for i, a := range args {
		if a == "-o" && i+1 < len(args) {
			args[i+1] = bin
		}
		if a == "-ldflags" && i+1 < len(args) {
			if got, want := ldflagVars(args[i+1]), []string{"main.commit", "main.date", "main.version"}; strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("Dockerfile -ldflags set %q, want %q (as .goreleaser.yaml, see TestGoreleaser)", got, want)
			}
		}
	}
	gobuild := func(args ...string) {
		t.Helper()
		cmd := exec.Command("go", append([]string{"build"}, args...)...)
		cmd.Dir = "../../../.."
		cmd.Env = append(os.Environ(), envs...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// The line as written, as a dry run (-n: the go command checks the
	// flags and plans the build without compiling) ...
	gobuild(append([]string{"-n"}, args...)...)
	// ... and for real without -trimpath, which would recompile every
	// package outside the build cache's usual entries (minutes); the
	// -ldflags are the Dockerfile's.
	gobuild(slices.DeleteFunc(slices.Clone(args), func(a string) bool { return a == "-trimpath" })...)
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s version: %v\n%s", bin, err, out)
	}
	if want := "hindsight v9.8.7 (commit fedcba987654, built 2026-12-03T04:05:06Z) "; !strings.HasPrefix(string(out), want) {
		t.Errorf("version printed %q, want it to start with %q", out, want)
	}
}
