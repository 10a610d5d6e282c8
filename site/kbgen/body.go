package kbgen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// writer writes the Markdown body of one postmortem.
type writer struct {
	r *rand.Rand
	g *gen
	f *fileData
	m *meta
	b *bytes.Buffer
}

func (w *writer) pick(xs []string) string { return xs[w.r.IntN(len(xs))] }

func (w *writer) zipf(xs []string, s float64) string { return xs[zipfIndex(w.r, len(xs), s)] }

func (w *writer) sys(k int) string {
	if k < len(w.m.systems) {
		return systems[w.m.systems[k]].title
	}
	return systems[zipfIndex(w.r, len(systems), 1.1)].title
}

func (w *writer) team() string {
	if w.r.IntN(3) > 0 {
		return systems[w.m.systems[w.r.IntN(len(w.m.systems))]].owner
	}
	return teams[w.r.IntN(len(teams))].name
}

// host returns a made-up host name: a long tail of rare terms for search.
func (w *writer) host() string {
	regions := []string{"eu-west-1", "us-east-1", "ap-south-1", "eu-central-1", "us-west-2"}
	s := systems[w.m.systems[0]].slug
	return fmt.Sprintf("%s-%d.%s", s, 1+w.r.IntN(40), w.pick(regions))
}

// fill replaces {placeholders} in t. A placeholder written with a capital
// first letter capitalises its value.
func (w *writer) fill(t string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			break
		}
		j := strings.IndexByte(t[i:], '}')
		b.WriteString(t[:i])
		key := t[i+1 : i+j]
		t = t[i+j+1:]
		v := w.value(strings.ToLower(key[:1]) + key[1:])
		if key[0] >= 'A' && key[0] <= 'Z' {
			v = upperFirst(v)
		}
		b.WriteString(v)
	}
	return fixArticles(b.String())
}

// fixArticles turns "a" into "an" before a word that starts with a vowel
// sound (roughly: a vowel letter, except "us…", "uni…", "eu…").
func fixArticles(s string) string {
	if !strings.Contains(s, "a ") && !strings.Contains(s, "A ") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		b.WriteByte(c)
		if (c != 'a' && c != 'A') || i+2 >= len(s) || s[i+1] != ' ' || (i > 0 && isLetter(s[i-1])) {
			continue
		}
		rest := strings.ToLower(s[i+2:])
		if strings.ContainsRune("aeiou", rune(rest[0])) && !strings.HasPrefix(rest, "us") &&
			!strings.HasPrefix(rest, "uni") && !strings.HasPrefix(rest, "eu") {
			b.WriteByte('n')
		}
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func (w *writer) value(key string) string {
	r := w.r
	switch key {
	case "date":
		return w.m.started.Format("2 January 2006")
	case "cause":
		k := 0
		if r.IntN(3) == 0 {
			k = r.IntN(len(w.m.causes))
		}
		return causes[w.m.causes[k]].phrase
	case "sys":
		return w.sys(0)
	case "sys2":
		return w.sys(1 + r.IntN(2))
	case "symptom":
		return w.m.symptom
	case "dur":
		return humanDuration(w.m.resolved.Sub(w.m.started))
	case "ttd":
		return humanDuration(w.m.detected.Sub(w.m.started))
	case "adj":
		return w.zipf(adjectives, 1.1)
	case "metric":
		return w.zipf(metrics, 1.1)
	case "tech", "tech2", "tech3":
		return w.zipf(techNouns, 1.05)
	case "rare":
		return w.pick(rareWords)
	case "verb":
		return w.pick(pastVerbs)
	case "verbPresent":
		return w.pick(presentVerbs)
	case "verbBase":
		return w.pick(baseVerbs)
	case "cond":
		return w.pick(conditions)
	case "team", "team2":
		return w.team()
	case "n":
		return fmt.Sprint(2 + r.IntN(60))
	case "pct":
		return fmt.Sprint(1 + r.IntN(60))
	case "change":
		return fmt.Sprintf("CHG-%d", 10000+r.IntN(90000))
	case "nth":
		return []string{"second", "third", "fourth", "fifth"}[r.IntN(4)]
	}
	return key
}

func humanDuration(d time.Duration) string {
	m := int(d.Minutes())
	switch {
	case m < 90:
		if m <= 1 {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", m)
	case m < 48*60:
		return fmt.Sprintf("%d hours", (m+30)/60)
	}
	return fmt.Sprintf("%d days", (m+12*60)/(24*60))
}

func (w *writer) para(templates []string, lo, hi int) {
	n := lo + w.r.IntN(hi-lo+1)
	// Draw distinct templates so a paragraph does not repeat itself.
	idx := w.r.Perm(len(templates))
	for k := 0; k < n && k < len(idx); k++ {
		if k > 0 {
			w.b.WriteByte(' ')
		}
		w.b.WriteString(w.fill(templates[idx[k]]))
	}
	w.b.WriteString("\n\n")
}

func (w *writer) h2(title string) {
	if !bytes.HasSuffix(w.b.Bytes(), []byte("\n\n")) {
		w.b.WriteByte('\n')
	}
	fmt.Fprintf(w.b, "## %s\n\n", title)
}

func (w *writer) body() {
	w.h2(w.pick([]string{"Summary", "Summary", "Summary", "Executive Summary"}))
	if w.m.drill {
		fmt.Fprintf(w.b, "This was a planned exercise, not a real incident: %s rehearsed %s on the %s.\n\n", w.team(), w.m.symptom, w.sys(0))
	}
	if w.m.nearMiss {
		fmt.Fprintf(w.b, "This was a near miss: %s was caught before it caused %s.\n\n", causes[w.m.causes[0]].phrase, w.m.symptom)
	}
	w.para(summaryTemplates, 3, 5)

	w.h2("Timeline")
	w.timeline()

	if w.f.codeLogs || w.r.IntN(3) == 0 {
		w.h2("Detection")
		fmt.Fprintf(w.b, "Detected by %s after %s.", strings.ReplaceAll(w.f.detectOr("internal-alert"), "-", " "), humanDuration(w.m.detected.Sub(w.m.started)))
		w.b.WriteString(" ")
		// The "contributing factor" and "why so long" templates read well
		// under Detection.
		w.para(rcaTemplates[8:11], 1, 2)
		if w.f.codeLogs {
			w.logBlock()
		}
	}

	w.h2(w.pick([]string{"Root Cause Analysis", "Root Cause Analysis", "Root Causes", "RCA"}))
	w.para(rcaTemplates, 3, 5)
	for _, c := range w.m.causes {
		fmt.Fprintf(w.b, "- **%s.** %s %s\n", causes[c].title, causes[c].desc, w.fill(w.pick(rcaTemplates)))
	}
	w.b.WriteString("\n")
	for _, o := range w.f.related {
		fmt.Fprintf(w.b, "A related incident: [%s](%s).\n\n", o.title, relLink(w.m.path, o.path))
	}

	w.h2(w.pick([]string{"Impact Assessment", "Impact Assessment", "Impact"}))
	w.impactTable()
	w.para(impactTemplates, 2, 3)

	w.h2(w.pick([]string{"Corrective Actions", "Corrective Actions", "Action Items", "Remediation"}))
	if len(w.f.actions) == 0 {
		w.b.WriteString("Actions are still being agreed with the owning teams; this draft lists the candidates discussed so far: monitoring, a runbook update and a review of the change process.\n\n")
	} else {
		w.b.WriteString("Priorities follow the risk each action removes.\n\n")
		for _, a := range w.f.actions {
			fmt.Fprintf(w.b, "- **%s** %s (%s, due %s, %s)", a.priority, a.title, a.owner, a.due.Format("2006-01-02"), a.status)
			if a.ticket != "" {
				fmt.Fprintf(w.b, " `%s`", a.ticket)
			}
			w.b.WriteString("\n")
		}
		w.b.WriteString("\n")
	}

	w.h2(w.pick([]string{"Communication", "Communication", "Communications", "Stakeholder Communication"}))
	n := 2 + w.r.IntN(3)
	for _, k := range w.r.Perm(len(commsTemplates))[:n] {
		fmt.Fprintf(w.b, "- %s\n", w.fill(commsTemplates[k]))
	}

	w.h2("Lessons Learned")
	n = 2 + w.r.IntN(3)
	for _, k := range w.r.Perm(len(lessonTemplates))[:n] {
		fmt.Fprintf(w.b, "- %s\n", w.fill(lessonTemplates[k]))
	}
	if w.r.IntN(10) < 3 {
		w.h2("Follow-up")
		fmt.Fprintf(w.b, "%s reviews the actions at the monthly operations review; the %s rehearsal is planned for next quarter. Watch for %s and %s.\n", w.team(), w.zipf(techNouns, 1.05), w.pick(rareWords), w.pick(rareWords))
	}
}

func (f *fileData) detectOr(def string) string {
	if f.detect == "" {
		return def
	}
	return f.detect
}

type entry struct {
	t    time.Time
	text string
	// order breaks ties between entries at the same minute.
	order int
}

func (w *writer) timeline() {
	m := w.m
	end := m.resolved
	if !m.hasRes {
		end = m.contained
		if !m.hasContained {
			end = m.detected.Add(30 * time.Minute)
		}
	}
	es := []entry{
		{m.started, w.fill(w.pick(timelineBefore)), 0},
		{m.detected, w.fill(w.pick(timelineDetect)), 2},
	}
	if m.hasContained {
		es = append(es, entry{m.contained, w.fill(w.pick(timelineContain)), 4})
	}
	if m.hasRes {
		es = append(es, entry{m.resolved, w.pick(timelineResolve), 6})
	}
	extra := 5 + w.r.IntN(11) - len(es)
	for k := 0; k < extra; k++ {
		var lo, hi time.Time
		var bank []string
		order := 0
		switch p := w.r.IntN(100); {
		case p < 15 && m.detected.After(m.started):
			lo, hi, bank, order = m.started, m.detected, timelineBefore, 1
		case p < 60 || !m.hasContained:
			lo, hi, bank, order = m.detected, end, timelineRespond, 3
			if m.hasContained && m.contained.Before(end) {
				hi = m.contained
			}
		default:
			lo, hi, bank, order = m.contained, end, timelineRecover, 5
		}
		if hi.Before(lo) {
			hi = lo
		}
		t := lo.Add(time.Duration(w.r.Int64N(int64(hi.Sub(lo)) + 1))).Truncate(time.Minute)
		if t.Before(lo) {
			t = lo
		}
		es = append(es, entry{t, w.fill(w.pick(bank)), order})
	}
	sort.SliceStable(es, func(a, b int) bool {
		if !es[a].t.Equal(es[b].t) {
			return es[a].t.Before(es[b].t)
		}
		return es[a].order < es[b].order
	})
	table := w.r.IntN(10) == 0
	if table {
		w.b.WriteString("| Time (UTC) | Event |\n|---|---|\n")
	}
	day := ""
	for _, e := range es {
		d := e.t.Format("2006-01-02")
		stamp := e.t.Format("15:04")
		if d != day {
			stamp = d + " " + stamp + " UTC"
			day = d
		}
		if table {
			fmt.Fprintf(w.b, "| %s | %s |\n", stamp, e.text)
		} else {
			fmt.Fprintf(w.b, "- %s — %s\n", stamp, e.text)
		}
	}
	w.b.WriteString("\n")
}

func (w *writer) impactTable() {
	im := w.f.impact
	m := w.m
	w.b.WriteString("| Measure | Value |\n|---|---|\n")
	fmt.Fprintf(w.b, "| Users affected | %s |\n", thousands(im.users))
	if im.records > 0 {
		fmt.Fprintf(w.b, "| Records exposed | %s |\n", thousands(im.records))
	}
	if im.downtime > 0 {
		fmt.Fprintf(w.b, "| Downtime | %s |\n", humanDuration(time.Duration(im.downtime)*time.Minute))
	}
	fmt.Fprintf(w.b, "| Time to detect | %s |\n", humanDuration(m.detected.Sub(m.started)))
	if m.hasRes {
		fmt.Fprintf(w.b, "| Time to resolve | %s |\n", humanDuration(m.resolved.Sub(m.started)))
	}
	if im.cost > 0 {
		fmt.Fprintf(w.b, "| Estimated cost | USD %s |\n", thousands(int64(im.cost)))
	}
	fmt.Fprintf(w.b, "| Reputation | %s |\n\n", im.reputation)
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (w *writer) logBlock() {
	m := w.m
	w.b.WriteString("\n```text\n")
	n := 3 + w.r.IntN(6)
	t := m.started
	span := m.detected.Sub(m.started) + time.Minute
	for k := 0; k < n; k++ {
		t = t.Add(time.Duration(w.r.Int64N(int64(span)/int64(n) + 1))).Truncate(time.Second)
		msg := w.pick(logMessages)
		args := make([]any, strings.Count(msg, "%d"))
		for a := range args {
			args[a] = 1 + w.r.IntN(9000)
		}
		fmt.Fprintf(w.b, "%s %-5s %s[%d]: %s\n", t.Format(rfc), w.pick(logLevels), w.host(), 1000+w.r.IntN(30000), fmt.Sprintf(msg, args...))
	}
	w.b.WriteString("```\n\n")
}
