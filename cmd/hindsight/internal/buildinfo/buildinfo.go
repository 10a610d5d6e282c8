package buildinfo

import (
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// Build describes the binary. Release builds (goreleaser, the Dockerfile)
// set Version, Commit and Date with -ldflags -X on package main, which
// passes them on; Read fills what they leave empty from the build
// information the Go toolchain records.
type Build struct {
	Version, Commit, Date string
	// Modified is true for a build from a checkout with uncommitted
	// changes.
	Modified bool
}

// pseudoRE matches the time and commit at the end of a pseudo-version.
var pseudoRE = regexp.MustCompile(`(?:^|[-.])(\d{14})-([0-9a-f]{12})(?:\+[0-9A-Za-z.]+)?$`)

// Read returns linked (what the release build set) completed with the
// running binary's build information.
func Read(linked Build) Build {
	bi, ok := debug.ReadBuildInfo()
	return linked.Complete(bi, ok)
}

// Complete fills what b leaves empty from the toolchain's build
// information bi (ok false: there is none): the module version of a `go
// install …@v1.2.3` build, the commit and time of a build from a git
// checkout (vcs.revision, vcs.time, vcs.modified), or both from a
// pseudo-version (v0.0.0-20261201093000-0123456789ab).
func (b Build) Complete(bi *debug.BuildInfo, ok bool) Build {
	if !ok {
		if b.Version == "" {
			b.Version = "devel"
		}
		return b
	}
	if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		b.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if b.Commit == "" {
				b.Commit = s.Value
			}
		case "vcs.time":
			if b.Date == "" {
				b.Date = s.Value
			}
		case "vcs.modified":
			b.Modified = b.Modified || s.Value == "true"
		}
	}
	if m := pseudoRE.FindStringSubmatch(b.Version); m != nil {
		if b.Commit == "" {
			b.Commit = m[2]
		}
		if t, err := time.Parse("20060102150405", m[1]); err == nil && b.Date == "" {
			b.Date = t.Format(time.RFC3339)
		}
	}
	if b.Version == "" {
		b.Version = "devel"
	}
	return b
}

// Release reports whether the version is a release tag (v1.2.3, not a
// pseudo-version, a pre-release of one or a development build).
func (b Build) Release() bool {
	return releaseRE.MatchString(b.Version) && !pseudoRE.MatchString(b.Version)
}

var releaseRE = regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$`)

// Short is the version with the commit, for SARIF and other tools'
// output.
func (b Build) Short() string {
	v := b.Version
	if b.Commit != "" {
		v += " (" + shortCommit(b.Commit)
		if b.Modified {
			v += ", modified"
		}
		v += ")"
	}
	return v
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// String is what `hindsight version` and `--version` print.
func (b Build) String() string {
	var parts []string
	if b.Commit != "" {
		c := "commit " + shortCommit(b.Commit)
		if b.Modified {
			c += " (modified)"
		}
		parts = append(parts, c)
	}
	if b.Date != "" {
		parts = append(parts, "built "+b.Date)
	}
	s := "hindsight " + b.Version
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return fmt.Sprintf("%s %s/%s %s", s, runtime.GOOS, runtime.GOARCH, runtime.Version())
}
