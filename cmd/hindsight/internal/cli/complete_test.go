package cli

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
