package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

func TestBuildComplete(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	for _, tc := range []struct {
		name    string
		linked  Build
		main    string
		set     []debug.BuildSetting
		want    Build
		release bool
	}{
		{name: "ldflags win", linked: Build{Version: "v1.2.3", Commit: "abc", Date: "2026-12-01T10:00:00Z"},
			main: "(devel)", set: vcs("vcs.revision", "def", "vcs.time", "2020-01-01T00:00:00Z"),
			want: Build{Version: "v1.2.3", Commit: "abc", Date: "2026-12-01T10:00:00Z"}, release: true},
		{name: "go install of a tag", main: "v1.4.0", want: Build{Version: "v1.4.0"}, release: true},
		{name: "go install of a commit", main: "v0.0.0-20261201093000-0123456789ab",
			want: Build{Version: "v0.0.0-20261201093000-0123456789ab", Commit: "0123456789ab", Date: "2026-12-01T09:30:00Z"}},
		{name: "pseudo-version after a tag", main: "v1.4.1-0.20261201093000-0123456789ab+dirty",
			want: Build{Version: "v1.4.1-0.20261201093000-0123456789ab+dirty", Commit: "0123456789ab", Date: "2026-12-01T09:30:00Z"}},
		{name: "source checkout", main: "(devel)",
			set:  vcs("vcs", "git", "vcs.revision", "0123456789abcdef0123456789abcdef01234567", "vcs.time", "2026-12-02T08:00:00Z", "vcs.modified", "true"),
			want: Build{Version: "devel", Commit: "0123456789abcdef0123456789abcdef01234567", Date: "2026-12-02T08:00:00Z", Modified: true}},
		{name: "nothing known", main: "(devel)", want: Build{Version: "devel"}},
		{name: "pre-release tag", main: "v2.0.0-rc.1", want: Build{Version: "v2.0.0-rc.1"}, release: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/hindsight-kb/hindsight", Version: tc.main}, Settings: tc.set}
			got := tc.linked.complete(bi, true)
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if got.Release() != tc.release {
				t.Errorf("Release() = %v", got.Release())
			}
		})
	}
	if got := (Build{}).complete(nil, false); got.Version != "devel" {
		t.Errorf("no build info: %+v", got)
	}
}

func TestBuildString(t *testing.T) {
	b := Build{Version: "v1.2.3", Commit: "0123456789abcdef", Date: "2026-12-01T10:00:00Z"}
	want := "hindsight v1.2.3 (commit 0123456789ab, built 2026-12-01T10:00:00Z) " + runtime.GOOS + "/" + runtime.GOARCH + " " + runtime.Version()
	if got := b.String(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if got := (Build{Version: "devel"}).String(); !strings.HasPrefix(got, "hindsight devel "+runtime.GOOS) {
		t.Errorf("got %q", got)
	}
}

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
