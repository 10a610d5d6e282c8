package config

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/diag"
)

func TestParseValid(t *testing.T) {
	cfg, ds := Parse("hindsight.yaml", []byte(`title: KB
base_url: https://kb.example.com
timezone: Europe/Berlin
severities: [S1, S2]
causes:
  - {slug: expired-certificate, title: Expired certificate}
  - dns
systems:
  - {slug: edge, owner: team-edge}
rules: {blame-language: off, action-overdue: error}
max_file_size: 512KiB
required_sections:
  - {name: Summary, aliases: [TL;DR]}
  - Timeline
`))
	if len(ds) > 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	if cfg.BaseURL != "https://kb.example.com/" || cfg.Location.String() != "Europe/Berlin" || len(cfg.Severities) != 2 {
		t.Errorf("cfg %+v", cfg)
	}
	if cfg.Term("causes", "dns").Title != "Dns" || cfg.Term("systems", "edge").Owner != "team-edge" {
		t.Errorf("terms %+v %+v", cfg.Causes, cfg.Systems)
	}
	if cfg.Level("blame-language", diag.Warning) != diag.Off || cfg.Level("action-overdue", diag.Warning) != diag.Error {
		t.Errorf("rules %v", cfg.Rules)
	}
	if cfg.MaxFileSize != 512<<10 || len(cfg.RequiredSections) != 2 || !cfg.RequiredSections[0].Matches("tl;dr") {
		t.Errorf("size/sections %v %v", cfg.MaxFileSize, cfg.RequiredSections)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src      string
		line     int
		contains string
	}{
		{"titel: x\n", 1, `did you mean "title"`},
		{"title: x\ntimezone: Mars/Olympus\n", 2, "not a known IANA zone"},
		{"rules:\n  blame-langauge: off\n", 2, `did you mean "blame-language"`},
		{"rules:\n  secret: loud\n", 2, "off, warning or error"},
		{"causes:\n  - {slug: Bad Slug}\n", 2, "lower-case"},
		{"severities: SEV1\n", 1, "list"},
		{"max_file_size: huge\n", 1, "size"},
		{"title: [unclosed\n", 1, "YAML"},
		{"base_url: kb.example.com\n", 1, "absolute"},
		{"title: x\nbase_url: https://kb.example.com/sub dir/\n", 2, "percent-encode"},
		{"base_url: https://kb.example.com/?a=1\n", 1, "has a query"},
		{"base_url: https://kb.example.com/#top\n", 1, "has a fragment"},
		{"base_url: https://kb.example.com/p<2>/\n", 1, "percent-encode"},
		{"base_url: https://kb.exämple.com/\n", 1, "xn--"},
		{"base_url: https://user:pw@kb.example.com/\n", 1, "user info"},
		{"base_url: https:///kb/\n", 1, "no host"},
		{"base_url: https://:8080/\n", 1, "no host"},
		{"title: x\nsearch:\n  synonym: []\n", 3, `did you mean "synonyms"`},
		{"search: [tls]\n", 1, "search must be a mapping"},
		{"search:\n  synonyms: tls\n", 2, "list of groups"},
		{"search:\n  synonyms:\n    - [tls, ssl]\n    - tls\n", 4, "list of words or phrases"},
		{"search:\n  synonyms:\n    - [tls]\n", 3, "at least two"},
		{"search:\n  synonyms:\n    - [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21]\n", 3, "over the limit of 20"},
		{"search:\n  synonyms:\n    - [tls, " + strings.Repeat("x", 101) + "]\n", 3, "longer than 100 bytes"},
	}
	for _, tt := range tests {
		_, ds := Parse("hindsight.yaml", []byte(tt.src))
		if len(ds) == 0 {
			t.Errorf("%q: no diagnostic", tt.src)
			continue
		}
		d := ds[0]
		if d.Pos.Line != tt.line || !strings.Contains(d.Message, tt.contains) || d.Rule != Rule {
			t.Errorf("%q: got %v, want line %d containing %q", tt.src, d, tt.line, tt.contains)
		}
	}
}

func TestParseSynonyms(t *testing.T) {
	tests := []struct {
		src  string
		want [][]string
	}{
		{"title: x\n", DefaultSynonyms()},
		{"search:\n  synonyms: [[tls, ssl], [ddos, denial  of service]]\n", [][]string{{"tls", "ssl"}, {"ddos", "denial of service"}}},
		{"search: {synonyms: []}\n", [][]string{}},
	}
	for _, tt := range tests {
		cfg, ds := Parse("hindsight.yaml", []byte(tt.src))
		if len(ds) > 0 {
			t.Fatalf("%q: %v", tt.src, ds)
		}
		if !reflect.DeepEqual(cfg.Search.Synonyms, tt.want) {
			t.Errorf("%q: synonyms %q, want %q", tt.src, cfg.Search.Synonyms, tt.want)
		}
	}
	if n := len(DefaultSynonyms()); n < 20 || n > 40 {
		t.Errorf("%d default synonym groups, want 20 to 40", n)
	}
}

// TestSecuritySynonymLimits: a config cannot make every query word a
// disjunction of thousands of members.
func TestSecuritySynonymLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("search:\n  synonyms:\n")
	for i := 0; i < MaxSynonyms/2+1; i++ {
		fmt.Fprintf(&b, "    - [w%d, v%d]\n", i, i)
	}
	cfg, ds := Parse("hindsight.yaml", []byte(b.String()))
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "more than 2000") || ds[0].Pos.Line != 3+MaxSynonyms/2 {
		t.Errorf("diagnostics %v", ds)
	}
	if n := len(cfg.Search.Synonyms); n != MaxSynonyms/2 {
		t.Errorf("%d groups kept, want the first %d", n, MaxSynonyms/2)
	}
}

// TestBaseURLAccepted: the base URLs of real sites pass.
func TestBaseURLAccepted(t *testing.T) {
	for _, u := range []string{"https://kb.example.com", "https://acme.github.io/postmortems/", "http://127.0.0.1:8765/", "https://kb.example.com:8443/a%20b/", "http://[::1]:1717/", `""`} {
		cfg, ds := Parse("hindsight.yaml", []byte("base_url: "+u+"\n"))
		if len(ds) > 0 || u != `""` && !strings.HasPrefix(cfg.BaseURL, u) { // "" is unset, as no key
			t.Errorf("%s: %v, BaseURL %q", u, ds, cfg.BaseURL)
		}
	}
}
