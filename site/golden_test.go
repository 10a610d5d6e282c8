package site

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGoldenPostmortem compares one rendered postmortem page with
// testdata/golden/postmortem.html (go test -run Golden -update rewrites
// it).
func TestGoldenPostmortem(t *testing.T) {
	root := writeTxtar(t, fixtureKB)
	s, _ := build(t, root, Options{})
	for page, golden := range map[string]string{
		"postmortems/2024-cert-expiry/index.html": "postmortem.html",
		"causes/expired-certificate/index.html":   "term.html",
	} {
		got, _, err := s.Render(page)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "golden", golden)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run Golden -update)", err)
		}
		if !bytes.Equal(got, want) {
			gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
			for i := 0; i < len(gl) || i < len(wl); i++ {
				var g, w []byte
				if i < len(gl) {
					g = gl[i]
				}
				if i < len(wl) {
					w = wl[i]
				}
				if !bytes.Equal(g, w) {
					t.Errorf("%s differs from %s at line %d:\n got: %s\nwant: %s\n(run go test -run Golden -update if the change is intended)", page, path, i+1, g, w)
					break
				}
			}
		}
	}
}
