//go:build unix

package serve

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// TestSecurityFIFOUnderServe: a FIFO made in content/ under serve
// --watch neither stops the rebuilds (then or after it is removed) nor
// hangs a request or the shutdown.
func TestSecurityFIFOUnderServe(t *testing.T) {
	h := startSite(t, fixtureKB())
	waitBody := func(step, page, want string) {
		t.Helper()
		var body string
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if _, body = h.get(page); strings.Contains(body, want) {
				return
			}
		}
		t.Fatalf("%s: %s never showed %q (rebuilds stopped?)\n%s", step, page, want, h.log.String())
	}
	for _, rel := range []string{"content/postmortems/2025/pipe.md", "content/postmortems/2025/pipe.txt"} {
		if err := syscall.Mkfifo(filepath.Join(h.root, filepath.FromSlash(rel)), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	if !h.log.waitFor("pipe.md") {
		t.Errorf("the terminal says nothing of the FIFO:\n%s", h.log.String())
	}
	kbtest.WriteFile(t, h.root, "content/postmortems/2025/a.md", pm("Alpha outage", "Edited while a FIFO is there."))
	waitBody("edit beside the FIFO", "/postmortems/a/", "Edited while a FIFO is there.")

	// Asking for the FIFO as an attachment does not hang.
	client := &http.Client{Timeout: 3 * time.Second}
	if resp, err := client.Get(h.url + "/postmortems/2025/pipe.txt"); err != nil {
		t.Errorf("GET the FIFO: %v", err)
	} else {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Errorf("GET the FIFO: 200")
		}
	}

	for _, rel := range []string{"content/postmortems/2025/pipe.md", "content/postmortems/2025/pipe.txt"} {
		os.Remove(filepath.Join(h.root, filepath.FromSlash(rel)))
	}
	kbtest.WriteFile(t, h.root, "content/postmortems/2025/a.md", pm("Alpha outage", "Edited after the FIFO went."))
	waitBody("edit after the FIFO went", "/postmortems/a/", "Edited after the FIFO went.")

	// A FIFO again, then stop: the server ends at once.
	syscall.Mkfifo(filepath.Join(h.root, "content/postmortems/2025/pipe.md"), 0o644)
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	h.cancel()
	select {
	case <-h.done:
	case <-time.After(2 * time.Second):
		t.Fatalf("the server did not stop within 2 s with a FIFO in content/")
	}
	t.Logf("stopped in %s", time.Since(start).Round(time.Millisecond))
}
