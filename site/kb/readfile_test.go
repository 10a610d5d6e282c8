package kb

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadFile checks readFile's result and diagnostics for each kind of
// file: the messages are the ones the stat-then-read version gave.
func TestReadFile(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "content", "postmortems")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	write := func(name, text string, mode os.FileMode) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), mode); err != nil {
			t.Fatal(err)
		}
	}
	big := strings.Repeat("x", 300)
	tests := []struct {
		name, text string
		mode       os.FileMode
		max        int64
		missing    bool   // no file written
		root       bool   // needs a non-root user
		want       string // the data, or "rule: message"
	}{
		{name: "ok.md", text: "---\ntitle: é\n---\n", max: 100, want: "---\ntitle: é\n---\n"},
		{name: "empty.md", text: "", max: 100, want: ""},
		{name: "exact.md", text: big[:100], max: 100, want: big[:100]},
		{name: "big.md", text: big, max: 100, want: "file-size: file is 300 B, over the 100 B limit; split it, move attachments out of the Markdown, or raise max_file_size in hindsight.yaml"},
		{name: "latin1.md", text: "---\ntitle: caf\xe9\n", max: 100, want: "file-encoding 2:11: file is not UTF-8 (byte 0xe9 at offset 14); re-save it as UTF-8"},
		{name: "missing.md", missing: true, max: 100, want: "file-unreadable: file cannot be read: no such file or directory"},
		{name: "secret.md", text: "x", mode: 0o000, max: 100, root: true, want: "file-unreadable: file cannot be read: permission denied; check its permissions"},
		{name: "secretbig.md", text: big, mode: 0o000, max: 100, root: true, want: "file-size: file is 300 B, over the 100 B limit; split it, move attachments out of the Markdown, or raise max_file_size in hindsight.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.root && os.Geteuid() == 0 {
				t.Skip("root reads every file")
			}
			if !tc.missing {
				mode := tc.mode
				if mode == 0 {
					mode = 0o644
				}
				write(tc.name, tc.text, mode)
			}
			// Stat first, and as a file the listing gave (no stat: the
			// open file is checked).
			for _, listed := range []bool{false, true} {
				data, d := readFile(newFolders(d), file{rel: "content/postmortems/" + tc.name, listed: listed}, tc.max)
				got := string(data)
				if d != nil {
					if data != nil {
						t.Errorf("data %q with a diagnostic", data)
					}
					if d.File != "content/postmortems/"+tc.name {
						t.Errorf("file %q", d.File)
					}
					got = d.Rule
					if d.Pos.Line > 0 {
						got += fmt.Sprintf(" %d:%d", d.Pos.Line, d.Pos.Col)
					}
					got += ": " + d.Message
				}
				if got != tc.want {
					t.Errorf("listed %v: got  %q\nwant %q", listed, got, tc.want)
				}
			}
		})
	}
}
