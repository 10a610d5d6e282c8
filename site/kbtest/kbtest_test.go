package kbtest

import (
	"testing"

	"github.com/hindsight-kb/hindsight/site/kb"
)

func TestGenerateLoad(t *testing.T) {
	root := Generate(t, 12, 3)
	cfg, k := Load(t, root, kb.Options{})
	if cfg == nil || len(k.Postmortems) != 12 {
		t.Fatalf("loaded %d postmortems from a generated KB of 12", len(k.Postmortems))
	}
}
