package kbgen

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// action is one generated corrective action.
type action struct {
	title, owner, priority, status, ticket string
	due, doneOn                            time.Time
}

// fileData is everything written into one postmortem.
type fileData struct {
	m        *meta
	data     []string
	detect   string
	techs    []string
	impact   impactData
	actions  []action
	authors  []string
	related  []*meta
	public   bool
	tags     []string
	codeLogs bool
}

type impactData struct {
	present                         bool
	users, records, downtime        int64
	cost                            float64
	reputation                      string
	omitRecords, omitCost, omitDown bool
}

func (g *gen) file(i int) (string, []byte) {
	m := g.meta(i)
	f := g.front(m)
	var b bytes.Buffer
	b.Grow(6 << 10)
	writeFront(&b, f)
	w := &writer{r: g.rng(i, streamBody), g: g, f: f, m: m, b: &b}
	w.body()
	return m.path, b.Bytes()
}

// front draws the front matter beyond meta.
func (g *gen) front(m *meta) *fileData {
	r := g.rng(m.i, streamFront)
	f := &fileData{m: m}
	if kinds, ok := dataKinds[m.category]; ok && r.IntN(100) < 75 {
		for _, k := range pickDistinct(r, 1+r.IntN(2), len(kinds), 1.3) {
			f.data = append(f.data, kinds[k])
		}
	}
	if r.IntN(100) < 92 {
		f.detect = detections[r.IntN(len(detections))]
		if m.drill {
			f.detect = "internal-alert"
		}
	}
	if ts, ok := techniques[m.category]; ok && r.IntN(100) < 85 {
		for _, k := range pickDistinct(r, 1+r.IntN(3), len(ts), 1.2) {
			f.techs = append(f.techs, ts[k])
		}
	}
	f.impact = g.impact(r, m)
	nAct := 1 + weightedInt(r, []int{15, 30, 30, 15, 10})
	if m.status == "draft" && r.IntN(2) == 0 {
		nAct = 0
	}
	for k := 0; k < nAct; k++ {
		f.actions = append(f.actions, g.action(r, m))
	}
	for _, k := range pickDistinct(r, 1+weightedInt(r, []int{60, 30, 10}), len(authors), 1.05) {
		f.authors = append(f.authors, authors[k])
	}
	// Related: ids of earlier postmortems, preferring ones that share a
	// cause or a system, as an author would.
	if m.i > 0 && r.IntN(100) < 25 {
		want := 1 + r.IntN(2)
		lo := max(0, m.i-400)
		for tries := 0; tries < 12 && len(f.related) < want; tries++ {
			j := lo + r.IntN(m.i-lo)
			o := g.meta(j)
			dup := false
			for _, x := range f.related {
				dup = dup || x.i == j
			}
			if dup {
				continue
			}
			if sharesAny(o.causes, m.causes) || sharesAny(o.systems, m.systems) || tries >= 10 {
				f.related = append(f.related, o)
			}
		}
		sort.Slice(f.related, func(a, b int) bool { return f.related[a].i < f.related[b].i })
	}
	f.public = r.IntN(100) < 25
	f.tags = g.tags(r, m)
	f.codeLogs = r.IntN(100) < 40
	return f
}

func sharesAny(a, b []int) bool {
	for _, x := range a {
		if containsInt(b, x) {
			return true
		}
	}
	return false
}

func (g *gen) impact(r *rand.Rand, m *meta) impactData {
	im := impactData{present: r.IntN(100) < 93}
	sevScale := map[string]float64{"SEV1": 30, "SEV2": 8, "SEV3": 2, "SEV4": 0.5}[m.severity]
	resMin := m.resolved.Sub(m.started).Minutes()
	switch {
	case m.drill || m.nearMiss:
		im.reputation = "low"
	default:
		im.users = int64(math.Round(logNormalMinutes(r, 400*sevScale, 1.5)))
		if _, ok := dataKinds[m.category]; ok && m.category != "misconfiguration" {
			im.records = int64(math.Round(logNormalMinutes(r, 150*sevScale, 2.0)))
		}
		if m.category == "outage" || m.category == "denial-of-service" || m.category == "malware" {
			im.downtime = int64(resMin * (0.2 + 0.6*r.Float64()))
		}
		im.cost = math.Round(logNormalMinutes(r, 1500*sevScale, 1.2)/100) * 100
		switch m.severity {
		case "SEV1":
			im.reputation = []string{"high", "high", "medium"}[r.IntN(3)]
		case "SEV2":
			im.reputation = []string{"medium", "medium", "low", "high"}[r.IntN(4)]
		default:
			im.reputation = "low"
		}
	}
	im.omitRecords = im.records == 0 && r.IntN(3) == 0
	im.omitDown = im.downtime == 0 && r.IntN(3) == 0
	im.omitCost = r.IntN(10) == 0
	return im
}

var actionTemplates = []string{
	"Alert on {metric} for the {sys}",
	"Add a canary stage for {tech} changes on the {sys}",
	"Add a regression test for the {causeTitle} scenario",
	"Load-test the {sys} at twice the observed peak",
	"Move {sys} {tech} settings into reviewed configuration",
	"Shorten the lifetime of credentials used by the {sys}",
	"Enforce phishing-resistant MFA for administrators of the {sys}",
	"Add rate limiting to the {tech} endpoints of the {sys}",
	"Document the dependency between the {sys} and the {sys2} in the service catalogue",
	"Run a restore test of the {sys} backups every quarter",
	"Remove the single point of failure in the {tech} of the {sys}",
	"Allow egress from {sys} hosts only to listed destinations",
	"Patch the {tech} dependency of the {sys} and add it to the SBOM scan",
	"Update the {sys} runbook with the {tech} recovery steps",
	"Automate renewal and expiry alerts for {sys} certificates",
	"Add backoff with jitter to {sys} clients of the {sys2}",
	"Review access to the {sys} and remove unused roles",
	"Rehearse the {sys} failover in a game day",
}

func (g *gen) action(r *rand.Rand, m *meta) action {
	sys := systems[m.systems[r.IntN(len(m.systems))]]
	other := systems[zipfIndex(r, len(systems), 1.1)]
	t := actionTemplates[r.IntN(len(actionTemplates))]
	repl := strings.NewReplacer(
		"{metric}", metrics[r.IntN(len(metrics))],
		"{sys}", sys.title,
		"{sys2}", other.title,
		"{tech}", techNouns[zipfIndex(r, len(techNouns), 1.05)],
		"{causeTitle}", lowerFirst(causes[m.causes[r.IntN(len(m.causes))]].title),
	)
	a := action{title: repl.Replace(t), owner: sys.owner}
	if r.IntN(4) == 0 {
		a.owner = teams[r.IntN(len(teams))].name
	}
	// Priority follows risk: worse incidents get more urgent actions.
	w := map[string][]int{"SEV1": {30, 40, 20, 10}, "SEV2": {15, 40, 30, 15}, "SEV3": {5, 30, 40, 25}, "SEV4": {2, 18, 45, 35}}[m.severity]
	pr := weightedInt(r, w)
	a.priority = fmt.Sprintf("P%d", pr)
	days := [][2]int{{3, 14}, {14, 45}, {30, 90}, {60, 180}}[pr]
	end := m.resolved
	if !m.hasRes {
		end = m.detected
	}
	a.due = dateOf(end).AddDate(0, 0, days[0]+r.IntN(days[1]-days[0]+1))
	now := g.opts.Now
	past := a.due.Before(now)
	p := r.IntN(100)
	if a.due.Before(now.AddDate(0, 0, -180)) {
		// Old actions were mostly closed long ago.
		p = p * 92 / 100
	}
	switch {
	case past && p < 84, !past && p < 35:
		a.status = "done"
		lo := dateOf(end)
		hi := a.due.AddDate(0, 0, 40)
		if lim := dateOf(now).AddDate(0, 0, -1); hi.After(lim) {
			hi = lim
		}
		if hi.Before(lo) {
			hi = lo
		}
		span := int(hi.Sub(lo).Hours() / 24)
		// Most actions close a little before their due date.
		d := int(float64(span) * math.Min(1, math.Abs(0.6+0.3*r.NormFloat64())))
		a.doneOn = lo.AddDate(0, 0, d)
	case past && p < 89:
		a.status = "wont-do"
	case p%2 == 0:
		a.status = "in-progress"
	default:
		a.status = "open"
	}
	if r.IntN(100) < 75 {
		prefix := "OPS"
		for _, tm := range teams {
			if tm.name == a.owner {
				prefix = tm.prefix
			}
		}
		a.ticket = fmt.Sprintf("%s-%d", prefix, 100+r.IntN(4900))
	}
	return a
}

func dateOf(t time.Time) time.Time {
	y, mo, d := t.UTC().Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

var categoryTags = map[string][]string{
	"outage":             {"availability", "latency", "capacity", "deploy", "database", "network"},
	"misconfiguration":   {"config", "change-management", "iac", "access-control"},
	"vulnerability":      {"appsec", "patching", "cve", "bug-bounty"},
	"phishing":           {"email", "social-engineering", "mfa", "awareness"},
	"account-compromise": {"identity", "mfa", "fraud", "sessions"},
	"denial-of-service":  {"ddos", "edge", "rate-limiting", "capacity"},
	"data-leak":          {"privacy", "secrets", "exposure", "gdpr"},
	"malware":            {"endpoint", "edr", "ransomware", "email"},
	"intrusion":          {"detection", "forensics", "lateral-movement", "vpn"},
	"breach":             {"privacy", "exfiltration", "forensics", "legal"},
	"other":              {"process", "compliance", "vendor"},
}

func (g *gen) tags(r *rand.Rand, m *meta) []string {
	pool := categoryTags[m.category]
	var out []string
	for _, k := range pickDistinct(r, 1+r.IntN(3), len(pool), 1.1) {
		out = append(out, pool[k])
	}
	if m.drill {
		out = append(out, "drill")
	}
	if m.nearMiss {
		out = append(out, "near-miss")
	}
	return out
}

const rfc = "2006-01-02T15:04:05Z"

func writeFront(b *bytes.Buffer, f *fileData) {
	m := f.m
	b.WriteString("---\n")
	fmt.Fprintf(b, "id: %s\n", m.id)
	fmt.Fprintf(b, "title: %s\n", yq(m.title))
	fmt.Fprintf(b, "severity: %s\nstatus: %s\ncategory: %s\n", m.severity, m.status, m.category)
	if m.drill {
		b.WriteString("drill: true\n")
	}
	if m.nearMiss {
		b.WriteString("near_miss: true\n")
	}
	fmt.Fprintf(b, "started: %s\ndetected: %s\n", m.started.Format(rfc), m.detected.Format(rfc))
	if m.hasContained && m.hasRes {
		fmt.Fprintf(b, "contained: %s\n", m.contained.Format(rfc))
	}
	if m.hasRes {
		fmt.Fprintf(b, "resolved: %s\n", m.resolved.Format(rfc))
	}
	list := func(key string, xs []string) {
		if len(xs) == 0 {
			return
		}
		fmt.Fprintf(b, "%s: [%s]\n", key, strings.Join(xs, ", "))
	}
	var cs, ss []string
	for _, c := range m.causes {
		cs = append(cs, causes[c].slug)
	}
	for _, s := range m.systems {
		ss = append(ss, systems[s].slug)
	}
	list("root_causes", cs)
	list("systems", ss)
	list("data_involved", f.data)
	if f.detect != "" {
		fmt.Fprintf(b, "detection: %s\n", f.detect)
	}
	list("attack_techniques", f.techs)
	if im := f.impact; im.present {
		b.WriteString("impact:\n")
		fmt.Fprintf(b, "  users_affected: %d\n", im.users)
		if !im.omitRecords {
			fmt.Fprintf(b, "  records_exposed: %d\n", im.records)
		}
		if !im.omitDown {
			fmt.Fprintf(b, "  downtime_minutes: %d\n", im.downtime)
		}
		if !im.omitCost {
			fmt.Fprintf(b, "  cost_usd: %s\n", strconv.FormatFloat(im.cost, 'f', -1, 64))
		}
		fmt.Fprintf(b, "  reputation: %s\n", im.reputation)
	}
	if len(f.actions) > 0 {
		b.WriteString("actions:\n")
		for _, a := range f.actions {
			fmt.Fprintf(b, "  - title: %s\n    owner: %s\n    priority: %s\n    due: %s\n    status: %s\n",
				yq(a.title), a.owner, a.priority, a.due.Format("2006-01-02"), a.status)
			if !a.doneOn.IsZero() {
				fmt.Fprintf(b, "    done_on: %s\n", a.doneOn.Format("2006-01-02"))
			}
			if a.ticket != "" {
				fmt.Fprintf(b, "    ticket: %s\n", a.ticket)
			}
		}
	}
	var as []string
	for _, a := range f.authors {
		as = append(as, yq(a))
	}
	list("authors", as)
	var rel []string
	for _, o := range f.related {
		rel = append(rel, o.id)
	}
	list("related", rel)
	if f.public {
		b.WriteString("visibility: public\n")
	} else {
		b.WriteString("visibility: internal\n")
	}
	list("tags", f.tags)
	b.WriteString("---\n")
}

// relLink returns the relative Markdown link from file from to file to
// (both slash paths under content/postmortems/<year>/).
func relLink(from, to string) string {
	if path.Dir(from) == path.Dir(to) {
		return path.Base(to)
	}
	return "../" + path.Base(path.Dir(to)) + "/" + path.Base(to)
}
