package check

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// sameHeading requires normalizeHeading to agree with
// config.NormalizeHeading wherever it answers.
func sameHeading(t *testing.T, h string) {
	t.Helper()
	got, ok := normalizeHeading(nil, h)
	if !ok {
		for i := 0; i < len(h); i++ {
			if h[i] < 0x80 {
				continue
			}
			return // not ASCII: config.NormalizeHeading is used
		}
		t.Fatalf("normalizeHeading(%q) gave up on an ASCII heading", h)
	}
	if want := config.NormalizeHeading(h); string(got) != want {
		t.Fatalf("normalizeHeading(%q) = %q, want %q", h, got, want)
	}
}

func TestNormalizeHeading(t *testing.T) {
	for _, h := range []string{"", " ", "Summary", "  Root   Cause\tAnalysis: ", "TL;DR", "Impact.", "A :. .",
		"Corrective Actions ::", "x\v\f\ry", ":", "...", "Ünïcode", "Time\u00a0line", "RCA\u0085", "Timeline (all times PT)", "Impact (customer-facing).", "(draft)", "a ( b ) (c)", "x ()"} {
		sameHeading(t, h)
	}
	alphabet := []byte("aZ :.\t\n\v\f\r;-_é()")
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20000; i++ {
		sameHeading(t, string(randomBytes(r, alphabet, 20)))
	}
}

func FuzzNormalizeHeading(f *testing.F) {
	f.Add("Root Cause Analysis:")
	f.Fuzz(sameHeading)
}

// TestMissingFieldHints pins the whole messages of missing-field, whose
// hints are made only for a report.
func TestMissingFieldHints(t *testing.T) {
	cfg := config.Default()
	c := &Context{Config: cfg}
	ps := postmortem.NewParser(postmortem.Options{})
	p := ps.Parse("content/postmortems/x.md", []byte("---\ntitle: \"\"\nstatus: \"\"\ncategory: outage\nstarted: 2025-03-14T09:00:00Z\ndetected: 2025-03-14T09:00:00Z\nresolved: 2025-03-14T09:00:00Z\nroot_causes: [a]\nsystems: [b]\nauthors: [c]\nactions: [{title: t, owner: o, priority: P1, due: 2025-04-01}]\n---\n"))
	var got []string
	for _, d := range (missingField{}).Check(c, p) {
		got = append(got, fmt.Sprintf("%d:%d %s", d.Pos.Line, d.Pos.Col, d.Message))
	}
	want := []string{
		`2:8 title is empty; set title: "What broke, in one line"`,
		`1:1 required key "severity" is missing from the front matter; add severity: one of ` + strings.Join(cfg.Severities, ", "),
		`3:9 status is empty; set status: one of ` + strings.Join(statuses, ", "),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// samePlaceholder requires maybePlaceholder to say true wherever
// placeholderRE matches the line or the line without its final ".!".
func samePlaceholder(t *testing.T, l string) {
	t.Helper()
	if l == "" {
		return
	}
	if (placeholderRE.MatchString(l) || placeholderRE.MatchString(strings.TrimRight(l, ".!"))) && !maybePlaceholder(l) {
		t.Fatalf("maybePlaceholder(%q) = false, but it is a placeholder", l)
	}
}

func TestMaybePlaceholder(t *testing.T) {
	for _, l := range []string{"TBD", "tbd: who", "ToDo", "TBA", "FIXME - x", "N/A", "na", "NA.", "None yet", "-", "---", "—", "–", "…",
		"...", "????", "TBD!", "n/a!!", "The", "Timeline", "x", "tb", "t", "n", "f", "\u212ab", "ţbd"} {
		samePlaceholder(t, l)
	}
	alphabet := []string{"t", "T", "b", "d", "o", "a", "f", "i", "x", "m", "e", "n", "/", "y", " ", ":", "-", "—", "–", "…", ".", "?", "!", "z", "K", "\u212a", "ſ", "İ", "ı"}
	r := rand.New(rand.NewPCG(13, 14))
	for i := 0; i < 100000; i++ {
		var b strings.Builder
		for k := r.IntN(9); k >= 0; k-- {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		samePlaceholder(t, b.String())
	}
}

func FuzzMaybePlaceholder(f *testing.F) {
	f.Add("TBD: who was told")
	f.Fuzz(samePlaceholder)
}
