package review

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hindsight-kb/hindsight/search/analysis"
	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/similar"
)

// reviewer holds what Finish computed once for every file.
type reviewer struct {
	s     *Stream
	cfg   *config.Config
	g     *graph.Graph
	model *similar.Model
	base  string
}

// Finish completes the review once kb.Load (with KBOptions) returned: the
// checks of what is left (check.Stream.Finish), then the graph of the
// published postmortems and the changed ones (a changed draft counts as
// if it were published, since the review is about what it will be), the
// similarity model, and each changed postmortem's review.
func (s *Stream) Finish(k *kb.KB) *Report {
	cfg := k.Config
	ds := s.check.Finish(k)
	r := &Report{Since: s.opts.Since, BaseURL: cfg.BaseURL, Now: s.opts.Now, Files: []File{}, Other: []Diagnostic{}}
	byFile := map[string][]diag.Diagnostic{}
	for _, d := range ds {
		byFile[d.File] = append(byFile[d.File], d)
	}
	var sel []*postmortem.Postmortem
	for _, p := range k.Postmortems {
		if s.opts.Only(p.Path) {
			sel = append(sel, p)
		}
	}
	rv := &reviewer{s: s, cfg: cfg, base: cfg.BaseURL}
	node := map[*postmortem.Postmortem]*postmortem.Postmortem{}
	if len(sel) > 0 {
		pop := slices.Clip(s.pop) // the changed drafts are appended to a copy
		ids := make(map[string]bool, len(pop))
		for _, p := range pop {
			ids[p.URLID()] = true
		}
		for _, p := range sel {
			if _, ok := s.at[p]; ok {
				node[p] = p
			} else if p.IsDraft() && p.ID != "" && p.Title != "" && !ids[p.URLID()] {
				q := *p
				q.Status = "in-review"
				pop = append(pop, &q)
				node[p] = &q
				ids[p.URLID()] = true
			}
		}
		rv.g = graph.Build(pop, cfg)
		if s.counts != nil {
			if s.cache != nil {
				s.cache.apply(s.counts)
			}
			rv.model = s.counts.Model(similarN, s.opts.Workers)
		}
	}
	isPM := map[string]bool{}
	for _, p := range sel {
		isPM[p.Path] = true
		f := rv.file(p, node[p], byFile[p.Path])
		r.Files = append(r.Files, f)
		r.Summary.Files++
		if f.Recurrence != nil {
			r.Summary.Recurrences++
			if f.Recurrence.ActionDidNotPrevent {
				r.Summary.NotPrevented++
			}
		}
		r.Summary.MissingRelated += len(f.MissingRelated)
		r.Summary.Vocabulary += len(f.Vocabulary)
	}
	for _, d := range ds {
		if !isPM[d.File] {
			r.Other = append(r.Other, toDiagnostic(d))
		}
	}
	r.Summary.Errors, r.Summary.Warnings = diag.Count(ds)
	r.Summary.Checked = check.Files(k, s.opts.Only)
	return r
}

func toDiagnostic(d diag.Diagnostic) Diagnostic {
	return Diagnostic{File: d.File, Line: d.Pos.Line, Column: d.Pos.Col, Severity: d.Severity.String(), Rule: d.Rule, Message: d.Message}
}

// file reviews one changed postmortem p, whose node in the graph is n
// (nil when it has none: front matter that could not be read, or an id
// another postmortem has).
func (rv *reviewer) file(p, n *postmortem.Postmortem, ds []diag.Diagnostic) File {
	f := File{Path: p.Path, RenamedFrom: rv.s.opts.Renamed[p.Path], ID: p.ID, Title: p.Title, Status: p.Status,
		Severity: p.Severity, Started: p.Started, Diagnostics: []Diagnostic{}, Similar: []Similar{},
		Related: append([]string{}, p.Related...), MissingRelated: []string{}, Vocabulary: []Vocab{}}
	for _, d := range ds {
		f.Diagnostics = append(f.Diagnostics, toDiagnostic(d))
	}
	f.Errors, f.Warnings = diag.Count(ds)
	f.Context = Context{From: rv.s.opts.Now.AddDate(-1, 0, 0), Causes: []TermLoad{}, Systems: []TermLoad{}, Actions: []Action{}}
	switch {
	case p.ID == "" || p.Title == "":
		f.Note = "its front matter could not be read (no id or title): fix the errors, then review again"
		return f
	case n == nil:
		f.Note = "another postmortem has the id " + strconv.Quote(p.ID) + ": give this one its own id, then review again"
		return f
	}
	if rec := rv.g.RecurrenceOf(n); rec != nil {
		f.Recurrence = &Recurrence{Earlier: rv.ref(rec.Earlier), Causes: rec.Causes, Systems: rec.Systems,
			ActionDidNotPrevent: rec.ActionDidNotPrevent}
		for _, i := range rec.DoneBefore() {
			f.Recurrence.DoneActions = append(f.Recurrence.DoneActions, rv.action(rec.Earlier, rec.Earlier.Actions[i]))
		}
	}
	for _, rec := range rv.g.RecurredBy(n) {
		f.RecurredBy = append(f.RecurredBy, rv.ref(rec.Later))
	}
	rv.similar(&f, p, n)
	rv.related(&f, p)
	rv.vocabulary(&f, n)
	rv.context(&f, n)
	return f
}

// ref is the Ref of q.
func (rv *reviewer) ref(q *postmortem.Postmortem) Ref {
	r := Ref{ID: q.ID, Title: q.Title, Path: q.Path, Severity: q.Severity, Started: q.Started}
	if rv.base != "" {
		r.URL = rv.base + q.URL()
	}
	return r
}

func (rv *reviewer) action(q *postmortem.Postmortem, a postmortem.Action) Action {
	x := Action{Title: a.Title, Owner: a.Owner, Priority: a.Priority, Status: a.Status, Due: date(a.Due),
		DoneOn: date(a.DoneOn), Ticket: a.Ticket, Overdue: a.Overdue(rv.s.opts.Now, rv.cfg.Location), Of: rv.ref(q)}
	return x
}

// date formats a date as YYYY-MM-DD ("" for the zero time).
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// similar fills f.Similar from the model: n's list as its page would
// show it once published, each with the causes, systems and words the
// two share.
func (rv *reviewer) similar(f *File, p, n *postmortem.Postmortem) {
	if rv.model == nil {
		return
	}
	q := *n
	q.Body.Text = rv.s.texts[p.Path]
	ms := rv.model.MatchesFor(&q)
	words := rv.surface(&q, ms)
	related := map[string]bool{}
	for _, id := range p.Related {
		related[strings.ToLower(id)] = true
	}
	for _, m := range ms {
		o := rv.g.Get(m.ID)
		if o == nil {
			continue
		}
		sm := Similar{Ref: rv.ref(o), Causes: orEmpty(graph.SharedSlugs(n, o, graph.Causes)),
			Systems: orEmpty(graph.SharedSlugs(n, o, graph.Systems)),
			Terms:   []string{}, InRelated: related[o.URLID()]}
		for _, t := range m.Terms {
			if w := words[t]; w != "" && wordy(w) && !slices.Contains(sm.Terms, w) {
				sm.Terms = append(sm.Terms, w)
			}
			if len(sm.Terms) == 5 {
				break
			}
		}
		f.Similar = append(f.Similar, sm)
	}
}

// surface maps each analyzed term of ms to the word q first writes it
// with (lower case): "certificates" rather than the stem "certif".
func (rv *reviewer) surface(q *postmortem.Postmortem, ms []similar.Match) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for _, t := range m.Terms {
			out[t] = ""
		}
	}
	left := len(out)
	for _, text := range []string{q.Title, q.Body.Text} {
		if left == 0 {
			break
		}
		rv.s.a.Each(text, func(tok analysis.Token) {
			if w, ok := out[tok.Term]; ok && w == "" {
				out[tok.Term] = strings.ToLower(text[tok.Start:tok.End])
				left--
			}
		})
	}
	return out
}

// orEmpty returns ss, or an empty list for nil (JSON prints [] rather
// than null).
func orEmpty(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// related fills f.MissingRelated (the incident recurred, then the
// similar incidents, that related: does not list) and f.RelatedLine.
func (rv *reviewer) related(f *File, p *postmortem.Postmortem) {
	have := map[string]bool{strings.ToLower(p.ID): true}
	for _, id := range p.Related {
		have[strings.ToLower(id)] = true
	}
	add := func(id string) {
		if !have[strings.ToLower(id)] {
			have[strings.ToLower(id)] = true
			f.MissingRelated = append(f.MissingRelated, id)
		}
	}
	if f.Recurrence != nil {
		add(f.Recurrence.Earlier.ID)
	}
	for _, sm := range f.Similar {
		if substantial(sm) {
			add(sm.ID)
		}
	}
	if len(f.MissingRelated) > 0 {
		f.RelatedLine = relatedLine(p.Format, append(append([]string{}, p.Related...), f.MissingRelated...))
	}
}

// substantial reports whether a similar incident shares enough to be
// worth a related: link: a root cause or a system, or two distinctive
// words. (In a small knowledge base the model fills its five places
// with incidents that share one common word.)
func substantial(s Similar) bool {
	return len(s.Causes)+len(s.Systems) > 0 || len(s.Terms) >= 2
}

// relatedLine writes related: ids in the front matter syntax format.
func relatedLine(format string, ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = strconv.Quote(id)
		if (format == "yaml" || format == "") && plainYAML(id) {
			q[i] = id
		}
	}
	list := "[" + strings.Join(q, ", ") + "]"
	switch format {
	case "toml":
		return "related = " + list
	case "json":
		return `"related": ` + list + ","
	}
	return "related: " + list
}

// plainYAML reports whether YAML reads id unquoted as the same string:
// an id with a letter that is not a number (0x1f, 1e5), a boolean or
// null.
func plainYAML(id string) bool {
	if !postmortem.IsID(id) || strings.IndexFunc(id, unicode.IsLetter) < 0 || strings.ContainsAny(id[:1], "-._") {
		return false
	}
	if _, err := strconv.ParseFloat(id, 64); err == nil {
		return false
	}
	if _, err := strconv.ParseInt(id, 0, 64); err == nil {
		return false
	}
	switch strings.ToLower(id) {
	case "y", "yes", "n", "no", "true", "false", "on", "off", "null", "inf", "nan":
		return false
	}
	return true
}

// wordy reports whether a term reads as a word (fewer digits than other
// characters): "20t02", a piece of a timestamp, says little to a reader.
func wordy(term string) bool {
	digits := 0
	for _, r := range term {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	return 2*digits < len(term)
}
