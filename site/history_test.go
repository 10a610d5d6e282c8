package site

import (
	"testing"
	"time"
)

func TestParseHistory(t *testing.T) {
	out := "\x1e1700000000\n\ncontent/postmortems/a.md\ncontent/about.md\n\x1e1600000000\n\ncontent/postmortems/a.md\ncontent/postmortems/b.md\n"
	h := parseHistory([]byte(out), "kb/")
	if got := h["content/postmortems/a.md"]; !got.Updated.Equal(time.Unix(1700000000, 0)) || got.RepoPath != "kb/content/postmortems/a.md" {
		t.Errorf("a = %+v", got)
	}
	if got := h["content/postmortems/b.md"]; !got.Updated.Equal(time.Unix(1600000000, 0)) {
		t.Errorf("b = %+v", got)
	}
	if len(h) != 3 {
		t.Errorf("len = %d", len(h))
	}
}
