package trend

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/render"
	"github.com/hindsight-kb/hindsight/themes"
)

// termLayout stands in for the site's term.html: it renders the trend
// partial the way docs/theme.md tells the site to.
const termLayout = `{{define "main"}}<h1>{{.Title}}</h1>{{template "partials/trend-term.html" (dict "T" .Page "Public" (eq .Site.Audience "public"))}}{{end}}`

// baseLayout is a minimal stand-in for the theme's baseof.html (the
// real one, with the site's own template functions, is exercised by the
// browser test through package site).
const baseLayout = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:">
<title>{{.Title}}</title><link rel="stylesheet" href="{{asset .Root "style.css"}}"><link rel="stylesheet" href="{{asset .Root "trends.css"}}">{{block "head" .}}{{end}}</head>
<body class="kind-{{.Kind}}"><main id="main">{{block "main" .}}{{end}}</main></body></html>`

// theme returns the trends layouts and partials of the default theme
// over a minimal base layout, parsed with the site's template functions.
func theme(t testing.TB, cfg *config.Config, now time.Time) *render.Theme {
	t.Helper()
	def := themes.Default()
	m := fstest.MapFS{}
	err := fs.WalkDir(def, "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch {
		case strings.HasPrefix(p, "layouts/partials/trend-"), p == "layouts/partials/actionrow.html", p == "layouts/trends.html", p == "layouts/actions.html":
			b, err := fs.ReadFile(def, p)
			if err != nil {
				return err
			}
			m[p] = &fstest.MapFile{Data: b}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	m["layouts/termtrend.html"] = &fstest.MapFile{Data: []byte(termLayout)}
	m["layouts/baseof.html"] = &fstest.MapFile{Data: []byte(baseLayout)}
	funcs := render.Funcs(render.FuncOptions{Location: cfg.Location, Severities: cfg.Severities, Now: now})
	// actionrows as the site defines it (site.setupTheme), with the
	// partial and without the site's Go twin of it.
	var th *render.Theme
	funcs["actionrows"] = func(list any, public bool) (template.HTML, error) {
		rows, ok := RowsOf(list)
		if !ok {
			return "", fmt.Errorf("actionrows: %T", list)
		}
		var b strings.Builder
		for i, r := range rows {
			if i > 0 {
				b.WriteString("\n  ")
			}
			h, err := th.Partial("partials/actionrow.html", map[string]any{"R": r, "Public": public})
			if err != nil {
				return "", err
			}
			b.WriteString(string(h))
		}
		return template.HTML(b.String()), nil
	}
	th, err = render.Load(m, funcs)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// renderPages renders /trends/, /trends/12m/, /actions/ and one term page
// of tr into a map of output path → HTML.
func renderPages(t testing.TB, tr *Trends, g *graph.Graph, cfg *config.Config) map[string][]byte {
	t.Helper()
	th := theme(t, cfg, tr.Now)
	info := &render.SiteInfo{Title: cfg.Title, Config: cfg, Audience: "internal",
		Nav: []render.NavItem{{Title: "Postmortems", URL: "postmortems/"}, {Title: "Trends", URL: "trends/"}, {Title: "Actions", URL: "actions/"}}}
	out := map[string][]byte{}
	page := func(path, kind, title string, v any) {
		url := strings.TrimSuffix(path, "index.html")
		d := &render.Data{Site: info, Root: rootOf(url), Path: path, URL: url, Kind: kind, Title: title, Page: v, Now: tr.Now}
		b, err := th.Bytes(kind, d)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out[path] = b
	}
	for _, p := range tr.Periods {
		page(p.URL+"index.html", "trends", "Trends", tr.View(p.Key))
	}
	page("actions/index.html", "actions", "Corrective actions", tr.Actions())
	if tx := g.Taxonomy(graph.Causes); tx != nil && len(tx.Terms) > 0 {
		term := tx.Terms[0]
		page(term.URL()+"index.html", "termtrend", term.Title, tr.Term(term))
	}
	return out
}

func TestRenderTemplates(t *testing.T) {
	ps, tr, cfg := fixture(t)
	g := graph.Build(ps, cfg)
	pages := renderPages(t, tr, g, cfg)
	all := string(pages["trends/index.html"])
	for _, want := range []string{
		`<a href="../trends/index.html" aria-current="page" class="current">All time</a>`,
		`<a href="../trends/12m/index.html">Last 12 months</a>`,
		`id="chart-severity"`, `id="chart-resolve"`, `id="chart-actions"`,
		`role="img" aria-labelledby="chart-severity-title chart-severity-desc"`,
		`<a href="../causes/dns/index.html">Dns</a>`,
		`corrective action did not prevent recurrence`,
		`<a href="../postmortems/b/index.html">Login certificate expired again</a>`,
		`href="data.json"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("trends/index.html lacks %s", want)
		}
	}
	if !strings.Contains(string(pages["trends/12m/index.html"]), `<a href="../../trends/index.html">All time</a>`) {
		t.Error("12m page links")
	}
	act := string(pages["actions/index.html"])
	for _, want := range []string{
		`id="overdue"`, `106 d overdue`, `<a href="../postmortems/d/index.html#actions">Phishing drill</a>`,
		`<span class="badge drill">drill</span>`, `<th scope="row">team-edge</th>`, `<a class="ticket" href="https://tickets.example.com/SEC-2"`,
		`<span class="badge status-draft">draft</span>`, // the fixture's draft was passed to Compute
	} {
		if !strings.Contains(act, want) {
			t.Errorf("actions/index.html lacks %s", want)
		}
	}
	term := string(pages["causes/dns/index.html"])
	// dns: c, e, g and the draft f, whose open action is overdue.
	if !strings.Contains(term, `id="chart-term-causes-dns"`) || !strings.Contains(term, "1 overdue") || !strings.Contains(term, `href="../../postmortems/f/index.html#actions"`) {
		t.Errorf("term page:\n%s", term)
	}
	styleAttr := regexp.MustCompile(`\sstyle=`)
	for p, b := range pages {
		if styleAttr.Match(b) {
			t.Errorf("%s has a style attribute (CSP forbids it)", p)
		}
		if bytes.Contains(b, []byte("<script>")) {
			t.Errorf("%s has an inline script", p)
		}
	}
}

func TestRenderPublicAndEmpty(t *testing.T) {
	cfg := config.Default()
	tr := Compute(nil, nil, cfg, clock)
	g := graph.Build(nil, cfg)
	pages := renderPages(t, tr, g, cfg)
	if !strings.Contains(string(pages["trends/index.html"]), "No data") || !strings.Contains(string(pages["trends/index.html"]), "No recurrences") {
		t.Error("empty KB page")
	}
}

func TestRowsOf(t *testing.T) {
	vals := []ActionRow{{Group: GroupOpen}, {Group: GroupDone}}
	ptrs := []*ActionRow{&vals[1], &vals[0]}
	for _, tt := range []struct {
		name string
		list any
		want []*ActionRow
		ok   bool
	}{
		{"values", vals, []*ActionRow{&vals[0], &vals[1]}, true},
		{"pointers", ptrs, ptrs, true},
		{"empty", []ActionRow{}, []*ActionRow{}, true},
		{"other", []string{"x"}, nil, false},
	} {
		got, ok := RowsOf(tt.list)
		if ok != tt.ok || len(got) != len(tt.want) {
			t.Errorf("%s: RowsOf = %v, %v", tt.name, got, ok)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: row %d is not the list's own", tt.name, i)
			}
		}
	}
}
