package report_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/check/report"
	"github.com/hindsight-kb/hindsight/site/diag"
)

// sarifSchema compiles the SARIF 2.1.0 JSON schema vendored in testdata
// (see testdata/README.md for where it comes from), with formats such as
// uri-reference asserted.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, out []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(v)
}

// odd is a report whose files and lines are what a real KB holds: names
// with spaces, accents and '#', lines with em dashes and emoji, a file
// whose text cannot be read, a problem of hindsight.yaml.
var odd = report.Report{Files: 2, Diagnostics: []diag.Diagnostic{
	{File: "content/postmortems/Edge cert café #2.md", Pos: diag.Pos{Line: 2, Col: 35}, Severity: diag.Warning, Rule: "blame-language", Message: `"human error" blames people`},
	{File: "content/postmortems/Edge cert café #2.md", Pos: diag.Pos{Line: 3, Col: 1}, Severity: diag.Error, Rule: "secret", Message: "a token"},
	{File: "content/postmortems/gone.md", Pos: diag.Pos{Line: 4, Col: 7}, Severity: diag.Error, Rule: "timeline-time", Message: "no time"},
	{File: "hindsight.yaml", Pos: diag.Pos{Line: 1, Col: 8}, Severity: diag.Error, Rule: "config", Message: "bad key"},
}, Source: func(file string) []byte {
	switch file {
	case "content/postmortems/Edge cert café #2.md":
		return []byte("---\nRenewal — café ☕ 🔥 it was human error.\nghp_…\n")
	case "hindsight.yaml":
		return []byte("titel: x\n")
	}
	return nil
}}

func TestSARIFSchema(t *testing.T) {
	s := sarifSchema(t)
	for name, r := range map[string]report.Report{"sample": sample, "odd": odd, "clean": {Files: 1}} {
		for _, prefix := range []string{"", "docs/my kb/"} {
			out := print(t, "sarif", report.PrintOptions{Version: "v1.0.0", PathPrefix: prefix}, r)
			if err := validate(t, s, out); err != nil {
				t.Errorf("%s (prefix %q): not valid SARIF 2.1.0: %v\n%s", name, prefix, err, out)
			}
		}
	}
	// The schema catches what it should: a log without its version.
	out := print(t, "sarif", report.PrintOptions{}, sample)
	if err := validate(t, s, bytes.Replace(out, []byte(`"version": "2.1.0",`), nil, 1)); err == nil {
		t.Error("the schema accepts a log without version: it checks nothing")
	}
}

type sarifRegion struct {
	URI         string
	StartLine   int
	StartColumn int
}

func sarifRegions(t *testing.T, out []byte) (columnKind string, regions []sarifRegion) {
	t.Helper()
	var v struct {
		Runs []struct {
			ColumnKind string `json:"columnKind"`
			Results    []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region *struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	for _, res := range v.Runs[0].Results {
		pl := res.Locations[0].PhysicalLocation
		r := sarifRegion{URI: pl.ArtifactLocation.URI}
		if pl.Region != nil {
			r.StartLine, r.StartColumn = pl.Region.StartLine, pl.Region.StartColumn
		}
		regions = append(regions, r)
	}
	return v.Runs[0].ColumnKind, regions
}

// TestSARIFColumns: SARIF counts columns in UTF-16 code units (its
// default, §3.14.24), hindsight in bytes.
func TestSARIFColumns(t *testing.T) {
	kind, got := sarifRegions(t, print(t, "sarif", report.PrintOptions{}, odd))
	if kind != "utf16CodeUnits" {
		t.Errorf("columnKind = %q", kind)
	}
	// "Renewal — café ☕ 🔥 it was human error.": "human" is byte 35
	// (— and ☕ are 3 bytes, é 2, 🔥 4) and UTF-16 unit 28 (🔥 is 2).
	line := "Renewal — café ☕ 🔥 it was human error."
	if b := strings.Index(line, "human") + 1; b != 35 {
		t.Fatalf("test data: human is at byte %d", b)
	}
	want := []struct{ line, col int }{
		{2, 28}, // converted
		{3, 1},  // the first column is the first in any unit
		{4, 0},  // the text cannot be had: the line, not a wrong column
		{1, 8},  // ASCII: bytes are units
	}
	for i, w := range want {
		if got[i].StartLine != w.line || got[i].StartColumn != w.col {
			t.Errorf("result %d: line %d column %d, want %d:%d", i, got[i].StartLine, got[i].StartColumn, w.line, w.col)
		}
	}
}

// TestSARIFURI: artifactLocation.uri is a relative URI reference, each
// path segment percent-encoded.
func TestSARIFURI(t *testing.T) {
	for _, tc := range []struct{ prefix, file, want string }{
		{"", "content/postmortems/Edge cert café #2.md", "content/postmortems/Edge%20cert%20caf%C3%A9%20%232.md"},
		{"docs/my kb/", "content/postmortems/2025/a.md", "docs/my%20kb/content/postmortems/2025/a.md"},
		{"", "content/postmortems/100% up?.md", "content/postmortems/100%25%20up%3F.md"},
		{"", "content/a:b.md", "content/a%3Ab.md"},
		{"", "a:b.md", "a%3Ab.md"},
		{"", "hindsight.yaml", "hindsight.yaml"},
	} {
		r := report.Report{Diagnostics: []diag.Diagnostic{{File: tc.file, Severity: diag.Error, Rule: "file-encoding", Message: "m"}}}
		_, got := sarifRegions(t, print(t, "sarif", report.PrintOptions{PathPrefix: tc.prefix}, r))
		if got[0].URI != tc.want {
			t.Errorf("%q: uri %q, want %q", tc.prefix+tc.file, got[0].URI, tc.want)
		}
		u, err := url.Parse(got[0].URI)
		if err != nil || u.Scheme != "" || u.Fragment != "" || u.RawQuery != "" || u.Path != tc.prefix+tc.file {
			t.Errorf("%q: %q reads back as %+v (%v)", tc.prefix+tc.file, got[0].URI, u, err)
		}
	}
}

// sarifDriverOut is the tool driver of a SARIF log, as sarifDriver reads it.
type sarifDriverOut struct {
	Version string `json:"version"`
	Rules   []struct {
		ID              string            `json:"id"`
		Name            *string           `json:"name"`
		FullDescription map[string]string `json:"fullDescription"`
		Help            map[string]string `json:"help"`
	} `json:"rules"`
}

func sarifDriver(t *testing.T, out []byte) sarifDriverOut {
	t.Helper()
	var v struct {
		Runs []struct {
			Tool struct {
				Driver sarifDriverOut `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	return v.Runs[0].Tool.Driver
}

// TestSARIFVersion: the tool version starts with a digit, as the SARIF
// multitool (SARIF2005) and consumers comparing versions want.
func TestSARIFVersion(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"v1.2.0", "1.2.0"},
		{"v1.2.0 (0123456789ab)", "1.2.0 (0123456789ab)"},
		{"1.2.0", "1.2.0"},
		{"v0.0.0-20261207120000-0123456789ab", "0.0.0-20261207120000-0123456789ab"},
		{"devel", "0.0.0-devel"},
		{"devel (0123456789ab, modified)", "0.0.0-devel (0123456789ab, modified)"},
		{"v", "0.0.0-v"},
		{"", ""},
	} {
		got := sarifDriver(t, print(t, "sarif", report.PrintOptions{Version: tc.in}, sample)).Version
		if got != tc.want {
			t.Errorf("version %q is written %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSARIFRuleDescriptors: every rule has the fullDescription and help
// GitHub code scanning requires (the multitool's GH2012), and no name
// that only repeats its id (SARIF1001).
func TestSARIFRuleDescriptors(t *testing.T) {
	d := sarifDriver(t, print(t, "sarif", report.PrintOptions{Version: "v1.0.0"}, odd))
	if len(d.Rules) < len(check.Rules())+1 {
		t.Fatalf("%d rules, want the %d of Rules() and config", len(d.Rules), len(check.Rules()))
	}
	for _, r := range d.Rules {
		if r.FullDescription["text"] == "" || r.Help["text"] == "" {
			t.Errorf("rule %s: fullDescription %v, help %v", r.ID, r.FullDescription, r.Help)
		}
		if r.Name != nil && strings.EqualFold(*r.Name, r.ID) {
			t.Errorf("rule %s: name %q repeats the id", r.ID, *r.Name)
		}
		if r.Name == nil {
			t.Errorf("rule %s: no name", r.ID)
		}
	}
}
