package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/render"
	"github.com/hindsight-kb/hindsight/site/trend"
	"github.com/hindsight-kb/hindsight/themes"
)

// Compiled layouts.
//
// The postmortem page is 9 of every 10 pages of a site and html/template
// spends ~0.35 ms of CPU on each (reflection on every field, function and
// escaper call): a third of a 10k build. So the default theme's
// postmortem layout, and the list items it and the term pages repeat
// (pmrow, pmitem, refitem), also exist as Go code here: a hand-compiled
// twin of the templates that writes the same bytes with the same escaping
// (html/template's escapers, re-implemented below for the contexts these
// layouts use: text, quoted attributes, URLs).
//
// A twin is used only while every layout file it mirrors is the embedded
// default: a KB that overrides postmortem.html, baseof.html or one of the
// partials gets the templates, as before. TestCompiledSame renders every
// page of several KBs both ways and requires identical bytes, so a change
// to one of the mirrored files without the same change here fails the
// tests (docs/theme.md, "Compiled layouts").

// compiledLayouts says which twins a Site may use.
type compiledLayouts struct {
	postmortem bool // baseof + postmortem + badges, actions, reflist, pmlist, refitem, pmitem
	pmrow      bool
	pmitem     bool
	refitem    bool
	actionrow  bool
	// head, header and footer stay templates (cached per page root).
	// baseofStart is baseof.html up to its first action (the title's
	// text), read from the embedded file.
	baseofStart             string
	date, datetime, isotime func(time.Time) string
	sevclass                func(string) string
	// The Site's cached fragments (setupTheme).
	partialFn func(name string, data any, variants ...any) (template.HTML, error)
	refitemFn func(string, graph.Ref) (template.HTML, error)
	pmitemFn  func(string, *postmortem.Postmortem) (template.HTML, error)
}

// mirrored lists the layout files each twin copies.
var (
	postmortemFiles = []string{"layouts/baseof.html", "layouts/postmortem.html", "layouts/partials/badges.html",
		"layouts/partials/actions.html", "layouts/partials/reflist.html", "layouts/partials/pmlist.html",
		"layouts/partials/refitem.html", "layouts/partials/pmitem.html"}
	pmrowFiles     = []string{"layouts/partials/pmrow.html"}
	pmitemFiles    = []string{"layouts/partials/pmitem.html"}
	refitemFiles   = []string{"layouts/partials/refitem.html"}
	actionrowFiles = []string{"layouts/partials/actionrow.html"}
)

// newCompiled checks which mirrored files of fsys are the embedded
// defaults; funcs are the Site's template functions (for the configured
// time zone and severities).
func newCompiled(fsys fs.FS, funcs template.FuncMap) *compiledLayouts {
	def := themes.Default()
	same := func(files []string) bool {
		for _, f := range files {
			a, errA := fs.ReadFile(fsys, f)
			b, errB := fs.ReadFile(def, f)
			if errA != nil || errB != nil || !bytes.Equal(a, b) {
				return false
			}
		}
		return true
	}
	c := &compiledLayouts{postmortem: same(postmortemFiles), pmrow: same(pmrowFiles),
		pmitem: same(pmitemFiles), refitem: same(refitemFiles), actionrow: same(actionrowFiles)}
	base, err := fs.ReadFile(def, "layouts/baseof.html")
	i := bytes.Index(base, []byte("{{"))
	if err != nil || i < 0 || !bytes.HasSuffix(base[:i], []byte("<title>")) {
		c.postmortem = false // not the baseof.html this twin was written for
	} else {
		c.baseofStart = string(base[:i])
	}
	var ok bool
	c.date, ok = funcs["date"].(func(time.Time) string)
	c.datetime, _ = funcs["datetime"].(func(time.Time) string)
	c.isotime, _ = funcs["isotime"].(func(time.Time) string)
	c.sevclass, _ = funcs["sevclass"].(func(string) string)
	c.partialFn, _ = funcs["partialCached"].(func(string, any, ...any) (template.HTML, error))
	c.refitemFn, _ = funcs["refitem"].(func(string, graph.Ref) (template.HTML, error))
	c.pmitemFn, _ = funcs["pmitem"].(func(string, *postmortem.Postmortem) (template.HTML, error))
	if !ok || c.datetime == nil || c.isotime == nil || c.sevclass == nil || c.partialFn == nil || c.refitemFn == nil || c.pmitemFn == nil {
		return &compiledLayouts{}
	}
	return c
}

// htmlw appends HTML the way html/template writes it.
type htmlw struct{ b []byte }

func (w *htmlw) s(lit string) { w.b = append(w.b, lit...) }

// esc writes s escaped for HTML text, a quoted attribute value or RCDATA
// (html/template's htmlEscaper, attrEscaper and rcdataEscaper agree on
// plain strings).
func (w *htmlw) esc(s string) { w.b = appendEscaped(w.b, s) }

func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, r...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

// url writes a URL that starts an attribute value: html/template's
// urlFilter (only http, https and mailto schemes, else "#ZgotmplZ"),
// urlNormalizer and attrEscaper.
func (w *htmlw) url(s string) {
	if proto, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(proto, "/") {
		if !strings.EqualFold(proto, "http") && !strings.EqualFold(proto, "https") && !strings.EqualFold(proto, "mailto") {
			s = "#ZgotmplZ"
		}
	}
	w.b = appendEscaped(w.b, processURL(s, true))
}

// urlPart writes a value in a URL's query or fragment: html/template's
// urlEscaper and attrEscaper.
func (w *htmlw) urlPart(s string) { w.b = appendEscaped(w.b, processURL(s, false)) }

// processURL is html/template's processURLOnto: it percent-encodes what
// is not unreserved (and, when norm, not reserved or a valid escape).
func processURL(s string, norm bool) string {
	var b []byte
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		if b == nil {
			b = make([]byte, 0, len(s)+16)
		}
		b = append(b, s[written:i]...)
		b = fmt.Appendf(b, "%%%02x", c)
		written = i + 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[written:]...))
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// badge writes <span class="badge CLASS">TEXT</span>.
func (w *htmlw) badge(class, text string) {
	w.s("<span class=\"badge ")
	w.esc(class)
	w.s("\">")
	w.esc(text)
	w.s("</span>")
}

// a writes <a href="HREF">TEXT</a>, HREF a URL attribute.
func (w *htmlw) a(href, text string) {
	w.s("<a href=\"")
	w.url(href)
	w.s("\">")
	w.esc(text)
	w.s("</a>")
}

// priority writes an action's priority cell and opens the next cell
// (class nowrap), as the actions partials lay them out.
func (w *htmlw) priority(p string) {
	w.s("\n    <td><span class=\"prio prio-")
	w.esc(strings.ToLower(p))
	w.s("\">")
	w.esc(p)
	w.s("</span></td>\n    <td class=\"nowrap\">")
}

// pmLink writes a link to postmortem p's page, titled with its title.
func (w *htmlw) pmLink(root string, p *postmortem.Postmortem) {
	w.a(render.Link(root, p.URL()), p.Title)
}

// marks writes a postmortem's drill, near-miss and status badges, with
// the titles of badges.html or without them (pmrow.html).
func (w *htmlw) marks(p *postmortem.Postmortem, titled bool) {
	if p.Drill {
		if titled {
			w.s(" <span class=\"badge drill\" title=\"Exercise or simulation\">drill</span>")
		} else {
			w.s(" <span class=\"badge drill\">drill</span>")
		}
	}
	if p.NearMiss {
		if titled {
			w.s(" <span class=\"badge near-miss\" title=\"Caught before harm\">near miss</span>")
		} else {
			w.s(" <span class=\"badge near-miss\">near miss</span>")
		}
	}
	if p.Status != "published" {
		w.s(" ")
		w.badge(statusClass(p.Status), p.Status)
	}
}

// statusClass is the template function statusclass.
func statusClass(s string) string {
	return "status-" + strings.ToLower(strings.ReplaceAll(s, " ", "-"))
}

// pmrowHTML is the twin of partials/pmrow.html.
func (c *compiledLayouts) pmrowHTML(root string, p *postmortem.Postmortem, compact bool) template.HTML {
	w := &htmlw{b: make([]byte, 0, 768)}
	w.s("<tr>\n    <td class=\"nowrap\"><time datetime=\"")
	w.esc(c.isotime(p.Started))
	w.s("\">")
	w.esc(c.date(p.Started))
	w.s("</time></td>\n    <td>")
	w.pmLink(root, p)
	w.marks(p, false)
	w.s("</td>\n    <td>")
	w.badge(c.sevclass(p.Severity), p.Severity)
	w.s("</td>\n    <td>")
	w.esc(p.Category)
	w.s("</td>")
	if !compact {
		w.s("\n    <td class=\"hide-narrow\">")
		for i, cause := range p.RootCauses {
			if i > 0 {
				w.s(", ")
			}
			w.a(render.Link(root, "causes/"+cause+"/"), cause)
		}
		w.s("</td>")
	}
	w.s("\n  </tr>")
	return template.HTML(w.b)
}

// pmitemHTML is the twin of partials/pmitem.html.
func (c *compiledLayouts) pmitemHTML(root string, p *postmortem.Postmortem) template.HTML {
	w := &htmlw{b: make([]byte, 0, 256)}
	c.item(w, root, p)
	w.esc(p.Severity)
	w.s("</span></li>")
	return template.HTML(w.b)
}

// refitemHTML is the twin of partials/refitem.html.
func (c *compiledLayouts) refitemHTML(root string, r graph.Ref) template.HTML {
	w := &htmlw{b: make([]byte, 0, 256)}
	c.item(w, root, r.P)
	w.esc(strings.Join(r.Shared, ", "))
	w.s("</span></li>")
	return template.HTML(w.b)
}

// item writes the start shared by pmitem and refitem.
func (c *compiledLayouts) item(w *htmlw, root string, p *postmortem.Postmortem) {
	w.s("<li>")
	w.pmLink(root, p)
	w.s(" <span class=\"muted\"><time datetime=\"")
	w.esc(c.isotime(p.Started))
	w.s("\">")
	w.esc(c.date(p.Started))
	w.s("</time> · ")
}

// postmortemPage is the twin of baseof.html with postmortem.html, for
// d.Page of type *PostmortemView.
func (s *Site) postmortemPage(w *htmlw, d *render.Data) error {
	c := s.compiled
	v := d.Page.(*PostmortemView)
	p := v.P
	partial, refitem, pmitem := c.partialFn, c.refitemFn, c.pmitemFn
	head, err := partial("partials/head.html", d, d.Root)
	if err != nil {
		return err
	}
	header, err := partial("partials/header.html", d, d.Root, d.Section)
	if err != nil {
		return err
	}
	footer, err := partial("partials/footer.html", d, d.Root)
	if err != nil {
		return err
	}
	root := d.Root
	w.s(c.baseofStart)
	if d.Title != "" {
		w.esc(d.Title)
		w.s(" · ")
	}
	w.esc(d.Site.Title)
	w.s("</title>\n")
	w.s(string(head))
	w.s("\n")
	if v.Description != "" { // postmortem.html, "head"
		w.s("<meta name=\"description\" content=\"")
		w.esc(v.Description)
		w.s("\">")
	}
	w.s("\n</head>\n<body class=\"kind-")
	w.esc(d.Kind)
	w.s("\">\n<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n")
	w.s(string(header))
	w.s("\n<main id=\"main\" class=\"container\" tabindex=\"-1\">\n")

	// postmortem.html, "main".
	w.s("\n<article class=\"postmortem\" aria-labelledby=\"pm-title\">\n<header class=\"pm-header\">\n  <nav class=\"breadcrumb\" aria-label=\"Breadcrumb\"><a href=\"")
	w.url(render.Link(root, "postmortems/"))
	w.s("\">Postmortems</a> › <span class=\"muted\">")
	w.esc(p.ID)
	w.s("</span></nav>\n  <h1 id=\"pm-title\">")
	w.esc(p.Title)
	w.s("</h1>")
	if p.IsDraft() {
		w.s("\n  <p class=\"draft-banner\" role=\"note\"><strong>DRAFT</strong> — work in progress, not published: builds leave drafts out unless <code>--drafts</code>.</p>")
	}
	w.s("\n  <p class=\"pm-badges\">")
	w.badge(c.sevclass(p.Severity), p.Severity) // partials/badges.html
	w.marks(p, true)
	w.s("\n ")
	w.badge("category", p.Category)
	if r := v.Recurrence; r != nil {
		w.s("\n    <a class=\"badge recurrence")
		if r.ActionDidNotPrevent {
			w.s(" recurrence-fail")
		}
		w.s("\" href=\"")
		w.url(render.Link(root, r.Earlier.URL()))
		w.s("\" title=\"Shares ")
		w.esc(strings.Join(r.Causes, ", "))
		w.s(" on ")
		w.esc(strings.Join(r.Systems, ", "))
		w.s("\">recurrence of ")
		w.esc(r.Earlier.ID)
		w.s("</a>")
	}
	w.s("\n  </p>")
	if r := v.Recurrence; r != nil {
		w.s("\n  <div class=\"callout ")
		if r.ActionDidNotPrevent {
			w.s("callout-alert")
		} else {
			w.s("callout-info")
		}
		w.s("\" role=\"note\">\n    <p><strong>Recurrence.</strong> This incident shares the root cause ")
		w.esc(strings.Join(r.Causes, ", "))
		w.s(" and the system ")
		w.esc(strings.Join(r.Systems, ", "))
		w.s(" with\n    ")
		w.pmLink(root, r.Earlier)
		w.s(" (")
		w.esc(c.date(r.Earlier.Started))
		w.s(").")
		if r.ActionDidNotPrevent {
			w.s(" <strong>A corrective action of that incident was marked done before this one started: it did not prevent the recurrence.</strong>")
		}
		w.s("</p>\n  </div>")
	}
	w.s("\n</header>\n\n<div class=\"pm-layout\">\n<aside class=\"pm-meta\" aria-label=\"Incident facts\">\n  <h2 class=\"visually-hidden\">Incident facts</h2>\n  <dl class=\"meta\">\n    <div><dt>Severity</dt><dd>")
	w.badge(c.sevclass(p.Severity), p.Severity)
	w.s("</dd></div>\n    <div><dt>Category</dt><dd>")
	w.esc(p.Category)
	w.s("</dd></div>\n    <div><dt>Status</dt><dd>")
	w.esc(p.Status)
	w.s("</dd></div>")
	if p.Drill {
		w.s("<div><dt>Kind</dt><dd>Drill / simulation</dd></div>")
	}
	if p.NearMiss {
		w.s("<div><dt>Outcome</dt><dd>Near miss (caught before harm)</dd></div>")
	}
	c.timeRow(w, "\n    <div><dt>Started</dt>", p.Started)
	c.timeRow(w, "\n    <div><dt>Detected</dt>", p.Detected)
	if !p.Contained.IsZero() {
		c.timeRow(w, "<div><dt>Contained</dt>", p.Contained)
	}
	if !p.Resolved.IsZero() {
		c.timeRow(w, "<div><dt>Resolved</dt>", p.Resolved)
	}
	if p.Detection != "" {
		w.s("<div><dt>Detected by</dt><dd>")
		w.esc(p.Detection)
		w.s("</dd></div>")
	}
	w.s("\n  </dl>\n  <h3 class=\"h-small\">Durations</h3>\n  <dl class=\"durations\">")
	for _, du := range v.Durations {
		w.s("\n    <div><dt>")
		w.esc(du.Label)
		w.s("</dt><dd>")
		if du.OK {
			w.esc(render.Minutes(du.Minutes))
		} else {
			w.s("—")
		}
		w.s("</dd></div>")
	}
	w.s("\n  </dl>")
	if im := p.Impact; im.UsersAffected != nil || im.RecordsExposed != nil || im.DowntimeMinutes != nil || im.CostUSD != nil || im.Reputation != "" {
		w.s("\n  <h3 class=\"h-small\">Impact</h3>\n  <dl class=\"meta\">")
		if im.UsersAffected != nil {
			w.s("<div><dt>Users affected</dt><dd>")
			w.esc(render.Thousands(im.UsersAffected))
			w.s("</dd></div>")
		}
		if im.RecordsExposed != nil {
			w.s("<div><dt>Records exposed</dt><dd>")
			w.esc(render.Thousands(im.RecordsExposed))
			w.s("</dd></div>")
		}
		if im.DowntimeMinutes != nil {
			w.s("<div><dt>Downtime</dt><dd>")
			w.esc(render.Minutes(*im.DowntimeMinutes))
			w.s("</dd></div>")
		}
		if im.CostUSD != nil {
			w.s("<div><dt>Cost</dt><dd>$")
			w.esc(render.Thousands(im.CostUSD))
			w.s("</dd></div>")
		}
		if im.Reputation != "" {
			w.s("<div><dt>Reputation</dt><dd>")
			w.esc(im.Reputation)
			w.s("</dd></div>")
		}
		w.s("\n  </dl>")
	}
	for _, g := range v.Terms {
		w.s("\n  <h3 class=\"h-small\">")
		w.esc(g.Title)
		w.s("</h3>\n  <ul class=\"tags\">")
		for _, t := range g.Terms {
			w.s("<li>")
			w.a(render.Link(root, t.URL), t.Title)
			if t.External != "" {
				w.s(" <a class=\"ext\" href=\"")
				w.url(t.External)
				w.s("\" rel=\"external noopener\" title=\"MITRE ATT&amp;CK\">↗<span class=\"visually-hidden\"> on MITRE ATT&amp;CK</span></a>")
			}
			w.s("</li>")
		}
		w.s("\n  </ul>")
	}
	if len(p.Tags) > 0 {
		w.s("<h3 class=\"h-small\">Tags</h3><ul class=\"tags plain\">")
		for _, t := range p.Tags {
			w.s("<li>")
			w.esc(t)
			w.s("</li>")
		}
		w.s("</ul>")
	}
	if len(p.Authors) > 0 {
		w.s("<h3 class=\"h-small\">Authors</h3><p>")
		w.esc(strings.Join(p.Authors, ", "))
		w.s("</p>")
	}
	if len(v.TOC) > 0 {
		w.s("\n  <nav class=\"toc\" aria-label=\"Sections\">\n    <h3 class=\"h-small\">Sections</h3>\n    <ol>")
		for _, h := range v.TOC {
			w.s("<li><a href=\"#")
			w.urlPart(h.Anchor)
			w.s("\">")
			w.esc(h.Title)
			w.s("</a></li>")
		}
		w.s("</ol>\n  </nav>")
	}
	w.s("\n</aside>\n\n<div class=\"pm-body prose\">\n")
	w.s(p.Body.HTML) // v.Body, not made for this page
	w.s("\n</div>\n</div>")
	if len(v.Actions) > 0 {
		w.s("\n<section class=\"pm-actions\" id=\"actions\" aria-labelledby=\"actions-table-title\">\n  <h2 id=\"actions-table-title\">Corrective actions tracker</h2>\n  ")
		c.actionsTable(w, v.Actions, d.Site.Audience == "public")
		w.s("\n</section>")
	}
	w.s("\n\n<section class=\"pm-links\" aria-label=\"Related incidents\">")
	// partials/reflist.html and pmlist.html: a titled list of cached
	// items.
	list := func(title string, n int, item func(i int) (template.HTML, error)) error {
		if n == 0 {
			return nil
		}
		w.s("\n  <div><h2>")
		w.s(title)
		w.s("</h2><ul class=\"ref-list\">")
		for i := range n {
			h, err := item(i)
			if err != nil {
				return err
			}
			w.s("\n  ")
			w.s(string(h))
		}
		w.s("\n</ul>\n</div>")
		return nil
	}
	refs := func(l []graph.Ref) func(int) (template.HTML, error) {
		return func(i int) (template.HTML, error) { return refitem(root, l[i]) }
	}
	items := func(l []*postmortem.Postmortem) func(int) (template.HTML, error) {
		return func(i int) (template.HTML, error) { return pmitem(root, l[i]) }
	}
	if err := list("Same root cause", len(v.SameCause), refs(v.SameCause)); err != nil {
		return err
	}
	if err := list("Same system", len(v.SameSystem), refs(v.SameSystem)); err != nil {
		return err
	}
	if err := list("Related", len(v.Related), items(v.Related)); err != nil {
		return err
	}
	if err := list("Linked from", len(v.Backlinks), items(v.Backlinks)); err != nil {
		return err
	}
	if len(v.RecurredBy) > 0 {
		w.s("\n  <div><h2>Recurred later</h2>\n    <ul class=\"ref-list\">")
		for _, r := range v.RecurredBy {
			w.s("<li>")
			w.pmLink(root, r.Later)
			w.s(" <span class=\"muted\">")
			w.esc(c.date(r.Later.Started))
			w.s("</span>")
			if r.ActionDidNotPrevent {
				w.s(" <span class=\"badge recurrence-fail\">action did not prevent</span>")
			}
			w.s("</li>")
		}
		w.s("</ul>\n  </div>")
	}
	if err := list("Similar incidents", len(v.Similar), items(v.Similar)); err != nil {
		return err
	}
	w.s("\n</section>\n\n<footer class=\"pm-footer muted\">")
	if !v.Updated.IsZero() {
		w.s("Last updated <time datetime=\"")
		w.esc(c.isotime(v.Updated))
		w.s("\">")
		w.esc(c.date(v.Updated))
		w.s("</time>.")
	}
	if v.EditURL != "" {
		w.s(" <a href=\"")
		w.url(v.EditURL)
		w.s("\" rel=\"external noopener\">Edit this page</a>")
	}
	w.s("\n</footer>\n</article>\n")
	// End of "main"; back in baseof.html.
	w.s("\n</main>\n")
	w.s(string(footer))
	w.s("\n</body>\n</html>\n")
	return nil
}

// timeRow writes one "<dt>…</dt><dd><time>" row of the facts list.
func (c *compiledLayouts) timeRow(w *htmlw, start string, t time.Time) {
	w.s(start)
	w.s("<dd><time datetime=\"")
	w.esc(c.isotime(t))
	w.s("\">")
	w.esc(c.datetime(t))
	w.s("</time></dd></div>")
}

// actionsTable is the twin of partials/actions.html with ShowPM false.
func (c *compiledLayouts) actionsTable(w *htmlw, items []ActionRef, public bool) {
	w.s("<section class=\"table-wrap\" tabindex=\"0\" aria-label=\"Corrective actions table\">\n<table class=\"actions-table\">\n  <thead><tr><th scope=\"col\">Action</th>")
	if !public {
		w.s("<th scope=\"col\">Owner</th>")
	}
	w.s("<th scope=\"col\">Priority</th><th scope=\"col\">Due</th><th scope=\"col\">Status</th></tr></thead>\n  <tbody>")
	for _, it := range items {
		a := it.A
		w.s("\n  <tr class=\"")
		w.esc(statusClass(a.Status))
		if it.Overdue {
			w.s(" is-overdue")
		}
		w.s("\">\n    <td>")
		w.esc(a.Title)
		if a.Ticket != "" {
			w.s(" <span class=\"ticket\">")
			if strings.HasPrefix(a.Ticket, "http") {
				w.s("<a href=\"")
				w.url(a.Ticket)
				w.s("\">ticket</a>")
			} else {
				w.esc(a.Ticket)
			}
			w.s("</span>")
		}
		w.s("</td>")
		if !public {
			w.s("<td>")
			w.esc(a.Owner)
			w.s("</td>")
		}
		w.priority(a.Priority)
		w.esc(c.date(a.Due))
		w.s("</td>\n    <td class=\"nowrap\">")
		w.badge(statusClass(a.Status), a.Status)
		if it.Overdue {
			w.s(" <span class=\"badge overdue\">overdue ")
			w.s(strconv.Itoa(it.DaysLate))
			w.s(" d</span>")
		}
		if !a.DoneOn.IsZero() {
			w.s(" <span class=\"muted\">on ")
			w.esc(c.date(a.DoneOn))
			w.s("</span>")
		}
		w.s("</td>\n  </tr>")
	}
	w.s("\n  </tbody>\n</table>\n</section>\n")
}

// actionRowHTML is the twin of partials/actionrow.html.
func (c *compiledLayouts) actionRowHTML(w *htmlw, r *trend.ActionRow, public bool) {
	a, p := r.Action, r.Postmortem
	w.s("<tr class=\"")
	w.esc(statusClass(a.Status))
	if r.Overdue {
		w.s(" is-overdue")
	}
	w.s("\">\n    <td>")
	if a.Title != "" {
		w.esc(a.Title)
	} else {
		w.s(`<span class="muted">(untitled)</span>`)
	}
	if u := r.TicketURL(); u != "" {
		w.s(` <a class="ticket" href="`)
		w.url(u)
		w.s(`" rel="noopener">ticket</a>`)
	} else if a.Ticket != "" {
		w.s(` <span class="ticket">`)
		w.esc(a.Ticket)
		w.s(`</span>`)
	}
	w.s("</td>\n    <td>")
	w.a(r.Href, p.Title)
	if p.IsDraft() {
		w.s(` <span class="badge status-draft">draft</span>`)
	}
	if p.Drill {
		w.s(` <span class="badge drill">drill</span>`)
	}
	w.s(` <span class="muted nowrap">`)
	w.esc(c.date(p.Started))
	w.s("</span></td>")
	if !public {
		w.s("<td>")
		if a.Owner != "" {
			w.esc(a.Owner)
		} else {
			w.s(`<span class="muted">—</span>`)
		}
		w.s("</td>")
	}
	w.priority(a.Priority)
	w.badge(statusClass(a.Status), a.Status)
	if r.Overdue {
		w.s(` <span class="badge overdue">`)
		w.s(strconv.Itoa(r.DaysOverdue))
		w.s(` d overdue</span>`)
	}
	if !a.DoneOn.IsZero() {
		w.s(` <span class="muted">on `)
		w.esc(c.date(a.DoneOn))
		w.s(`</span>`)
	}
	// {{with .Action.Due}} is always true: a time.Time is a struct.
	w.s("</td>\n    <td class=\"nowrap\">")
	w.esc(c.date(a.Due))
	w.s("</td>\n    <td class=\"num nowrap\">")
	if a.IsOpen() || r.HasDaysToDone {
		w.s(strconv.Itoa(r.AgeDays))
		w.s(" d")
	} else {
		w.s(`<span class="muted">—</span>`)
	}
	w.s("</td>\n  </tr>")
}
