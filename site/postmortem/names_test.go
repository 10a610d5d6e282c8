package postmortem

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/internal/bounded"
)

func TestSecurityUnsafeNames(t *testing.T) {
	long := strings.Repeat("a", 101)
	tests := []struct {
		name string
		path string
		// front is the YAML between the delimiters.
		front string
		// check reads what was kept; problems are the lines of the
		// invalid-value problems expected.
		check    func(p *Postmortem) bool
		problems []int
	}{
		{"cause climbing out of the output", "x.md", "root_causes: [\"../../../../../../victim\"]\n",
			func(p *Postmortem) bool { return len(p.RootCauses) == 0 }, []int{2}},
		{"system with a slash, and a good one", "x.md", "systems:\n  - sys/../../x\n  - edge\n",
			func(p *Postmortem) bool {
				return len(p.Systems) == 1 && p.Systems[0] == "edge" && p.Fields["systems[0]"] == diag.Pos{Line: 4, Col: 5} && !p.HasField("systems[1]")
			}, []int{3}},
		{"data with a space and upper case", "x.md", "data_involved: [Customer PII, credentials]\n",
			func(p *Postmortem) bool { return len(p.DataInvolved) == 1 && p.DataInvolved[0] == "credentials" }, []int{2}},
		{"empty and over-long slugs", "x.md", "root_causes: [\"\", " + long + ", dns]\n",
			func(p *Postmortem) bool { return len(p.RootCauses) == 1 && p.RootCauses[0] == "dns" }, []int{2, 2}},
		{"slug of a dot", "x.md", "root_causes: [\".\", \"..\", a..b, -a, a-]\n",
			func(p *Postmortem) bool { return len(p.RootCauses) == 0 }, []int{2, 2, 2, 2, 2}},
		{"more systems than MaxNames", "x.md", "systems: [" + manyNames(MaxNames+6) + "]\n",
			func(p *Postmortem) bool {
				return len(p.Systems) == MaxNames && p.HasField(fmt.Sprintf("systems[%d]", MaxNames-1)) && !p.HasField(fmt.Sprintf("systems[%d]", MaxNames))
			}, []int{2}},
		{"detection with a newline", "x.md", "detection: \"audit\\n<script>\"\n",
			func(p *Postmortem) bool { return p.Detection == "" && !p.HasField("detection") }, []int{2}},
		{"techniques", "x.md", "attack_techniques: [../T1566, t1566, T1566.001]\n",
			func(p *Postmortem) bool {
				return len(p.AttackTechniques) == 1 && p.AttackTechniques[0] == "T1566.001" && p.Fields["attack_techniques[0]"].Col == 38
			}, []int{2, 2}},
		{"id that climbs", "x.md", "id: ../../index\n",
			func(p *Postmortem) bool { return p.ID == "" && !p.HasField("id") }, []int{2}},
		{"id with a quote", "x.md", "id: 'a\"b'\n", func(p *Postmortem) bool { return p.ID == "" }, []int{2}},
		{"id too long", "x.md", "id: " + strings.Repeat("A", 129) + "\n", func(p *Postmortem) bool { return p.ID == "" }, []int{2}},
		{"id with upper case", "x.md", "id: INC-2025-0042\n", func(p *Postmortem) bool { return p.ID == "INC-2025-0042" }, nil},
		{"file name with a space", "content/postmortems/has space.md", "title: x\n", func(p *Postmortem) bool { return p.ID == "" }, []int{0}},
		{"file name of dots", "content/postmortems/...md", "title: x\n", func(p *Postmortem) bool { return p.ID == "" }, []int{0}},
		{"file name with a newline", "content/postmortems/a\nb.md", "title: x\n", func(p *Postmortem) bool { return p.ID == "" }, []int{0}},
		{"unsafe file name, safe id", "content/postmortems/has space.md", "id: has-space\n", func(p *Postmortem) bool { return p.ID == "has-space" }, nil},
		{"safe names", "content/postmortems/2025/2025-03-14-edge.md",
			"root_causes: [expired-certificate, dns_ttl, v1.2]\nsystems: [edge]\ndetection: internal-alert\nattack_techniques: [T1566]\n",
			func(p *Postmortem) bool {
				return p.ID == "2025-03-14-edge" && len(p.RootCauses) == 3 && p.Detection == "internal-alert" && len(p.AttackTechniques) == 1 &&
					p.Fields["root_causes[2]"] == diag.Pos{Line: 2, Col: 45} && p.Fields["systems[0]"] == diag.Pos{Line: 3, Col: 11}
			}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewParser(Options{}).Parse(tt.path, []byte("---\n"+tt.front+"---\n\n## Summary\n\nText.\n"))
			var lines []int
			for _, d := range p.Problems {
				if d.Rule != "invalid-value" {
					t.Errorf("unexpected problem %v", d)
					continue
				}
				lines = append(lines, d.Pos.Line)
			}
			if !equalInts(lines, tt.problems) {
				t.Errorf("invalid-value problems on lines %v, want %v: %v", lines, tt.problems, p.Problems)
			}
			if !tt.check(p) {
				t.Errorf("kept id %q causes %q systems %q data %q detection %q techniques %q fields %v",
					p.ID, p.RootCauses, p.Systems, p.DataInvolved, p.Detection, p.AttackTechniques, p.Fields)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSecurityIsID(t *testing.T) {
	for s, want := range map[string]bool{
		"a": true, "2025-03-14-edge": true, "INC_42.v2": true, strings.Repeat("a", MaxIDLen): true,
		"": false, ".": false, "..": false, ".a": false, "-a": false, "a..b": false, "a/b": false, `a\b`: false,
		"a b": false, "é": false, "a\n": false, strings.Repeat("a", MaxIDLen+1): false,
	} {
		if got := IsID(s); got != want {
			t.Errorf("IsID(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{
		"T1566": true, "T1566.001": true, "t1566": false, "T156": false, "T1566.01": false, "T1566-001": false, "T15661001": false, "": false,
	} {
		if got := IsTechniqueID(s); got != want {
			t.Errorf("IsTechniqueID(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestSecurityManyUnknownKeys: a front matter of 100k unknown keys is read
// in linear time in each syntax, each key reported.
func TestSecurityManyUnknownKeys(t *testing.T) {
	const n = 100_000
	var yaml, toml, json strings.Builder
	json.WriteString("{\n\"title\": \"x\"")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&yaml, "key%d: v\n", i)
		fmt.Fprintf(&toml, "key%d = \"v\"\n", i)
		fmt.Fprintf(&json, ",\n\"key%d\": \"v\"", i)
	}
	json.WriteString("\n}\n")
	for name, src := range map[string]string{
		"yaml": "---\n" + yaml.String() + "---\n",
		"toml": "+++\n" + toml.String() + "+++\n",
		"json": json.String(),
	} {
		t.Run(name, func(t *testing.T) {
			var p *Postmortem
			bounded.Within(t, 10*time.Second, func() { p = NewParser(Options{}).Parse("x.md", []byte(src)) })
			unknown := 0
			for _, d := range p.Problems {
				if d.Rule == "unknown-field" {
					unknown++
				}
			}
			if unknown != n {
				t.Errorf("%d unknown-field problems, want %d (first: %v)", unknown, n, p.Problems[:min(3, len(p.Problems))])
			}
		})
	}
}

// manyNames is n distinct slugs, comma-separated.
func manyNames(n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("s%d", i)
	}
	return strings.Join(names, ", ")
}

// TestNamesInOneString: several values written as one string ("dns,
// tls", as other templates keep them) are refused with the list to
// write; one bad value gets its slug.
func TestNamesInOneString(t *testing.T) {
	for _, tc := range []struct{ front, want string }{
		{"root_causes: dns, expired-certificate\n", "write them as a list: root_causes: [dns, expired-certificate]"},
		{"attack_techniques: T1566,T1078\n", "attack_techniques: [T1566, T1078]"},
		{"systems: Edge Proxy\n", `write "edge-proxy"`},
		{"systems: edge, Bad Name\n", `write "edge-bad-name"`}, // not every piece valid: one value
	} {
		p := NewParser(Options{}).Parse("x.md", []byte("---\n"+tc.front+"---\n\n## Summary\n\nText.\n"))
		if len(p.Problems) != 1 || !strings.Contains(p.Problems[0].Message, tc.want) {
			t.Errorf("%q: %v, want one problem saying %q", tc.front, p.Problems, tc.want)
		}
	}
}
