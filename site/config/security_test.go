package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/internal/bounded"
)

func TestSecurityConfigRanges(t *testing.T) {
	tests := []struct {
		src      string
		line     int
		contains []string
	}{
		{"title: x\nmax_file_size: 9223372036854775808\n", 2, []string{"max_file_size", "1B to 64MiB"}},
		{"title: x\nmax_file_size: 8589934592GiB\n", 2, []string{"max_file_size", "1B to 64MiB"}},
		{"title: x\nmax_file_size: 65MiB\n", 2, []string{"max_file_size", "1B to 64MiB"}},
		{"title: x\nmax_file_size: 0.1\n", 2, []string{"max_file_size", "1B to 64MiB"}},
		{"title: x\ntimeline_slack: -7d\n", 2, []string{"timeline_slack", "0 to 365d"}},
		{"title: x\ntimeline_slack: -1h\n", 2, []string{"timeline_slack", "0 to 365d"}},
		{"title: x\ntimeline_slack: 400d\n", 2, []string{"timeline_slack", "0 to 365d"}},
		{"title: x\ntimeline_slack: 999999999999d\n", 2, []string{"timeline_slack", "0 to 365d"}},
	}
	for _, tt := range tests {
		cfg, ds := Parse("hindsight.yaml", []byte(tt.src))
		if len(ds) != 1 {
			t.Errorf("%q: diagnostics %v, want one", tt.src, ds)
			continue
		}
		d := ds[0]
		ok := d.Pos.Line == tt.line && d.Rule == Rule
		for _, c := range tt.contains {
			ok = ok && strings.Contains(d.Message, c)
		}
		if !ok {
			t.Errorf("%q: got %v, want line %d containing %q", tt.src, d, tt.line, tt.contains)
		}
		if def := Default(); cfg.MaxFileSize != def.MaxFileSize || cfg.TimelineSlack != def.TimelineSlack {
			t.Errorf("%q: the bad value was taken: %d %v", tt.src, cfg.MaxFileSize, cfg.TimelineSlack)
		}
	}
	// The bounds themselves are accepted.
	cfg, ds := Parse("hindsight.yaml", []byte("max_file_size: 64MiB\ntimeline_slack: 365d\n"))
	if len(ds) != 0 || cfg.MaxFileSize != 64<<20 || cfg.TimelineSlack != 365*24*time.Hour {
		t.Errorf("bounds: %v %d %v", ds, cfg.MaxFileSize, cfg.TimelineSlack)
	}
}

func TestSecurityConfigAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("title: x\n")
	for i := 0; i < 9; i++ {
		item := "lol"
		if i > 0 {
			item = fmt.Sprintf("*a%d", i-1)
		}
		fmt.Fprintf(&b, "internal_sections%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(item+", ", 9), ", "))
	}
	var ds []diagnostic
	bounded.Within(t, 10*time.Second, func() {
		_, got := Parse("hindsight.yaml", []byte(b.String()))
		for _, d := range got {
			ds = append(ds, diagnostic{d.Pos.Line, d.Message})
		}
	})
	if len(ds) != 1 || ds[0].line < 2 || ds[0].line > 10 || !strings.Contains(ds[0].msg, "aliases") {
		t.Errorf("diagnostics %v, want one about aliases on a line of the file", ds)
	}
}

// readFileCase is a hindsight.yaml that Load reads or refuses.
type readFileCase struct {
	name string
	// setup makes hindsight.yaml in the KB root dir.
	setup func(t *testing.T, dir string)
	// want is in the error; "" means the file reads.
	want string
}

type diagnostic struct {
	line int
	msg  string
}

func TestSecurityConfigReadFile(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.yaml")
	if err := os.WriteFile(secret, []byte("title: from outside\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []readFileCase{
		{"regular", func(t *testing.T, dir string) { write(t, filepath.Join(dir, FileName), "title: x\n") }, ""},
		{"symlink inside the root", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "conf.yaml"), "title: x\n")
			symlink(t, "conf.yaml", filepath.Join(dir, FileName))
		}, ""},
		{"symlink out of the root", func(t *testing.T, dir string) { symlink(t, secret, filepath.Join(dir, FileName)) }, "inside the KB root"},
		{"relative symlink out of the root", func(t *testing.T, dir string) {
			rel, err := filepath.Rel(dir, secret)
			if err != nil {
				t.Fatal(err)
			}
			symlink(t, rel, filepath.Join(dir, FileName))
		}, "inside the KB root"},
		{"folder", func(t *testing.T, dir string) {
			if err := os.Mkdir(filepath.Join(dir, FileName), 0o755); err != nil {
				t.Fatal(err)
			}
		}, "not a regular file"},
		{"too big", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, FileName), "title: x\n"+strings.Repeat("# padding\n", MaxConfigSize/10))
		}, "larger than"},
	}
	tests = append(tests, platformReadFileTests()...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			var cfg *Config
			var err error
			bounded.Within(t, 10*time.Second, func() { cfg, _, err = Load(dir) })
			if tt.want == "" {
				if err != nil || cfg.Title != "x" {
					t.Fatalf("Load: %v, title %q", err, cfg.Title)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), FileName) {
				t.Fatalf("Load: err = %v, want one naming %s and containing %q", err, FileName, tt.want)
			}
		})
	}
	// No file: the defaults, no error.
	cfg, ds, err := Load(t.TempDir())
	if err != nil || len(ds) != 0 || cfg.Title != Default().Title {
		t.Errorf("no file: %v %v %+v", err, ds, cfg)
	}
	if _, err := ReadFile(t.TempDir()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of no file: %v, want fs.ErrNotExist", err)
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, old, new string) {
	t.Helper()
	if err := os.Symlink(old, new); err != nil {
		t.Skipf("symlinks: %v", err)
	}
}
