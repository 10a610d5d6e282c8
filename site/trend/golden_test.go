package trend

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

// TestDataGolden pins data.json of the hand-computed fixture, both
// periods; go test -update rewrites the files after a deliberate change.
func TestDataGolden(t *testing.T) {
	_, tr, _ := fixture(t)
	for _, p := range tr.Periods {
		got := tr.JSON(p.Key)
		path := filepath.Join("testdata", "data-"+p.Key+".golden.json")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs (go test -update to accept):\n%s", path, got)
		}
	}
}
