package postmortem

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem/frontmatter"
	"github.com/hindsight-kb/hindsight/site/tree"
)

// schema lists the front matter keys, for unknown-field suggestions.
var schemaKeys = []string{
	"id", "title", "severity", "status", "category", "drill", "near_miss", "started", "detected",
	"contained", "resolved", "root_causes", "systems", "data_involved", "detection",
	"attack_techniques", "impact", "actions", "authors", "related", "visibility", "tags",
}

var impactKeys = []string{"users_affected", "records_exposed", "downtime_minutes", "cost_usd", "reputation"}

var actionKeys = []string{"title", "owner", "priority", "due", "status", "ticket", "done_on"}

// keyAliases maps common mistakes to the key meant, beyond edit distance.
var keyAliases = map[string]string{
	"root_cause": "root_causes", "cause": "root_causes", "causes": "root_causes",
	"system": "systems", "affected_systems": "systems", "data": "data_involved",
	"techniques": "attack_techniques", "mitre": "attack_techniques", "author": "authors",
	"action_items": "actions", "corrective_actions": "actions", "nearmiss": "near_miss",
	"near-miss": "near_miss", "sev": "severity", "date": "started", "start": "started",
	"end": "resolved", "mitigated": "contained", "tag": "tags", "owner": "authors",
	"impact_assessment": "impact",
	// Names other postmortem tools and templates use.
	"start_time": "started", "begin": "started", "end_time": "resolved", "resolved_at": "resolved",
	"fixed": "resolved", "detected_at": "detected", "detection_time": "detected", "keywords": "tags",
	"labels": "tags", "uuid": "id", "incident_id": "id", "owners": "authors", "impact_summary": "impact",
	"service": "systems", "services": "systems", "component": "systems", "components": "systems",
	"mitigated_at": "contained", "priority": "severity", "state": "status", "type": "category",
	"links": "related", "see_also": "related",
}

// fmDecoder maps the keys of the front matter to the fields of a
// Postmortem; frontmatter.Decoder reads their values.
type fmDecoder struct {
	frontmatter.Decoder
	p *Postmortem
	// page, when set, receives the keys of a content page's own schema
	// (description); see Parser.ParsePage.
	page *Page
}

func didYouMean(key string, candidates []string) string {
	if a, ok := keyAliases[strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(key))]; ok {
		for _, c := range candidates {
			if c == a {
				return fmt.Sprintf(" (did you mean %q?)", a)
			}
		}
	}
	return diag.DidYouMean(key, candidates)
}

// fieldCount returns how many positions decode may record for root, so
// the map is made once at its size.
func fieldCount(root *tree.Node) int {
	n := 0
	for _, e := range root.Entries {
		n++
		switch v := e.Value; v.Kind {
		case tree.List:
			n += len(v.Items)
			if e.Key == "actions" {
				for _, it := range v.Items {
					n += len(it.Entries)
				}
			}
		case tree.Map:
			n += len(v.Entries)
		}
	}
	return n
}

// paths are the paths of the schema's values (see frontmatter.Paths),
// made once.
var paths = sync.OnceValue(func() *frontmatter.Paths {
	return frontmatter.NewPaths(
		[]string{"root_causes", "systems", "data_involved", "attack_techniques", "authors", "related", "tags"},
		map[string][]string{"actions": actionKeys}, map[string][]string{"impact": impactKeys})
})

func (d *fmDecoder) decode(root *tree.Node) {
	p := d.p
	p.Fields = make(map[string]diag.Pos, fieldCount(root))
	d.Fields = p.Fields
	for _, e := range root.Entries {
		v := e.Value
		if v.Kind == tree.Null {
			// "key:" with no value counts as absent; check reports it if
			// required.
			continue
		}
		p.Fields[e.Key] = v.Pos
		switch e.Key {
		case "id":
			d.id(e)
		case "title":
			d.Str(&p.Title, e)
		case "severity":
			d.Str(&p.Severity, e)
		case "status":
			d.Str(&p.Status, e)
		case "category":
			d.Str(&p.Category, e)
		case "detection":
			d.Str(&p.Detection, e)
			if p.Detection != "" && !config.IsSlug(p.Detection) {
				d.Problem(v.Pos, "invalid-value", "detection %q is not a lower-case slug; write %q (e.g. internal-alert, customer-report, third-party, audit)",
					p.Detection, config.Slugify(p.Detection))
				p.Detection = ""
				delete(p.Fields, e.Key)
			}
		case "visibility":
			d.Str(&p.Visibility, e)
		case "drill":
			d.Bool(&p.Drill, e)
		case "near_miss":
			d.Bool(&p.NearMiss, e)
		case "started":
			d.DateTime(&p.Started, e.Key, v)
		case "detected":
			d.DateTime(&p.Detected, e.Key, v)
		case "contained":
			d.DateTime(&p.Contained, e.Key, v)
		case "resolved":
			d.DateTime(&p.Resolved, e.Key, v)
		case "root_causes":
			p.RootCauses = d.names(e, d.List(e, true), slugName)
		case "systems":
			p.Systems = d.names(e, d.List(e, true), slugName)
		case "data_involved":
			p.DataInvolved = d.names(e, d.List(e, true), slugName)
		case "attack_techniques":
			p.AttackTechniques = d.names(e, d.List(e, true), techniqueName)
		case "authors":
			p.Authors = d.List(e, true)
		case "related":
			p.Related = d.List(e, true)
		case "tags":
			p.Tags = d.List(e, true)
		case "impact":
			d.impact(v)
		case "actions":
			d.actions(v)
		default:
			delete(p.Fields, e.Key)
			if d.page != nil && e.Key == "description" {
				d.Str(&d.page.Description, e)
				continue
			}
			d.Problem(e.KeyPos, "unknown-field", "unknown front matter key %q%s; see the front matter table in the README",
				e.Key, didYouMean(e.Key, schemaKeys))
		}
	}
}

// id reads the id key: an id that is not safe in a URL is reported and
// dropped, and the postmortem has no id (and so no page).
func (d *fmDecoder) id(e tree.Entry) {
	p := d.p
	d.Str(&p.ID, e)
	if !p.HasField("id") || IsID(p.ID) {
		return
	}
	d.Problem(e.Value.Pos, "invalid-value", "id %q must be letters, digits, '.', '_' and '-' only, start with a letter or digit and have at most %d characters (it becomes the page URL); e.g. %q, or remove id: to use the file name",
		p.ID, MaxIDLen, config.Slugify(p.ID))
	p.ID = ""
	delete(p.Fields, "id")
}

// slugName and techniqueName say what a taxonomy value must be.
var (
	slugName = nameKind{valid: config.IsSlug, fix: func(s string) string {
		return fmt.Sprintf("write %q (lower-case letters, digits and hyphens)", config.Slugify(s))
	}, what: "a lower-case slug"}
	techniqueName = nameKind{valid: IsTechniqueID, fix: func(s string) string {
		hint := ""
		if u := strings.ToUpper(s); IsTechniqueID(u) {
			hint = fmt.Sprintf("(did you mean %q?) ", u)
		}
		return hint + "write T1566 or T1566.001"
	}, what: "a MITRE ATT&CK technique id"}
)

// commaList reports whether v is values joined by commas ("dns, tls")
// each of which is valid.
func commaList(v string, valid func(string) bool) bool {
	parts := splitComma(v)
	return len(parts) > 1 && !slices.ContainsFunc(parts, func(p string) bool { return !valid(p) })
}

// splitComma splits v at its commas, each piece trimmed.
func splitComma(v string) []string {
	parts := strings.Split(v, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// nameKind is what the values of a taxonomy key must be.
type nameKind struct {
	valid func(string) bool
	what  string
	fix   func(string) string
}

// names keeps the values of vals (read from e by list) that are valid
// names of kind k, and reports the others: they become URLs, so a value
// that is not one is dropped whatever the rule settings. Positions are
// recorded again for what is kept.
func (d *fmDecoder) names(e tree.Entry, vals []string, k nameKind) []string {
	if len(vals) <= MaxNames && !slices.ContainsFunc(vals, func(v string) bool { return v == "" || !k.valid(v) }) {
		// Every value kept at its place (the common case): the
		// positions List recorded stand.
		return vals
	}
	var out []string
	for i, v := range vals {
		path := d.Paths.Index(e.Key, i)
		pos := d.p.Fields[path]
		delete(d.p.Fields, path)
		switch {
		case v == "":
			d.Problem(pos, "invalid-value", "%s entry %d is empty; remove it or write %s", e.Key, i+1, k.what)
		case !k.valid(v) && commaList(v, k.valid):
			d.Problem(pos, "invalid-value", "%s entry %q is several values in one string; write them as a list: %s: [%s]",
				e.Key, v, e.Key, strings.Join(splitComma(v), ", "))
		case !k.valid(v):
			d.Problem(pos, "invalid-value", "%s entry %q is not %s; %s", e.Key, v, k.what, k.fix(v))
		default:
			d.p.Fields[d.Paths.Index(e.Key, len(out))] = pos
			out = append(out, v)
		}
	}
	if len(out) > MaxNames {
		// Cross-linking pairs every cause with every system of an
		// incident: an unbounded list is quadratic work in the graph.
		pos := d.p.Fields[d.Paths.Index(e.Key, MaxNames)]
		d.Problem(pos, "invalid-value", "%s lists %d values, more than %d; keep the ones that matter (the rest are left out)", e.Key, len(out), MaxNames)
		for i := MaxNames; i < len(out); i++ {
			delete(d.p.Fields, d.Paths.Index(e.Key, i))
		}
		return out[:MaxNames]
	}
	if len(out) < len(vals) {
		return out
	}
	return vals
}

// MaxNames bounds the values of one taxonomy key (root_causes, systems,
// data_involved, attack_techniques).
const MaxNames = 64

func (d *fmDecoder) impact(n *tree.Node) {
	if n.Kind != tree.Map {
		d.WrongType("impact", n, "a map of users_affected, records_exposed, downtime_minutes, cost_usd and reputation")
		delete(d.p.Fields, "impact")
		return
	}
	im := &d.p.Impact
	for _, e := range n.Entries {
		v := e.Value
		if v.Kind == tree.Null {
			continue
		}
		path := d.Paths.Sub("impact", e.Key)
		d.p.Fields[path] = v.Pos
		switch e.Key {
		case "users_affected":
			d.Count(&im.UsersAffected, path, v)
		case "records_exposed":
			d.Count(&im.RecordsExposed, path, v)
		case "downtime_minutes":
			d.Count(&im.DowntimeMinutes, path, v)
		case "cost_usd":
			f, ok := v.AsFloat()
			if !ok || f < 0 {
				d.WrongType(path, v, "a number of zero or more (US dollars)")
				delete(d.p.Fields, path)
				continue
			}
			im.CostUSD = &f
		case "reputation":
			d.Text(&im.Reputation, path, v, "low, medium or high")
		default:
			delete(d.p.Fields, path)
			d.Problem(e.KeyPos, "unknown-field", "unknown impact key %q%s; impact takes %s",
				e.Key, didYouMean(e.Key, impactKeys), strings.Join(impactKeys, ", "))
		}
	}
}

func (d *fmDecoder) actions(n *tree.Node) {
	if n.Kind != tree.List {
		d.WrongType("actions", n, "a list of corrective actions, each with title, owner, priority and due")
		delete(d.p.Fields, "actions")
		return
	}
	if len(n.Items) > 0 {
		d.p.Actions = make([]Action, 0, len(n.Items))
	}
	for i, it := range n.Items {
		base := d.Paths.Item("actions", i, "")
		d.p.Fields[base] = it.Pos
		a := Action{Index: i, Pos: it.Pos}
		if it.Kind != tree.Map {
			d.WrongType(base, it, "a map with title, owner, priority, due and status")
			d.p.Actions = append(d.p.Actions, a)
			continue
		}
		for _, e := range it.Entries {
			v := e.Value
			if v.Kind == tree.Null {
				continue
			}
			path := d.Paths.Item("actions", i, e.Key)
			d.p.Fields[path] = v.Pos
			const str = "a single text value"
			switch e.Key {
			case "title":
				d.Text(&a.Title, path, v, str)
			case "owner":
				d.Text(&a.Owner, path, v, str)
			case "priority":
				d.Text(&a.Priority, path, v, str)
			case "status":
				d.Text(&a.Status, path, v, str)
			case "ticket":
				d.Text(&a.Ticket, path, v, str)
			case "due":
				d.Date(&a.Due, path, v)
			case "done_on":
				d.Date(&a.DoneOn, path, v)
			default:
				delete(d.p.Fields, path)
				d.Problem(e.KeyPos, "unknown-field", "unknown action key %q%s; an action takes %s",
					e.Key, didYouMean(e.Key, actionKeys), strings.Join(actionKeys, ", "))
			}
		}
		if a.Status == "" {
			a.Status = "open"
		}
		d.p.Actions = append(d.p.Actions, a)
	}
}
