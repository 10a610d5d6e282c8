package archetype

import (
	"strings"
	"testing"
)

// TestRender: the default template fills in the data, gives each section
// its guidance, and refuses a field the data does not have.
func TestRender(t *testing.T) {
	data := Data{Title: `Disk "full"`, Severity: "SEV3", Category: "outage", Priority: "P1", Date: "2025-01-02",
		Started: "2025-01-02 10:00", Detected: "2025-01-02 10:05", Due: "2025-02-01", Timezone: "UTC",
		Severities: []string{"SEV1", "SEV3"}, Categories: []string{"outage"}, Priorities: []string{"P0", "P1"},
		Required: []Section{NewSection("Summary")}, Recommended: []Section{NewSection("Our own section")}}
	out, err := Render("t", Default, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`title: "Disk \"full\""`, "severity: SEV3  # SEV1, SEV3; SEV1 is the worst",
		"## Summary\n\nTBD: what happened", "## Our own section\n\nTBD: write this section."} {
		if !strings.Contains(string(out), want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if _, err := Render("t", "{{.Nope}}", data); err == nil || !strings.Contains(err.Error(), "template t") {
		t.Errorf("unknown field: err %v", err)
	}
}
