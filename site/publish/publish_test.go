package publish

import (
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// load writes files (slash path → text) into a new KB and loads it with
// HTML rendered, as a build does.
func load(t *testing.T, files map[string]string) *kb.KB {
	t.Helper()
	root := t.TempDir()
	for rel, text := range files {
		kbtest.WriteFile(t, root, rel, text)
	}
	_, k := kbtest.Load(t, root, kb.Options{RenderHTML: true})
	return k
}

func pm(id, visibility, status, started, extra, body string) string {
	return "---\nid: " + id + "\ntitle: T " + id + "\nseverity: SEV2\nstatus: " + status +
		"\nvisibility: " + visibility + "\nstarted: " + started + "\nroot_causes: [dns]\nsystems: [edge]\n" +
		extra + "---\n\n" + body
}

var policyKB = map[string]string{
	"hindsight.yaml": "title: T\ninternal_sections: [Internal Notes]\ninternal_fields: [authors, actions.owner, impact.cost_usd]\n",
	"content/postmortems/open.md": pm("open", "public", "published", "2025-03-01T10:00:00Z",
		"authors: [erin]\nrelated: [inside, wip, later]\nimpact: {cost_usd: 100, users_affected: 5}\n"+
			"actions:\n  - {title: Fix, owner: erin, priority: P1, due: 2025-04-01, status: open}\n",
		"## Summary\n\nSee [inside](inside.md) and [later](later.md).\n\n### Internal Notes\n\nzzsecret note.\n\n## Timeline\n\n- 2025-03-01 10:00 UTC — x\n"),
	"content/postmortems/inside.md":   pm("inside", "internal", "published", "2025-02-01T10:00:00Z", "", "## Summary\n\nInside.\n"),
	"content/postmortems/wip.md":      pm("wip", "public", "draft", "2025-01-01T10:00:00Z", "", "## Summary\n\nDraft.\n"),
	"content/postmortems/later.md":    pm("later", "public", "published", "2025-05-01T10:00:00Z", "", "## Summary\n\nLater.\n"),
	"content/postmortems/zdup.md":     pm("LATER", "public", "published", "2025-06-01T10:00:00Z", "", "## Summary\n\nDuplicate id.\n"),
	"content/postmortems/untitled.md": "---\nid: untitled\nstatus: published\nvisibility: public\n---\n\nText.\n",
	"content/about.md":                "---\ntitle: About\n---\n\nSee [inside](postmortems/inside.md).\n\n## Internal Notes\n\nzzsecret page note.\n\n## Contact\n\nUs.\n",
}

func ids(ps []*postmortem.Postmortem) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return strings.Join(out, ",")
}

// TestPostmortemsAudience: which postmortems each audience holds, in the
// graph's order, the first of two with one id (in path order), none without a title.
func TestPostmortemsAudience(t *testing.T) {
	k := load(t, policyKB)
	for _, tt := range []struct {
		audience string
		drafts   bool
		want     string
	}{
		{Internal, false, "later,open,inside"},
		{Internal, true, "later,open,inside,wip"},
		{Public, false, "later,open"},
		{Public, true, "later,open"}, // never drafts for the public
	} {
		got := Postmortems(k.Postmortems, k.Config, tt.audience, tt.drafts, nil)
		if ids(got) != tt.want {
			t.Errorf("%s drafts=%v: %s, want %s", tt.audience, tt.drafts, ids(got), tt.want)
		}
	}
}

// TestPostmortemsPublicCopies: a public build holds stripped copies
// without internal fields and sections, related ids and links of what it
// does not publish; the postmortems read stay as they were.
func TestPostmortemsPublicCopies(t *testing.T) {
	k := load(t, policyKB)
	var orig *postmortem.Postmortem
	for _, p := range k.Postmortems {
		if p.ID == "open" {
			orig = p
		}
	}
	origHTML, origRelated := orig.Body.HTML, strings.Join(orig.Related, ",")
	pub := Postmortems(k.Postmortems, k.Config, Public, false, nil)
	var c *postmortem.Postmortem
	for _, p := range pub {
		if p.ID == "open" {
			c = p
		}
	}
	if c == nil || c == orig {
		t.Fatalf("want a copy of open, got %v", c)
	}
	if len(c.Authors) != 0 || c.Impact.CostUSD != nil || c.Impact.UsersAffected == nil || c.Actions[0].Owner != "" || c.Actions[0].Title != "Fix" {
		t.Errorf("internal fields: authors %v, impact %+v, actions %+v", c.Authors, c.Impact, c.Actions)
	}
	if strings.Contains(c.Body.HTML, "zzsecret") || strings.Contains(c.Body.Text, "zzsecret") {
		t.Errorf("internal section kept: %s", c.Body.HTML)
	}
	if got := strings.Join(c.Related, ","); got != "later" {
		t.Errorf("related = %s, want later", got)
	}
	if !strings.Contains(c.Body.HTML, `<a href="">inside</a>`) || !strings.Contains(c.Body.HTML, `<a href="../../postmortems/later/">later</a>`) {
		t.Errorf("want the link to the internal postmortem unlinked, the other kept: %s", c.Body.HTML)
	}
	if orig.Body.HTML != origHTML || strings.Join(orig.Related, ",") != origRelated || len(orig.Authors) != 1 {
		t.Error("the postmortem read was modified")
	}
	// Copies made earlier (a lean build's) are used as they are.
	made := Strip(orig, k.Config)
	pub = Postmortems(k.Postmortems, k.Config, Public, false, map[string]*postmortem.Postmortem{orig.Path: made})
	found := false
	for _, p := range pub {
		found = found || p == made
	}
	if !found {
		t.Error("the copy made earlier was not used")
	}
}

// TestPages: public pages lose internal sections and links to
// unpublished postmortems; internal builds get the pages themselves.
func TestPages(t *testing.T) {
	k := load(t, policyKB)
	if len(k.Pages) != 1 {
		t.Fatalf("%d pages", len(k.Pages))
	}
	in := Pages(k.Pages, k.Postmortems, Postmortems(k.Postmortems, k.Config, Internal, false, nil), k.Config, Internal)
	if in[0] != k.Pages[0] {
		t.Error("internal build: want the page itself")
	}
	orig := k.Pages[0].Body.HTML
	pub := Pages(k.Pages, k.Postmortems, Postmortems(k.Postmortems, k.Config, Public, false, nil), k.Config, Public)
	h := pub[0].Body.HTML
	if pub[0] == k.Pages[0] || strings.Contains(h, "zzsecret") || !strings.Contains(h, `<a href="">inside</a>`) || !strings.Contains(h, "Contact") {
		t.Errorf("public page: %s", h)
	}
	if k.Pages[0].Body.HTML != orig {
		t.Error("the page read was modified")
	}
}

func TestFieldMatches(t *testing.T) {
	for _, tt := range []struct {
		k, f string
		want bool
	}{
		{"authors", "authors", true},
		{"authors[0]", "authors", true},
		{"actions[2].owner", "actions.owner", true},
		{"actions[2].owner", "actions", true},
		{"actions[2].title", "actions.owner", false},
		{"impact.cost_usd", "impact", true},
		{"impact_x", "impact", false},
		{"impactx.cost", "impact", false},
	} {
		if got := fieldMatches(tt.k, tt.f); got != tt.want {
			t.Errorf("fieldMatches(%q, %q) = %v, want %v", tt.k, tt.f, got, tt.want)
		}
	}
}
