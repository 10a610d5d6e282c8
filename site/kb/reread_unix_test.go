//go:build unix

package kb

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
)

// TestSecurityRereadFIFO: a postmortem replaced by a named pipe between
// its front matter and its body (a hostile pull request cannot do it, a
// hostile process on the machine can) is refused without blocking on
// the pipe: its front matter stays, with a file-unreadable error.
func TestSecurityRereadFIFO(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"content/postmortems/a.md": pmText("a", "A", "x"),
		"content/postmortems/p.md": pmText("p", "P", "Becomes a pipe."),
	})
	p := filepath.Join(root, "content", "postmortems", "p.md")
	opts := Options{DropBody: true, RereadFrom: -1, Prepare: func(*KB, []string) {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		mkfifo(t, p)
	}}
	done := make(chan *KB, 1)
	go func() {
		k, err := Load(root, config.Default(), opts)
		if err != nil {
			t.Error(err)
		}
		done <- k
	}()
	var k *KB
	select {
	case k = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Load blocked on a postmortem replaced by a named pipe between its two reads")
	}
	if k == nil {
		return
	}
	for _, pm := range k.Postmortems {
		if pm.ID == "p" {
			if len(pm.Problems) != 1 || !strings.Contains(pm.Problems[0].Message, "named pipe") {
				t.Errorf("p.md: problems %v, want one saying it is a named pipe", pm.Problems)
			}
			return
		}
	}
	t.Errorf("p.md: no postmortem with its front matter")
}
