package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// writeArchive writes the files of a txtar archive under dir.
func writeArchive(t *testing.T, archive, dir string) {
	t.Helper()
	ar, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestActionsCommand(t *testing.T) {
	dir := t.TempDir()
	writeArchive(t, "testdata/actions-kb.txtar", dir)
	t.Setenv("HINDSIGHT_NOW", "2025-06-15T12:00:00Z")

	code, out, errs := runCLI(t, "actions", "--root", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Corrective actions as of 2025-06-15 (UTC): 3 open (1 in progress), 2 overdue (2 P0/P1)",
		"OVERDUE (2)",
		"! P0   2025-03-01  106 d  open    team-sec   Train the help desk  d",
		"! P1   2025-06-01  14 d   open    team-edge  Alert on expiry      b           SEC-1",
		"OPEN (1)",
		"in 16 d",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "DONE") || strings.Contains(out, "Draft action") {
		t.Errorf("default lists open actions of published postmortems only:\n%s", out)
	}

	// --all adds done and won't do; --drafts adds the draft's action.
	_, out, _ = runCLI(t, "actions", "--root", dir, "--all", "--drafts")
	for _, want := range []string{"DONE (3)", "WON'T DO (1)", "Draft action", "done 2025-03-20"} {
		if !strings.Contains(out, want) {
			t.Errorf("--all --drafts output lacks %q:\n%s", want, out)
		}
	}

	// JSON, filtered by owner (case-insensitive) and overdue.
	code, out, _ = runCLI(t, "actions", "--root", dir, "--format", "json", "--overdue", "--owner", "TEAM-EDGE")
	var doc struct {
		AsOf    string `json:"as_of"`
		Actions []struct {
			Postmortem, Title, Owner, Priority, Status, Due, Ticket, URL, File string
			Line                                                               int
			Overdue                                                            bool
			DaysOverdue                                                        int `json:"days_overdue"`
		}
		Summary map[string]int
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 {
		t.Fatalf("exit %d, json %v:\n%s", code, err, out)
	}
	if len(doc.Actions) != 1 || doc.Actions[0].Postmortem != "b" || doc.Actions[0].DaysOverdue != 14 || !doc.Actions[0].Overdue ||
		doc.Actions[0].URL != "postmortems/b/" || doc.Actions[0].File != "content/postmortems/b.md" || doc.Actions[0].Line == 0 {
		t.Errorf("json actions %+v", doc.Actions)
	}
	if doc.AsOf != "2025-06-15" || doc.Summary["overdue"] != 1 || doc.Summary["overdue_urgent"] != 1 {
		t.Errorf("json summary %v %s", doc.Summary, doc.AsOf)
	}

	// --group owner: owners with overdue actions first.
	_, out, _ = runCLI(t, "actions", "--root", dir, "--group", "owner")
	if i, j := strings.Index(out, "team-edge (1, 1 overdue)"), strings.Index(out, "team-identity (1)"); i < 0 || j < 0 || i > j {
		t.Errorf("--group owner:\n%s", out)
	}

	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"--fail-on-overdue"}, 1},                        // P0 d and P1 b are overdue
		{[]string{"--fail-on-overdue", "--priority", "P2,P3"}, 0}, // only the listed actions count
		{[]string{"--fail-on-overdue", "--owner", "team-identity"}, 0},
		{[]string{"--format", "xml"}, 2},
		{[]string{"--priority", "P9"}, 2},
		{[]string{"--group", "team"}, 2},
		{[]string{"--status", "closed"}, 2},
	} {
		code, _, errs := runCLI(t, append([]string{"actions", "--root", dir}, c.args...)...)
		if code != c.code {
			t.Errorf("actions %v: exit %d, want %d (%s)", c.args, code, c.code, errs)
		}
	}
	// Later: the P2 action becomes overdue too, but only P0/P1 fail.
	t.Setenv("HINDSIGHT_NOW", "2025-07-02")
	if code, _, _ := runCLI(t, "actions", "--root", dir, "--fail-on-overdue", "--priority", "P2"); code != 0 {
		t.Errorf("P2 overdue must not fail the job: exit %d", code)
	}
	// Before everything was due: nothing overdue.
	t.Setenv("HINDSIGHT_NOW", "2025-01-01")
	if code, out, _ := runCLI(t, "actions", "--root", dir, "--fail-on-overdue"); code != 0 || strings.Contains(out, "OVERDUE") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestActionsEmptyKB(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content", "postmortems"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "actions", "--root", dir, "--fail-on-overdue")
	if code != 0 || !strings.Contains(out, "No actions match.") {
		t.Errorf("exit %d %q %q", code, out, errs)
	}
	code, out, _ = runCLI(t, "actions", "--root", dir, "-f", "json")
	if code != 0 || !strings.Contains(out, `"actions": []`) {
		t.Errorf("exit %d %s", code, out)
	}
}
