package cli

import (
	"fmt"
	"testing"
)

// TestAddNameStatus: one diff's output gives both the changed files and
// the renames.
func TestAddNameStatus(t *testing.T) {
	for _, tt := range []struct {
		name, out string
		changed   string
		renamed   string
	}{
		{"empty", "", "map[]", "map[]"},
		{"modified and deleted", "M\x00a.md\x00D\x00b.md\x00", "map[a.md:true b.md:true]", "map[]"},
		{"rename", "R097\x00old/a.md\x00new/a.md\x00", "map[new/a.md:true]", "map[new/a.md:old/a.md]"},
		{"copy", "C100\x00a.md\x00b.md\x00M\x00c.md\x00", "map[b.md:true c.md:true]", "map[]"},
		{"rename then added", "R100\x00x.md\x00y.md\x00A\x00z.md\x00", "map[y.md:true z.md:true]", "map[y.md:x.md]"},
		{"cut short", "R100\x00x.md", "map[]", "map[]"},
	} {
		ch := gitChanges{changed: map[string]bool{}, renamed: map[string]string{}}
		ch.addNameStatus(tt.out)
		if got := fmt.Sprint(ch.changed); got != tt.changed {
			t.Errorf("%s: changed %s, want %s", tt.name, got, tt.changed)
		}
		if got := fmt.Sprint(ch.renamed); got != tt.renamed {
			t.Errorf("%s: renamed %s, want %s", tt.name, got, tt.renamed)
		}
	}
}
