package complete

import (
	"strings"
	"testing"
)

func TestFrontMatterID(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"---\nid: edge-cert\n---\n", "edge-cert"},
		{"---\ntitle: x\nid: \"quoted\"  # c\n---\n", "quoted"},
		{"---\nid: 'single'\n---\n", "single"},
		{"\ufeff---\nid: bom\n---\n", "bom"},
		{"---\ntitle: x\n---\nid: body\n", ""},
		{"---\n  id: nested\n---\n", ""},
		{"+++\nid = \"toml\"\n+++\n", "toml"},
		{"{\n  \"title\": \"x\",\n  \"id\": \"json\"\n}\n", "json"},
		{"# no front matter\nid: x\n", ""},
		{"", ""},
	} {
		if got := frontMatterID(strings.NewReader(tc.src)); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.src, got, tc.want)
		}
	}
}

// FuzzFrontMatterID: the id reader never panics, reads no further than
// the front matter, and returns one line's value.
func FuzzFrontMatterID(f *testing.F) {
	for _, s := range []string{"---\nid: a\n---\n", "+++\nid = \"b\"\n+++\n", "{\n\"id\": \"c\"\n}\n", "---\nid:\n", "---\nid: \"unclosed\n---\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		id := frontMatterID(strings.NewReader(src))
		if strings.ContainsAny(id, "\r\n") {
			t.Fatalf("id %q spans lines", id)
		}
		if id != "" && !strings.Contains(src, id) {
			t.Fatalf("id %q is not in the source", id)
		}
	})
}
