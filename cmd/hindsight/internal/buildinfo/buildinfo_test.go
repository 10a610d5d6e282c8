package buildinfo

import (
	"runtime"
	"runtime/debug"
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
			got := tc.linked.Complete(bi, true)
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if got.Release() != tc.release {
				t.Errorf("Release() = %v", got.Release())
			}
		})
	}
	if got := (Build{}).Complete(nil, false); got.Version != "devel" {
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
