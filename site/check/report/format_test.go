package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/check/report"
	"github.com/hindsight-kb/hindsight/site/diag"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var sample = report.Report{Files: 3, Diagnostics: []diag.Diagnostic{
	{File: "content/postmortems/2025/a.md", Pos: diag.Pos{Line: 3, Col: 11}, Severity: diag.Error, Rule: "invalid-value",
		Message: `severity "SEV9" is not one of SEV1, SEV2, SEV3, SEV4 (did you mean "SEV1"?)`},
	{File: "content/postmortems/2025/a.md", Pos: diag.Pos{Line: 33, Col: 1}, Severity: diag.Warning, Rule: "blame-language",
		Message: "\"human error\" blames people; 100% of it, a: b, c\nnext line"},
	{File: "content/postmortems/2025/b, c.md", Severity: diag.Error, Rule: "file-encoding", Message: "file is not UTF-8"},
}, Source: func(file string) []byte {
	if file == "content/postmortems/2025/a.md" {
		return []byte("---\ntitle: x\nseverity: SEV9\n")
	}
	return nil
}}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", name, got)
	}
}

func print(t *testing.T, format string, opts report.PrintOptions, r report.Report) []byte {
	t.Helper()
	p, err := report.NewPrinter(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.Print(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPrinters(t *testing.T) {
	opts := report.PrintOptions{Version: "v1.0.0"}
	for _, f := range []string{"text", "json", "github", "sarif"} {
		golden(t, "report."+f+".golden", print(t, f, opts, sample))
	}
	golden(t, "clean.json.golden", print(t, "json", opts, report.Report{Files: 2}))
	golden(t, "report.text-color.golden", print(t, "text", report.PrintOptions{Color: true}, sample))
	golden(t, "report.github-prefix.golden", print(t, "github", report.PrintOptions{PathPrefix: "kb/"}, sample))
}

func TestJSONShape(t *testing.T) {
	var v struct {
		Diagnostics []map[string]any `json:"diagnostics"`
		Summary     map[string]int   `json:"summary"`
	}
	if err := json.Unmarshal(print(t, "json", report.PrintOptions{}, report.Report{Files: 2}), &v); err != nil {
		t.Fatal(err)
	}
	if v.Diagnostics == nil || v.Summary["files"] != 2 {
		t.Fatalf("clean report: %+v", v)
	}
	if err := json.Unmarshal(print(t, "json", report.PrintOptions{}, sample), &v); err != nil {
		t.Fatal(err)
	}
	d := v.Diagnostics[2]
	if d["line"].(float64) != 0 || d["column"].(float64) != 0 || v.Summary["errors"] != 2 || v.Summary["warnings"] != 1 {
		t.Fatalf("report: %+v", v)
	}
	for _, k := range []string{"file", "line", "column", "severity", "rule", "message"} {
		if _, ok := v.Diagnostics[0][k]; !ok || len(v.Diagnostics[0]) != 6 {
			t.Errorf("diagnostic lacks %s or has extra keys: %v", k, v.Diagnostics[0])
		}
	}
}

func TestSARIFRules(t *testing.T) {
	var v struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID               string            `json:"id"`
						ShortDescription map[string]string `json:"shortDescription"`
						HelpURI          string            `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Locations []struct {
					PhysicalLocation struct {
						Region *struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(print(t, "sarif", report.PrintOptions{}, sample), &v); err != nil {
		t.Fatal(err)
	}
	rules := v.Runs[0].Tool.Driver.Rules
	if v.Version != "2.1.0" || len(rules) != len(check.Rules()) {
		t.Fatalf("version %s, %d rules", v.Version, len(rules))
	}
	for _, r := range rules {
		if r.ShortDescription["text"] == "" || !strings.HasPrefix(r.HelpURI, "https://") {
			t.Errorf("rule %s lacks a description or help URI", r.ID)
		}
	}
	for _, res := range v.Runs[0].Results {
		if rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("ruleIndex %d is %s, not %s", res.RuleIndex, rules[res.RuleIndex].ID, res.RuleID)
		}
	}
	if v.Runs[0].Results[2].Locations[0].PhysicalLocation.Region != nil {
		t.Error("a whole-file result must have no region")
	}
}

func TestUnknownFormat(t *testing.T) {
	_, err := report.NewPrinter("sarf", report.PrintOptions{})
	if err == nil || !strings.Contains(err.Error(), `"sarif"`) {
		t.Fatalf("err = %v", err)
	}
}
