package site

import (
	"encoding/json"
	"sort"

	"github.com/hindsight-kb/hindsight/site/render"
)

// HOOK(trends): this file renders trends/index.html, trends/data.json and
// actions/index.html from placeholders until site/trend and the trends
// engineer's layouts/trends.html and layouts/actions.html are wired in.
// Replace renderTrends and trendsJSON then; nothing else in the site
// package depends on them.

// ActionsView is the placeholder actions page's view model.
type ActionsView struct {
	Open, Overdue, Done, WontDo int
	Actions                     []ActionRef
}

const placeholderTrends = `{{define "main"}}<h1>Trends</h1>
<p class="note">The trend charts are not built yet. Headline numbers:</p>
<dl class="stats">
<div><dt>Incidents</dt><dd>{{.Page.Incidents}}</dd></div>
<div><dt>Near misses</dt><dd>{{.Page.NearMisses}}</dd></div>
<div><dt>Drills</dt><dd>{{.Page.Drills}}</dd></div>
<div><dt>Recurrences</dt><dd>{{.Page.Recurrences}}</dd></div>
<div><dt>Open actions</dt><dd>{{.Page.OpenActions}}</dd></div>
<div><dt>Overdue actions</dt><dd>{{.Page.Overdue}}</dd></div>
</dl>{{end}}`

const placeholderActions = `{{define "main"}}<h1>Corrective actions</h1>
<p>{{.Page.Open}} open ({{.Page.Overdue}} overdue), {{.Page.Done}} done, {{.Page.WontDo}} won't do.</p>
<div class="table-wrap"><table class="actions">
<thead><tr><th scope="col">Action</th><th scope="col">Postmortem</th>{{if ne .Site.Audience "public"}}<th scope="col">Owner</th>{{end}}<th scope="col">Priority</th><th scope="col">Due</th><th scope="col">Status</th></tr></thead>
<tbody>{{range .Page.Actions}}<tr class="{{statusclass .A.Status}}{{if .Overdue}} overdue{{end}}">
<td>{{.A.Title}}</td><td><a href="{{link $.Root .P.URL}}">{{.P.Title}}</a></td>{{if ne $.Site.Audience "public"}}<td>{{.A.Owner}}</td>{{end}}<td>{{.A.Priority}}</td><td>{{date .A.Due}}</td>
<td><span class="badge {{statusclass .A.Status}}">{{.A.Status}}</span>{{if .Overdue}} <span class="badge overdue">overdue {{.DaysLate}} d</span>{{end}}</td></tr>
{{end}}</tbody></table></div>{{end}}`

// placeholders are the templates used for the trends and actions pages
// until the trends package is wired in.
func placeholders() map[string]string {
	return map[string]string{"trends": placeholderTrends, "actions": placeholderActions}
}

func (s *Site) renderTrends(d *render.Data, kind string) ([]byte, string, error) {
	switch kind {
	case "trends":
		d.Title = "Trends"
		d.Page = s.Trends
	case "actions":
		d.Title = "Corrective actions"
		v := &ActionsView{}
		for _, p := range s.Postmortems {
			for _, a := range p.Actions {
				r := s.actionRef(p, a)
				switch a.Status {
				case "done":
					v.Done++
				case "wont-do":
					v.WontDo++
				default:
					v.Open++
					if r.Overdue {
						v.Overdue++
					}
				}
				v.Actions = append(v.Actions, r)
			}
		}
		sort.SliceStable(v.Actions, func(i, j int) bool {
			a, b := v.Actions[i], v.Actions[j]
			if a.A.IsOpen() != b.A.IsOpen() {
				return a.A.IsOpen()
			}
			return a.A.Due.Before(b.A.Due)
		})
		d.Page = v
	}
	b, err := s.theme.Bytes(kind, d)
	return b, "text/html; charset=utf-8", err
}

func (s *Site) trendsJSON() ([]byte, error) {
	t := s.Trends
	return json.MarshalIndent(map[string]any{
		"drills": t.Drills, "near_misses": t.NearMisses,
		"actions": map[string]int{"open": t.OpenActions, "overdue": t.Overdue},
	}, "", " ")
}
