package cli

import (
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/buildinfo"
)

// TestCacheKey: the review cache's key names a release or a clean commit
// alone (the cache carries over between CI runs of the same build), and
// adds the executable's identity to a build that names no commit or one
// from a modified checkout (two such builds may parse differently).
func TestCacheKey(t *testing.T) {
	tests := []struct {
		b    buildinfo.Build
		want string // the key, or its prefix when the executable is added
		exe  bool
	}{
		{buildinfo.Build{Version: "v1.2.3", Commit: "abc"}, "v1.2.3 abc", false},
		{buildinfo.Build{Version: "v0.0.0-20261201093000-0123456789ab", Commit: "0123456789ab"}, "v0.0.0-20261201093000-0123456789ab 0123456789ab", false},
		{buildinfo.Build{Version: "devel", Commit: "abc", Modified: true}, "devel abc modified ", true},
		{buildinfo.Build{Version: "devel"}, "devel  modified ", true},
	}
	for _, tt := range tests {
		got := cacheKey(tt.b)
		if tt.exe && (!strings.HasPrefix(got, tt.want) || len(got) <= len(tt.want)) || !tt.exe && got != tt.want {
			t.Errorf("cacheKey(%+v) = %q, want %q (with the executable: %v)", tt.b, got, tt.want, tt.exe)
		}
	}
	if a, b := cacheKey(buildinfo.Build{Version: "v1.2.3", Commit: "x"}), cacheKey(buildinfo.Build{Version: "v1.2.4", Commit: "x"}); a == b {
		t.Error("two versions share a key")
	}
}
