package helptext

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/hindsight-kb/hindsight/site/check/report"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Query is the text of `hindsight help query`: the query language in
// brief (docs/search.md has all of it).
const Query = `The search query language (hindsight search, the site's search page and
serve's /search/ all read it).

  certificates expiring     words: every one must match (title, body, keywords);
                            stemmed, so "certificate expired" matches too
  "rate limit"              a phrase: these words, in this order
  cause:expired-certificate filters on a field:
  system:login-api            cause: system: data: technique: severity:
  data:customer-pii           category: status: id:
  technique:T1566           a technique also matches its sub-techniques (T1566.001)
  severity:SEV1,SEV2        a,b matches either value; values ignore case
  category:outage status:draft
  id:2025-03-14-edge-cert   one postmortem (or several: id:a,b)
  after:2024-03             started on or after a date (YYYY, YYYY-MM or YYYY-MM-DD)
  before:2025               started before a date; dates are in the config timezone
  198.51.100.23 s3:GetObject identifiers (hosts, addresses, URLs, ids, snake_case,
                            camelCase) match whole or by any part

Every part must hold (AND). Stop words ("the", "of") are ignored. A word of a
synonym group (search.synonyms in hindsight.yaml, or the built-in security and
SRE groups) also finds the group's other words: ssl finds TLS. When fewer than
3 postmortems match, words no postmortem holds are retried with one or two
typos fixed, and the output says "did you mean: ...". An unknown field such as
foo:bar is an error that suggests the nearest field; quote it to search for
the text. Drafts are searched too; filter them with status:.

  hindsight search 'cause:expired-certificate after:2024 "rate limit"'
  hindsight search --facets --format json 'system:login-api'
`

// frontMatterDoc returns, for each front matter key, its type, whether it
// is required, and what to write (a fresh map each call). Every key of
// postmortem.FrontMatterKeys has one (a test keeps them in step).
func frontMatterDoc() map[string][3]string {
	return map[string][3]string{
		"id":                {"text", "no", "default: the file name without .md; unique; the page is /postmortems/<id>/"},
		"title":             {"text", "yes", "what broke, in one line"},
		"severity":          {"one of severities", "yes", "{severities}; the first is the worst"},
		"status":            {"draft|in-review|published", "yes", "drafts are checked but not published (build --drafts shows them)"},
		"category":          {"one of categories", "yes", "{categories}"},
		"drill":             {"true|false", "no", "an exercise or simulation: counted apart from incidents"},
		"near_miss":         {"true|false", "no", "caught before harm: counted, left out of durations"},
		"started":           {"datetime", "yes", "first moment of the incident (or first evidence of it)"},
		"detected":          {"datetime", "yes", "when it was noticed"},
		"contained":         {"datetime", "no", "when the harm stopped growing (mitigated)"},
		"resolved":          {"datetime", "unless draft", "when normal service was back; started <= detected <= contained <= resolved"},
		"root_causes":       {"list of slugs", "yes", "e.g. [expired-certificate]; config causes: makes it a fixed vocabulary"},
		"systems":           {"list of slugs", "yes", "affected systems, e.g. [login-api]; config systems: likewise"},
		"data_involved":     {"list of slugs", "no", "e.g. [customer-pii, credentials]"},
		"detection":         {"slug", "no", "how it was found: internal-alert, customer-report, third-party, audit"},
		"attack_techniques": {"list", "no", "MITRE ATT&CK ids: T1566 or T1566.001"},
		"impact":            {"map", "no", "what it cost (keys below)"},
		"actions":           {"list of maps", "unless draft", "corrective actions (keys below)"},
		"authors":           {"list", "yes", `e.g. ["@alice"]`},
		"related":           {"list of ids", "no", "other postmortems; each must exist"},
		"visibility":        {"internal|public", "no", "default internal; a public build shows only public, published ones"},
		"tags":              {"list", "no", "free keywords"},
	}
}

// impactDoc describes the keys of impact (a fresh map each call).
func impactDoc() map[string]string {
	return map[string]string{
		"users_affected": "integer", "records_exposed": "integer", "downtime_minutes": "integer",
		"cost_usd": "number (internal by default)", "reputation": "low, medium or high",
	}
}

// actionDoc describes the keys of one action (a fresh map each call).
func actionDoc() map[string]string {
	return map[string]string{
		"title": "required", "owner": "required (internal by default)", "priority": "required, one of {priorities}",
		"due": "required, YYYY-MM-DD", "status": "open (default), in-progress, done, wont-do",
		"ticket": "a key such as SEC-123 or a URL", "done_on": "YYYY-MM-DD, when done",
	}
}

// WriteFrontMatter writes the text of `hindsight help frontmatter`: every
// front matter key the parser knows, with the severities, categories and
// priorities cfg configures.
func WriteFrontMatter(w io.Writer, cfg *config.Config) {
	fill := strings.NewReplacer(
		"{severities}", list(cfg.Severities),
		"{categories}", list(cfg.Categories),
		"{priorities}", list(cfg.Priorities),
	).Replace
	fmt.Fprint(w, `The front matter of a postmortem: YAML between --- lines (or TOML between +++,
or a JSON object) at the top of the file. Severities, categories and
priorities are those of this knowledge base's hindsight.yaml.

`)
	table := func(head string, keys []string, row func(k string) string) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		if head != "" {
			fmt.Fprintln(tw, "  "+head)
		}
		for _, k := range keys {
			fmt.Fprintf(tw, "  %s\t%s\n", k, fill(row(k)))
		}
		tw.Flush()
	}
	fmDoc, impDoc, actDoc := frontMatterDoc(), impactDoc(), actionDoc()
	table("KEY\tTYPE\tREQUIRED\tWHAT", postmortem.FrontMatterKeys(), func(k string) string {
		d, ok := fmDoc[k]
		if !ok {
			d = [3]string{"?", "?", "(not documented)"}
		}
		return d[0] + "\t" + d[1] + "\t" + d[2]
	})
	fmt.Fprintln(w, "\nimpact:")
	table("", postmortem.ImpactKeys(), func(k string) string { return impDoc[k] })
	fmt.Fprintln(w, "\nactions, each:")
	table("", postmortem.ActionKeys(), func(k string) string { return actDoc[k] })
	fmt.Fprintf(w, `
Datetimes: RFC 3339 (2025-03-14T09:12:00Z) or "2025-03-14 09:12" in the config
timezone (%s). Dates: YYYY-MM-DD.

Required H2 sections: %s.
Recommended: %s.

`+"`hindsight new \"Title\"`"+` writes a file with all of this to fill in.
`, shown(cfg.Timezone), sectionNames(cfg.RequiredSections), sectionNames(cfg.RecommendedSections))
}

func sectionNames(ss []config.Section) string {
	var out []string
	for _, s := range ss {
		n := shown(s.Name)
		if len(s.Aliases) > 0 {
			n += " (or " + list(s.Aliases) + ")"
		}
		out = append(out, n)
	}
	return strings.Join(out, "; ")
}

// shown returns a value of the KB's config (untrusted) as it may be
// printed to a terminal.
func shown(s string) string { return report.Printable(s) }

// list is values joined by ", ", each shown.
func list(values []string) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = shown(v)
	}
	return strings.Join(out, ", ")
}
