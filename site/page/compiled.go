package page

import (
	"bytes"
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

// htmlw appends HTML the way html/template writes it (render.HTMLWriter),
// with the snippets the twins repeat.
type htmlw struct{ render.HTMLWriter }

// badge writes <span class="badge CLASS">TEXT</span>.
func (w *htmlw) badge(class, text string) {
	w.S("<span class=\"badge ")
	w.Esc(class)
	w.S("\">")
	w.Esc(text)
	w.S("</span>")
}

// a writes <a href="HREF">TEXT</a>, HREF a URL attribute.
func (w *htmlw) a(href, text string) {
	w.S("<a href=\"")
	w.URL(href)
	w.S("\">")
	w.Esc(text)
	w.S("</a>")
}

// priority writes an action's priority cell and opens the next cell
// (class nowrap), as the actions partials lay them out.
func (w *htmlw) priority(p string) {
	w.S("\n    <td><span class=\"prio prio-")
	w.Esc(strings.ToLower(p))
	w.S("\">")
	w.Esc(p)
	w.S("</span></td>\n    <td class=\"nowrap\">")
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
			w.S(" <span class=\"badge drill\" title=\"Exercise or simulation\">drill</span>")
		} else {
			w.S(" <span class=\"badge drill\">drill</span>")
		}
	}
	if p.NearMiss {
		if titled {
			w.S(" <span class=\"badge near-miss\" title=\"Caught before harm\">near miss</span>")
		} else {
			w.S(" <span class=\"badge near-miss\">near miss</span>")
		}
	}
	if p.Status != "published" {
		w.S(" ")
		w.badge(statusClass(p.Status), p.Status)
	}
}

// statusClass is the template function statusclass.
func statusClass(s string) string {
	return "status-" + strings.ToLower(strings.ReplaceAll(s, " ", "-"))
}

// pmrowHTML is the twin of partials/pmrow.html.
func (c *compiledLayouts) pmrowHTML(root string, p *postmortem.Postmortem, compact bool) template.HTML {
	w := &htmlw{render.HTMLWriter{B: make([]byte, 0, 768)}}
	w.S("<tr>\n    <td class=\"nowrap\"><time datetime=\"")
	w.Esc(c.isotime(p.Started))
	w.S("\">")
	w.Esc(c.date(p.Started))
	w.S("</time></td>\n    <td>")
	w.pmLink(root, p)
	w.marks(p, false)
	w.S("</td>\n    <td>")
	w.badge(c.sevclass(p.Severity), p.Severity)
	w.S("</td>\n    <td>")
	w.Esc(p.Category)
	w.S("</td>")
	if !compact {
		w.S("\n    <td class=\"hide-narrow\">")
		for i, cause := range p.RootCauses {
			if i > 0 {
				w.S(", ")
			}
			w.a(render.Link(root, "causes/"+cause+"/"), cause)
		}
		w.S("</td>")
	}
	w.S("\n  </tr>")
	return template.HTML(w.B)
}

// pmitemHTML is the twin of partials/pmitem.html.
func (c *compiledLayouts) pmitemHTML(root string, p *postmortem.Postmortem) template.HTML {
	w := &htmlw{render.HTMLWriter{B: make([]byte, 0, 256)}}
	c.item(w, root, p)
	w.Esc(p.Severity)
	w.S("</span></li>")
	return template.HTML(w.B)
}

// refitemHTML is the twin of partials/refitem.html.
func (c *compiledLayouts) refitemHTML(root string, r graph.Ref) template.HTML {
	w := &htmlw{render.HTMLWriter{B: make([]byte, 0, 256)}}
	c.item(w, root, r.P)
	w.Esc(strings.Join(r.Shared, ", "))
	w.S("</span></li>")
	return template.HTML(w.B)
}

// item writes the start shared by pmitem and refitem.
func (c *compiledLayouts) item(w *htmlw, root string, p *postmortem.Postmortem) {
	w.S("<li>")
	w.pmLink(root, p)
	w.S(" <span class=\"muted\"><time datetime=\"")
	w.Esc(c.isotime(p.Started))
	w.S("\">")
	w.Esc(c.date(p.Started))
	w.S("</time> · ")
}

// postmortemPage is the twin of baseof.html with postmortem.html, for
// d.Page of type *PostmortemView.
func (s *Set) postmortemPage(w *htmlw, d *render.Data) error {
	c := s.compiled
	v := d.Page.(*PostmortemView)
	p := v.P
	partial := c.partialFn
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
	w.S(c.baseofStart)
	if d.Title != "" {
		w.Esc(d.Title)
		w.S(" · ")
	}
	w.Esc(d.Site.Title)
	w.S("</title>\n")
	w.S(string(head))
	w.S("\n")
	if v.Description != "" { // postmortem.html, "head"
		w.S("<meta name=\"description\" content=\"")
		w.Esc(v.Description)
		w.S("\">")
	}
	w.S("\n</head>\n<body class=\"kind-")
	w.Esc(d.Kind)
	w.S("\">\n<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n")
	w.S(string(header))
	w.S("\n<main id=\"main\" class=\"container\" tabindex=\"-1\">\n")

	c.pmHeader(w, root, v)
	c.pmFacts(w, root, v)
	w.S("\n</aside>\n\n<div class=\"pm-body prose\">\n")
	w.S(p.Body.HTML) // v.Body, not made for this page
	w.S("\n</div>\n</div>")
	if len(v.Actions) > 0 {
		w.S("\n<section class=\"pm-actions\" id=\"actions\" aria-labelledby=\"actions-table-title\">\n  <h2 id=\"actions-table-title\">Corrective actions tracker</h2>\n  ")
		c.actionsTable(w, v.Actions, d.Site.Audience == "public")
		w.S("\n</section>")
	}
	if err := c.pmLinks(w, root, v); err != nil {
		return err
	}
	w.S("\n</section>\n\n<footer class=\"pm-footer muted\">")
	if !v.Updated.IsZero() {
		w.S("Last updated <time datetime=\"")
		w.Esc(c.isotime(v.Updated))
		w.S("\">")
		w.Esc(c.date(v.Updated))
		w.S("</time>.")
	}
	if v.EditURL != "" {
		w.S(" <a href=\"")
		w.URL(v.EditURL)
		w.S("\" rel=\"external noopener\">Edit this page</a>")
	}
	w.S("\n</footer>\n</article>\n")
	// End of "main"; back in baseof.html.
	w.S("\n</main>\n")
	w.S(string(footer))
	w.S("\n</body>\n</html>\n")
	return nil
}

// pmHeader writes the postmortem page's header: breadcrumb, title, draft
// banner, badges, and the recurrence callout.
func (c *compiledLayouts) pmHeader(w *htmlw, root string, v *PostmortemView) {
	p := v.P
	// postmortem.html, "main".
	w.S("\n<article class=\"postmortem\" aria-labelledby=\"pm-title\">\n<header class=\"pm-header\">\n  <nav class=\"breadcrumb\" aria-label=\"Breadcrumb\"><a href=\"")
	w.URL(render.Link(root, "postmortems/"))
	w.S("\">Postmortems</a> › <span class=\"muted\">")
	w.Esc(p.ID)
	w.S("</span></nav>\n  <h1 id=\"pm-title\">")
	w.Esc(p.Title)
	w.S("</h1>")
	if p.IsDraft() {
		w.S("\n  <p class=\"draft-banner\" role=\"note\"><strong>DRAFT</strong> — work in progress, not published: builds leave drafts out unless <code>--drafts</code>.</p>")
	}
	w.S("\n  <p class=\"pm-badges\">")
	w.badge(c.sevclass(p.Severity), p.Severity) // partials/badges.html
	w.marks(p, true)
	w.S("\n ")
	w.badge("category", p.Category)
	if r := v.Recurrence; r != nil {
		w.S("\n    <a class=\"badge recurrence")
		if r.ActionDidNotPrevent {
			w.S(" recurrence-fail")
		}
		w.S("\" href=\"")
		w.URL(render.Link(root, r.Earlier.URL()))
		w.S("\" title=\"Shares ")
		w.Esc(strings.Join(r.Causes, ", "))
		w.S(" on ")
		w.Esc(strings.Join(r.Systems, ", "))
		w.S("\">recurrence of ")
		w.Esc(r.Earlier.ID)
		w.S("</a>")
	}
	w.S("\n  </p>")
	if r := v.Recurrence; r != nil {
		w.S("\n  <div class=\"callout ")
		if r.ActionDidNotPrevent {
			w.S("callout-alert")
		} else {
			w.S("callout-info")
		}
		w.S("\" role=\"note\">\n    <p><strong>Recurrence.</strong> This incident shares the root cause ")
		w.Esc(strings.Join(r.Causes, ", "))
		w.S(" and the system ")
		w.Esc(strings.Join(r.Systems, ", "))
		w.S(" with\n    ")
		w.pmLink(root, r.Earlier)
		w.S(" (")
		w.Esc(c.date(r.Earlier.Started))
		w.S(").")
		if r.ActionDidNotPrevent {
			w.S(" <strong>A corrective action of that incident was marked done before this one started: it did not prevent the recurrence.</strong>")
		}
		w.S("</p>\n  </div>")
	}
}

// pmFacts writes the aside of incident facts: meta, durations, impact,
// terms, tags, authors and the sections' table of contents.
func (c *compiledLayouts) pmFacts(w *htmlw, root string, v *PostmortemView) {
	p := v.P
	w.S("\n</header>\n\n<div class=\"pm-layout\">\n<aside class=\"pm-meta\" aria-label=\"Incident facts\">\n  <h2 class=\"visually-hidden\">Incident facts</h2>\n  <dl class=\"meta\">\n    <div><dt>Severity</dt><dd>")
	w.badge(c.sevclass(p.Severity), p.Severity)
	w.S("</dd></div>\n    <div><dt>Category</dt><dd>")
	w.Esc(p.Category)
	w.S("</dd></div>\n    <div><dt>Status</dt><dd>")
	w.Esc(p.Status)
	w.S("</dd></div>")
	if p.Drill {
		w.S("<div><dt>Kind</dt><dd>Drill / simulation</dd></div>")
	}
	if p.NearMiss {
		w.S("<div><dt>Outcome</dt><dd>Near miss (caught before harm)</dd></div>")
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
		w.S("<div><dt>Detected by</dt><dd>")
		w.Esc(p.Detection)
		w.S("</dd></div>")
	}
	w.S("\n  </dl>\n  <h3 class=\"h-small\">Durations</h3>\n  <dl class=\"durations\">")
	for _, du := range v.Durations {
		w.S("\n    <div><dt>")
		w.Esc(du.Label)
		w.S("</dt><dd>")
		if du.OK {
			w.Esc(render.Minutes(du.Minutes))
		} else {
			w.S("—")
		}
		w.S("</dd></div>")
	}
	w.S("\n  </dl>")
	if im := p.Impact; im.UsersAffected != nil || im.RecordsExposed != nil || im.DowntimeMinutes != nil || im.CostUSD != nil || im.Reputation != "" {
		w.S("\n  <h3 class=\"h-small\">Impact</h3>\n  <dl class=\"meta\">")
		if im.UsersAffected != nil {
			w.S("<div><dt>Users affected</dt><dd>")
			w.Esc(render.Thousands(im.UsersAffected))
			w.S("</dd></div>")
		}
		if im.RecordsExposed != nil {
			w.S("<div><dt>Records exposed</dt><dd>")
			w.Esc(render.Thousands(im.RecordsExposed))
			w.S("</dd></div>")
		}
		if im.DowntimeMinutes != nil {
			w.S("<div><dt>Downtime</dt><dd>")
			w.Esc(render.Minutes(*im.DowntimeMinutes))
			w.S("</dd></div>")
		}
		if im.CostUSD != nil {
			w.S("<div><dt>Cost</dt><dd>$")
			w.Esc(render.Thousands(im.CostUSD))
			w.S("</dd></div>")
		}
		if im.Reputation != "" {
			w.S("<div><dt>Reputation</dt><dd>")
			w.Esc(im.Reputation)
			w.S("</dd></div>")
		}
		w.S("\n  </dl>")
	}
	for _, g := range v.Terms {
		w.S("\n  <h3 class=\"h-small\">")
		w.Esc(g.Title)
		w.S("</h3>\n  <ul class=\"tags\">")
		for _, t := range g.Terms {
			w.S("<li>")
			w.a(render.Link(root, t.URL), t.Title)
			if t.External != "" {
				w.S(" <a class=\"ext\" href=\"")
				w.URL(t.External)
				w.S("\" rel=\"external noopener\" title=\"MITRE ATT&amp;CK\">↗<span class=\"visually-hidden\"> on MITRE ATT&amp;CK</span></a>")
			}
			w.S("</li>")
		}
		w.S("\n  </ul>")
	}
	if len(p.Tags) > 0 {
		w.S("<h3 class=\"h-small\">Tags</h3><ul class=\"tags plain\">")
		for _, t := range p.Tags {
			w.S("<li>")
			w.Esc(t)
			w.S("</li>")
		}
		w.S("</ul>")
	}
	if len(p.Authors) > 0 {
		w.S("<h3 class=\"h-small\">Authors</h3><p>")
		w.Esc(strings.Join(p.Authors, ", "))
		w.S("</p>")
	}
	if len(v.TOC) > 0 {
		w.S("\n  <nav class=\"toc\" aria-label=\"Sections\">\n    <h3 class=\"h-small\">Sections</h3>\n    <ol>")
		for _, h := range v.TOC {
			w.S("<li><a href=\"#")
			w.URLPart(h.Anchor)
			w.S("\">")
			w.Esc(h.Title)
			w.S("</a></li>")
		}
		w.S("</ol>\n  </nav>")
	}
}

// pmLinks writes the related incidents: same cause, same system,
// related, linked from, recurred later, similar.
func (c *compiledLayouts) pmLinks(w *htmlw, root string, v *PostmortemView) error {
	refitem, pmitem := c.refitemFn, c.pmitemFn
	w.S("\n\n<section class=\"pm-links\" aria-label=\"Related incidents\">")
	// partials/reflist.html and pmlist.html: a titled list of cached
	// items.
	list := func(title string, n int, item func(i int) (template.HTML, error)) error {
		if n == 0 {
			return nil
		}
		w.S("\n  <div><h2>")
		w.S(title)
		w.S("</h2><ul class=\"ref-list\">")
		for i := range n {
			h, err := item(i)
			if err != nil {
				return err
			}
			w.S("\n  ")
			w.S(string(h))
		}
		w.S("\n</ul>\n</div>")
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
		w.S("\n  <div><h2>Recurred later</h2>\n    <ul class=\"ref-list\">")
		for _, r := range v.RecurredBy {
			w.S("<li>")
			w.pmLink(root, r.Later)
			w.S(" <span class=\"muted\">")
			w.Esc(c.date(r.Later.Started))
			w.S("</span>")
			if r.ActionDidNotPrevent {
				w.S(" <span class=\"badge recurrence-fail\">action did not prevent</span>")
			}
			w.S("</li>")
		}
		w.S("</ul>\n  </div>")
	}
	if err := list("Similar incidents", len(v.Similar), items(v.Similar)); err != nil {
		return err
	}
	return nil
}

// timeRow writes one "<dt>…</dt><dd><time>" row of the facts list.
func (c *compiledLayouts) timeRow(w *htmlw, start string, t time.Time) {
	w.S(start)
	w.S("<dd><time datetime=\"")
	w.Esc(c.isotime(t))
	w.S("\">")
	w.Esc(c.datetime(t))
	w.S("</time></dd></div>")
}

// actionsTable is the twin of partials/actions.html with ShowPM false.
func (c *compiledLayouts) actionsTable(w *htmlw, items []ActionRef, public bool) {
	w.S("<section class=\"table-wrap\" tabindex=\"0\" aria-label=\"Corrective actions table\">\n<table class=\"actions-table\">\n  <thead><tr><th scope=\"col\">Action</th>")
	if !public {
		w.S("<th scope=\"col\">Owner</th>")
	}
	w.S("<th scope=\"col\">Priority</th><th scope=\"col\">Due</th><th scope=\"col\">Status</th></tr></thead>\n  <tbody>")
	for _, it := range items {
		a := it.A
		w.S("\n  <tr class=\"")
		w.Esc(statusClass(a.Status))
		if it.Overdue {
			w.S(" is-overdue")
		}
		w.S("\">\n    <td>")
		w.Esc(a.Title)
		if a.Ticket != "" {
			w.S(" <span class=\"ticket\">")
			if strings.HasPrefix(a.Ticket, "http") {
				w.S("<a href=\"")
				w.URL(a.Ticket)
				w.S("\">ticket</a>")
			} else {
				w.Esc(a.Ticket)
			}
			w.S("</span>")
		}
		w.S("</td>")
		if !public {
			w.S("<td>")
			w.Esc(a.Owner)
			w.S("</td>")
		}
		w.priority(a.Priority)
		w.Esc(c.date(a.Due))
		w.S("</td>\n    <td class=\"nowrap\">")
		w.badge(statusClass(a.Status), a.Status)
		if it.Overdue {
			w.S(" <span class=\"badge overdue\">overdue ")
			w.S(strconv.Itoa(it.DaysLate))
			w.S(" d</span>")
		}
		if !a.DoneOn.IsZero() {
			w.S(" <span class=\"muted\">on ")
			w.Esc(c.date(a.DoneOn))
			w.S("</span>")
		}
		w.S("</td>\n  </tr>")
	}
	w.S("\n  </tbody>\n</table>\n</section>\n")
}

// actionRowHTML is the twin of partials/actionrow.html.
func (c *compiledLayouts) actionRowHTML(w *htmlw, r *trend.ActionRow, public bool) {
	a, p := r.Action, r.Postmortem
	w.S("<tr class=\"")
	w.Esc(statusClass(a.Status))
	if r.Overdue {
		w.S(" is-overdue")
	}
	w.S("\">\n    <td>")
	if a.Title != "" {
		w.Esc(a.Title)
	} else {
		w.S(`<span class="muted">(untitled)</span>`)
	}
	if u := r.TicketURL(); u != "" {
		w.S(` <a class="ticket" href="`)
		w.URL(u)
		w.S(`" rel="noopener">ticket</a>`)
	} else if a.Ticket != "" {
		w.S(` <span class="ticket">`)
		w.Esc(a.Ticket)
		w.S(`</span>`)
	}
	w.S("</td>\n    <td>")
	w.a(r.Href, p.Title)
	if p.IsDraft() {
		w.S(` <span class="badge status-draft">draft</span>`)
	}
	if p.Drill {
		w.S(` <span class="badge drill">drill</span>`)
	}
	w.S(` <span class="muted nowrap">`)
	w.Esc(c.date(p.Started))
	w.S("</span></td>")
	if !public {
		w.S("<td>")
		if a.Owner != "" {
			w.Esc(a.Owner)
		} else {
			w.S(`<span class="muted">—</span>`)
		}
		w.S("</td>")
	}
	w.priority(a.Priority)
	w.badge(statusClass(a.Status), a.Status)
	if r.Overdue {
		w.S(` <span class="badge overdue">`)
		w.S(strconv.Itoa(r.DaysOverdue))
		w.S(` d overdue</span>`)
	}
	if !a.DoneOn.IsZero() {
		w.S(` <span class="muted">on `)
		w.Esc(c.date(a.DoneOn))
		w.S(`</span>`)
	}
	// {{with .Action.Due}} is always true: a time.Time is a struct.
	w.S("</td>\n    <td class=\"nowrap\">")
	w.Esc(c.date(a.Due))
	w.S("</td>\n    <td class=\"num nowrap\">")
	if a.IsOpen() || r.HasDaysToDone {
		w.S(strconv.Itoa(r.AgeDays))
		w.S(" d")
	} else {
		w.S(`<span class="muted">—</span>`)
	}
	w.S("</td>\n  </tr>")
}
