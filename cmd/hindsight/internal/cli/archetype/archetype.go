package archetype

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"text/template"

	"github.com/hindsight-kb/hindsight/site/config"
)

// Default is the postmortem scaffold. A KB overrides it with
// themes/<theme>/archetypes/postmortem.md (same template data). Required
// sections hold a "TBD: …" placeholder that says what to write, so
// `hindsight check` reports each unfinished section as empty-section;
// nothing in the body is hidden guidance that a page would show.
const Default = `---
title: {{quote .Title}}
severity: {{.Severity}}  # {{join .Severities ", "}}; {{index .Severities 0}} is the worst
status: draft  # draft, in-review, published
category: {{.Category}}  # {{join .Categories ", "}}
{{- if .Drill}}
drill: true  # an exercise or simulation: kept out of incident metrics
{{- end}}
started: {{.Started}}  # first moment of the incident (or first evidence of it), {{.Timezone}}
detected: {{.Detected}}
# contained: {{.Date}} HH:MM
# resolved: {{.Date}} HH:MM  # required once status is not draft
root_causes: []  # slugs, e.g. [expired-certificate]
systems: []  # affected systems, e.g. [login-api]
# data_involved: [customer-pii]
# detection: internal-alert  # or customer-report, third-party, audit
# attack_techniques: [T1566.001]
# near_miss: true  # caught before harm
# impact:
#   users_affected: 0
#   records_exposed: 0
#   downtime_minutes: 0
#   cost_usd: 0
#   reputation: low  # low, medium, high
actions:
  - title: "TBD: what will stop this from happening again"
    owner: ""  # the team or person who will do it
    priority: {{.Priority}}  # {{join .Priorities ", "}}; by the risk the action removes
    due: {{.Due}}
    status: open  # open, in-progress, done, wont-do
authors: []  # e.g. ["@alice"]
# related: []  # ids of related postmortems
visibility: internal  # or public
---
{{range .Required}}
## {{.Name}}

TBD: {{.Guidance}}
{{end}}{{range .Recommended}}
## {{.Name}}

TBD: {{.Guidance}}
{{end}}`

// guidances are the hints after TBD for the sections hindsight knows.
var guidances = map[string]string{
	"summary":             "what happened, who and what was affected, and how it ended, in two or three sentences.",
	"timeline":            "a list of entries such as \"- 2025-03-14 09:12 UTC — Alert fired on …\"; an entry with only \"09:40 — …\" takes the date of the one before.",
	"root cause analysis": "the conditions that allowed the incident, not who was involved; ask \"why\" until you reach something you can change, and list the causes in root_causes.",
	"impact assessment":   "data lost or exposed, downtime, financial cost and harm to reputation; put the numbers in impact: too.",
	"corrective actions":  "each action of actions: and the risk it removes, most urgent first.",
	"communication":       "who was told (management, teams, customers, regulators), when and how.",
	"lessons learned":     "what went well, what went badly, and where we were lucky.",
	"follow-up":           "how and when we will check that the corrective actions worked.",
	"detection":           "how the incident was found, and how it could be found sooner.",
	"response":            "what the responders did to contain and resolve it.",
}

// Section is one section of the scaffold and what to write in it.
type Section struct {
	Name     string
	Guidance string
}

// Data is what the postmortem template is executed with (the README
// lists its fields for a KB's own template).
type Data struct {
	Title, Slug, ID        string
	Severity, Category     string
	Priority               string
	Drill                  bool
	Date, Started, Due     string
	Detected, Timezone     string
	Severities, Categories []string
	Priorities             []string
	Required, Recommended  []Section
}

// NewSection returns the section name with its guidance: the hint for the
// sections hindsight knows, else a generic one.
func NewSection(name string) Section {
	return Section{name, guidance(name)}
}

// guidance is the hint after TBD for section name.
func guidance(name string) string {
	if g, ok := guidances[config.NormalizeHeading(name)]; ok {
		return g
	}
	return "write this section."
}

// Render executes the postmortem template text, called name in errors.
func Render(name, text string, data Data) ([]byte, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(template.FuncMap{
		// quote makes a double-quoted YAML (and JSON, TOML) string.
		"quote": strconv.Quote,
		"join":  strings.Join,
	}).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("template %s: %v", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("template %s: %v", name, err)
	}
	return b.Bytes(), nil
}
