package check

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// TestStreamMatchesRun checks the sample KB both ways: loading everything
// then running the rules, and checking each file while it loads.
func TestStreamMatchesRun(t *testing.T) {
	root := "../.."
	cfg, ds, err := config.Load(root)
	if err != nil || len(ds) > 0 {
		t.Fatalf("config: %v %v", err, ds)
	}
	opts := Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
	k, err := kb.Load(root, cfg, kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Run(k, opts)
	s := NewStream(opts)
	k2, err := kb.Load(root, cfg, s.KBOptions(kb.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	got := s.Finish(k2)
	if len(want) == 0 {
		t.Fatal("the sample KB should at least have action-overdue warnings")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stream gives %d diagnostics, run %d:\n%v\n---\n%v", len(got), len(want), got, want)
	}
	for _, p := range k2.Postmortems {
		if p.Source != nil || p.Body.Text != "" {
			t.Fatalf("%s: text kept after streaming", p.Path)
		}
	}
}

// TestPageSecret: content pages are scanned for credentials too, with the
// line and column in the page.
func TestPageSecret(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "content", "postmortems"), 0o755); err != nil {
		t.Fatal(err)
	}
	page := "\xef\xbb\xbf---\ntitle: About\n---\n\nkey AKIAZ3MSJV4WWNKWW5FG here\n"
	if err := os.WriteFile(filepath.Join(root, "content", "about.md"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := kb.Load(root, config.Default(), kb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ds := Run(k, Options{})
	if len(ds) != 1 || ds[0].Rule != "secret" || ds[0].File != "content/about.md" || ds[0].Pos != (diag.Pos{Line: 5, Col: 5}) {
		t.Fatalf("got %v", ds)
	}
}
