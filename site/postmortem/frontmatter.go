package postmortem

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/adrg/frontmatter"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/tree"
)

// block is the front matter found at the top of a file.
type block struct {
	format string
	data   []byte
	// line is the file line data starts on.
	line int
	// bodyOff is the byte offset where the Markdown starts.
	bodyOff int
	// open is the position of the opening delimiter.
	open diag.Pos
}

// delimiter is one front matter syntax: its opening and closing lines.
type delimiter struct {
	start, end string
	format     string
	// json is the "{ … }" form: the braces belong to the data, and the
	// closing brace must be followed by an empty line.
	json bool
}

// delimiters are the syntaxes adrg/frontmatter is given, in its order.
var delimiters = [...]delimiter{
	{start: "---", end: "---", format: "yaml"},
	{start: "---yaml", end: "---", format: "yaml"},
	{start: "+++", end: "+++", format: "toml"},
	{start: "---toml", end: "---", format: "toml"},
	{start: ";;;", end: ";;;", format: "json"},
	{start: "---json", end: "---", format: "json"},
	{start: "{", end: "}", format: "json", json: true},
}

// splitFrontMatter finds the front matter as adrg/frontmatter does, and
// adds what it does not say: where the block starts in the file, and
// whether an opening delimiter was left unclosed. The common case (an
// opening line, keys, a closing line) is found here directly; everything
// else is handed to the library.
func splitFrontMatter(src []byte) (*block, *diag.Diagnostic) {
	var b block
	// Find the first non-blank line ourselves: it tells where the block
	// starts, which adrg/frontmatter does not report.
	off, line := 0, 1
	for off < len(src) {
		end := bytes.IndexByte(src[off:], '\n')
		next := len(src)
		if end >= 0 {
			next = off + end + 1
		}
		if len(bytes.TrimSpace(src[off:next])) != 0 {
			break
		}
		off, line = next, line+1
	}
	var first []byte
	firstEnd := len(src)
	if off < len(src) {
		if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
			firstEnd = off + i + 1
		}
		first = bytes.TrimSpace(src[off:firstEnd])
	}
	var opener *delimiter
	for i := range delimiters {
		if delimiters[i].start == string(first) {
			opener = &delimiters[i]
		}
	}
	b.open = diag.Pos{Line: line, Col: 1}
	if opener == nil {
		return &b, nil
	}
	// adrg/frontmatter copies everything it reads; hand it the front
	// matter block only (up to the first closing line, which is where it
	// stops too) so the body is not copied for nothing. An unclosed block
	// gets the whole file, for the same error as before.
	input := src
	if !opener.json {
		for off := firstEnd; off < len(src); {
			next := len(src)
			if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
				next = off + i + 1
			}
			if string(bytes.TrimSpace(src[off:next])) == opener.end {
				if src[firstEnd-1] == '\n' {
					// The common case, where the library finds what we
					// found: the data is the lines between the opening
					// line (which ends with a line break: the library
					// does not take an opening line at the end of the
					// file) and this closing line. Taken here, because
					// the library reads line by line and copies every
					// line twice. FuzzSplitFrontMatter checks this
					// against the library.
					b.format = opener.format
					b.data = src[firstEnd:off]
					b.line = line + 1
					b.bodyOff = next
					return &b, nil
				}
				input = src[:next]
				break
			}
			off = next
		}
	}
	capture := func(format string) frontmatter.UnmarshalFunc {
		return func(data []byte, _ any) error {
			b.format = format
			b.data = data
			return nil
		}
	}
	formats := make([]*frontmatter.Format, len(delimiters))
	for i, d := range delimiters {
		formats[i] = &frontmatter.Format{Start: d.start, End: d.end, Unmarshal: capture(d.format),
			UnmarshalDelims: d.json, RequiresNewLine: d.json}
	}
	rest, err := frontmatter.Parse(bytes.NewReader(input), nil, formats...)
	if err != nil {
		return nil, &diag.Diagnostic{Pos: b.open, Rule: "frontmatter-syntax", Severity: diag.Error,
			Message: fmt.Sprintf("front matter could not be read: %v", err)}
	}
	if b.format == "" {
		return nil, &diag.Diagnostic{Pos: b.open, Rule: "frontmatter-syntax", Severity: diag.Error,
			Message: fmt.Sprintf("front matter opened with %q is never closed; add a line with %q after the last key", first, opener.end)}
	}
	if opener.json {
		b.line = line
	} else {
		b.line = line + 1
	}
	b.bodyOff = len(input) - len(rest)
	return &b, nil
}

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

type fmDecoder struct {
	p   *Postmortem
	loc *time.Location
	// page, when set, receives the keys of a content page's own schema
	// (description); see Parser.ParsePage.
	page *Page
}

func (d *fmDecoder) problem(pos diag.Pos, rule, format string, args ...any) {
	d.p.Problems = append(d.p.Problems, diag.Diagnostic{
		File: d.p.Path, Pos: pos, Severity: diag.Error, Rule: rule, Message: fmt.Sprintf(format, args...),
	})
}

func (d *fmDecoder) wrongType(key string, n *tree.Node, want string) {
	d.problem(n.Pos, "invalid-value", "%s must be %s, got %s", key, want, n.Describe())
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

// Field paths are made from the key and the index; the common ones are
// taken from these tables instead (indexPaths for lists: "tags[2]",
// actionPaths: "actions[1].owner", impactPaths: "impact.cost_usd").
const pathTableSize = 16

var (
	indexPaths  = map[string]*[pathTableSize]string{}
	actionPaths [pathTableSize]map[string]string
	impactPaths = map[string]string{}
)

func init() {
	for _, k := range []string{"root_causes", "systems", "data_involved", "attack_techniques", "authors", "related", "tags"} {
		var t [pathTableSize]string
		for i := range t {
			t[i] = fmt.Sprintf("%s[%d]", k, i)
		}
		indexPaths[k] = &t
	}
	for i := range actionPaths {
		base := fmt.Sprintf("actions[%d]", i)
		actionPaths[i] = map[string]string{"": base}
		for _, k := range actionKeys {
			actionPaths[i][k] = base + "." + k
		}
	}
	for _, k := range impactKeys {
		impactPaths[k] = "impact." + k
	}
}

// indexPath returns "key[i]".
func indexPath(key string, i int) string {
	if t := indexPaths[key]; t != nil && i < pathTableSize {
		return t[i]
	}
	return key + "[" + strconv.Itoa(i) + "]"
}

// actionPath returns "actions[i]" for key "", else "actions[i].key".
func actionPath(i int, key string) string {
	if i < pathTableSize {
		if p, ok := actionPaths[i][key]; ok {
			return p
		}
	}
	base := "actions[" + strconv.Itoa(i) + "]"
	if key == "" {
		return base
	}
	return base + "." + key
}

func (d *fmDecoder) decode(root *tree.Node) {
	p := d.p
	p.Fields = make(map[string]diag.Pos, fieldCount(root))
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
			d.str(&p.Title, e)
		case "severity":
			d.str(&p.Severity, e)
		case "status":
			d.str(&p.Status, e)
		case "category":
			d.str(&p.Category, e)
		case "detection":
			d.str(&p.Detection, e)
			if p.Detection != "" && !config.IsSlug(p.Detection) {
				d.problem(v.Pos, "invalid-value", "detection %q is not a lower-case slug; write %q (e.g. internal-alert, customer-report, third-party, audit)",
					p.Detection, config.Slugify(p.Detection))
				p.Detection = ""
				delete(p.Fields, e.Key)
			}
		case "visibility":
			d.str(&p.Visibility, e)
		case "drill":
			d.boolean(&p.Drill, e)
		case "near_miss":
			d.boolean(&p.NearMiss, e)
		case "started":
			d.datetime(&p.Started, e.Key, v)
		case "detected":
			d.datetime(&p.Detected, e.Key, v)
		case "contained":
			d.datetime(&p.Contained, e.Key, v)
		case "resolved":
			d.datetime(&p.Resolved, e.Key, v)
		case "root_causes":
			p.RootCauses = d.names(e, d.list(e, true), slugName)
		case "systems":
			p.Systems = d.names(e, d.list(e, true), slugName)
		case "data_involved":
			p.DataInvolved = d.names(e, d.list(e, true), slugName)
		case "attack_techniques":
			p.AttackTechniques = d.names(e, d.list(e, true), techniqueName)
		case "authors":
			p.Authors = d.list(e, true)
		case "related":
			p.Related = d.list(e, true)
		case "tags":
			p.Tags = d.list(e, true)
		case "impact":
			d.impact(v)
		case "actions":
			d.actions(v)
		default:
			delete(p.Fields, e.Key)
			if d.page != nil && e.Key == "description" {
				d.str(&d.page.Description, e)
				continue
			}
			d.problem(e.KeyPos, "unknown-field", "unknown front matter key %q%s; see the front matter table in the README",
				e.Key, didYouMean(e.Key, schemaKeys))
		}
	}
}

// id reads the id key: an id that is not safe in a URL is reported and
// dropped, and the postmortem has no id (and so no page).
func (d *fmDecoder) id(e tree.Entry) {
	p := d.p
	d.str(&p.ID, e)
	if !p.HasField("id") || IsID(p.ID) {
		return
	}
	d.problem(e.Value.Pos, "invalid-value", "id %q must be letters, digits, '.', '_' and '-' only, start with a letter or digit and have at most %d characters (it becomes the page URL); e.g. %q, or remove id: to use the file name",
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
	var out []string
	for i, v := range vals {
		path := indexPath(e.Key, i)
		pos := d.p.Fields[path]
		delete(d.p.Fields, path)
		switch {
		case v == "":
			d.problem(pos, "invalid-value", "%s entry %d is empty; remove it or write %s", e.Key, i+1, k.what)
		case !k.valid(v):
			d.problem(pos, "invalid-value", "%s entry %q is not %s; %s", e.Key, v, k.what, k.fix(v))
		default:
			d.p.Fields[indexPath(e.Key, len(out))] = pos
			out = append(out, v)
		}
	}
	if len(out) > MaxNames {
		// Cross-linking pairs every cause with every system of an
		// incident: an unbounded list is quadratic work in the graph.
		pos := d.p.Fields[indexPath(e.Key, MaxNames)]
		d.problem(pos, "invalid-value", "%s lists %d values, more than %d; keep the ones that matter (the rest are left out)", e.Key, len(out), MaxNames)
		for i := MaxNames; i < len(out); i++ {
			delete(d.p.Fields, indexPath(e.Key, i))
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

func (d *fmDecoder) str(dst *string, e tree.Entry) {
	d.text(dst, e.Key, e.Value, "a single text value")
}

// text reads the scalar n at path into dst; want says what was expected.
func (d *fmDecoder) text(dst *string, path string, n *tree.Node, want string) {
	s, ok := n.AsString()
	if !ok {
		d.wrongType(path, n, want)
		delete(d.p.Fields, path)
		return
	}
	*dst = strings.TrimSpace(s)
}

// date reads the YYYY-MM-DD date n at path into dst.
func (d *fmDecoder) date(dst *time.Time, path string, n *tree.Node) {
	d.timeValue(dst, path, n, ParseDate, "a date such as 2025-04-30", "write the date as YYYY-MM-DD, e.g. 2025-04-30")
}

// timeValue reads n at path into dst with parse; what says the expected
// value for a wrong type, fix how to write it for a value that does not
// parse. A value that cannot be read leaves dst and is not a field.
func (d *fmDecoder) timeValue(dst *time.Time, path string, n *tree.Node, parse func(string, *time.Location) (time.Time, error), what, fix string) {
	s, ok := n.AsString()
	if !ok {
		d.wrongType(path, n, what)
		delete(d.p.Fields, path)
		return
	}
	t, err := parse(s, d.loc)
	if err != nil {
		d.problem(n.Pos, "invalid-value", "%s %q %v; %s", path, s, err, fix)
		delete(d.p.Fields, path)
		return
	}
	*dst = t
}

func (d *fmDecoder) boolean(dst *bool, e tree.Entry) {
	b, ok := e.Value.AsBool()
	if !ok {
		d.wrongType(e.Key, e.Value, "true or false")
		delete(d.p.Fields, e.Key)
		return
	}
	*dst = b
}

// list reads a list of text values (or, if single, one value as a list
// of one), as tree.Node.AsStrings does, recording each item's position.
func (d *fmDecoder) list(e tree.Entry, single bool) []string {
	n := e.Value
	bad := n
	switch {
	case n.Kind == tree.Null:
		return nil
	case n.Kind == tree.Scalar && single:
		d.p.Fields[indexPath(e.Key, 0)] = n.Pos
		return []string{strings.TrimSpace(n.Value)}
	case n.Kind == tree.List:
		bad = nil
		for _, it := range n.Items {
			if it.Kind != tree.Scalar {
				bad = it
				break
			}
		}
	}
	if bad != nil {
		d.wrongType(e.Key, bad, "a list of text values, e.g. ["+e.Key+"-one, "+e.Key+"-two]")
		delete(d.p.Fields, e.Key)
		return nil
	}
	ss := make([]string, len(n.Items))
	for i, it := range n.Items {
		d.p.Fields[indexPath(e.Key, i)] = it.Pos
		ss[i] = strings.TrimSpace(it.Value)
	}
	return ss
}

// Datetime layouts accepted besides RFC 3339, read in the config timezone.
var localLayouts = []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05"}

// ParseDateTime reads an RFC 3339 datetime or "2006-01-02 15:04" in loc.
func ParseDateTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02 15:04:05Z07:00", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02 15:04Z07:00", s); err == nil {
		return t, nil
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	if _, err := time.Parse("2006-01-02", s); err == nil {
		return time.Time{}, errors.New("has a date but no time")
	}
	return time.Time{}, errors.New("is not a datetime")
}

// ParseDate reads a YYYY-MM-DD date as midnight in loc.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err == nil {
		return t, nil
	}
	// YAML and TOML may hand a date over with a zero time.
	if t, err2 := time.Parse(time.RFC3339, s); err2 == nil && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc), nil
	}
	return time.Time{}, errors.New("is not a date")
}

// datetime reads the RFC 3339 (or config-timezone) time n at key into dst.
func (d *fmDecoder) datetime(dst *time.Time, key string, n *tree.Node) {
	d.timeValue(dst, key, n, ParseDateTime, "a datetime such as 2025-03-14T09:12:00Z",
		`write RFC 3339 (2025-03-14T09:12:00Z) or "2025-03-14 09:12" (read in the config timezone)`)
}

func (d *fmDecoder) impact(n *tree.Node) {
	if n.Kind != tree.Map {
		d.wrongType("impact", n, "a map of users_affected, records_exposed, downtime_minutes, cost_usd and reputation")
		delete(d.p.Fields, "impact")
		return
	}
	im := &d.p.Impact
	for _, e := range n.Entries {
		v := e.Value
		if v.Kind == tree.Null {
			continue
		}
		path, ok := impactPaths[e.Key]
		if !ok {
			path = "impact." + e.Key
		}
		d.p.Fields[path] = v.Pos
		switch e.Key {
		case "users_affected":
			d.count(&im.UsersAffected, path, v)
		case "records_exposed":
			d.count(&im.RecordsExposed, path, v)
		case "downtime_minutes":
			d.count(&im.DowntimeMinutes, path, v)
		case "cost_usd":
			f, ok := v.AsFloat()
			if !ok || f < 0 {
				d.wrongType(path, v, "a number of zero or more (US dollars)")
				delete(d.p.Fields, path)
				continue
			}
			im.CostUSD = &f
		case "reputation":
			d.text(&im.Reputation, path, v, "low, medium or high")
		default:
			delete(d.p.Fields, path)
			d.problem(e.KeyPos, "unknown-field", "unknown impact key %q%s; impact takes %s",
				e.Key, didYouMean(e.Key, impactKeys), strings.Join(impactKeys, ", "))
		}
	}
}

// count reads the whole number of zero or more n at path into dst.
func (d *fmDecoder) count(dst **int64, path string, n *tree.Node) {
	i, ok := n.AsInt()
	if !ok || i < 0 {
		d.wrongType(path, n, "a whole number of zero or more")
		delete(d.p.Fields, path)
		return
	}
	*dst = &i
}

func (d *fmDecoder) actions(n *tree.Node) {
	if n.Kind != tree.List {
		d.wrongType("actions", n, "a list of corrective actions, each with title, owner, priority and due")
		delete(d.p.Fields, "actions")
		return
	}
	if len(n.Items) > 0 {
		d.p.Actions = make([]Action, 0, len(n.Items))
	}
	for i, it := range n.Items {
		base := actionPath(i, "")
		d.p.Fields[base] = it.Pos
		a := Action{Index: i, Pos: it.Pos}
		if it.Kind != tree.Map {
			d.wrongType(base, it, "a map with title, owner, priority, due and status")
			d.p.Actions = append(d.p.Actions, a)
			continue
		}
		for _, e := range it.Entries {
			v := e.Value
			if v.Kind == tree.Null {
				continue
			}
			path := actionPath(i, e.Key)
			d.p.Fields[path] = v.Pos
			const str = "a single text value"
			switch e.Key {
			case "title":
				d.text(&a.Title, path, v, str)
			case "owner":
				d.text(&a.Owner, path, v, str)
			case "priority":
				d.text(&a.Priority, path, v, str)
			case "status":
				d.text(&a.Status, path, v, str)
			case "ticket":
				d.text(&a.Ticket, path, v, str)
			case "due":
				d.date(&a.Due, path, v)
			case "done_on":
				d.date(&a.DoneOn, path, v)
			default:
				delete(d.p.Fields, path)
				d.problem(e.KeyPos, "unknown-field", "unknown action key %q%s; an action takes %s",
					e.Key, didYouMean(e.Key, actionKeys), strings.Join(actionKeys, ", "))
			}
		}
		if a.Status == "" {
			a.Status = "open"
		}
		d.p.Actions = append(d.p.Actions, a)
	}
}
