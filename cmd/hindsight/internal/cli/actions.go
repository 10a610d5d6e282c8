package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/check/report"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/trend"
	"github.com/spf13/cobra"
)

// actionsFlags are the options of `hindsight actions`.
type actionsFlags struct {
	overdue, all, drafts, failOnOverdue bool
	owners, priorities, statuses        []string
	group, format                       string
}

func newActionsCmd(e *env) *cobra.Command {
	var f actionsFlags
	cmd := &cobra.Command{
		Use:   "actions",
		Short: "Review corrective actions: open, overdue, by owner and priority",
		Long: `actions lists the corrective actions of every postmortem for the weekly
follow-up review: open and in-progress actions by default (add --all for
done and won't-do ones too), overdue first with the days they are late.

An action is overdue when its status is open or in-progress and its due date
is before today in the configured timezone. Drafts are left out unless
--drafts. HINDSIGHT_NOW (YYYY-MM-DD or RFC 3339) fixes "today".

--fail-on-overdue exits with status 1 when any listed action of the two most
urgent configured priorities (P0 and P1 by default) is overdue, so a
scheduled CI job can nag.

--format json prints one object:
  {"as_of","timezone","actions":[{"postmortem","postmortem_title","file","line",
   "title","owner","priority","status","due","done_on","overdue",
   "days_overdue","ticket","url"}],
   "summary":{"total","open","in_progress","overdue","overdue_urgent","done","wont_do"}}

Exit status: 0 done, 1 overdue urgent actions with --fail-on-overdue, 2 could
not run.`,
		Example: `  hindsight actions
  hindsight actions --overdue --group owner
  hindsight actions --owner team-edge --priority P0,P1
  hindsight actions --all --format json > actions.json
  hindsight actions --fail-on-overdue   # in a scheduled CI job`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runActions(e, f) },
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.overdue, "overdue", false, "only overdue actions")
	fl.BoolVar(&f.all, "all", false, "include done and won't-do actions")
	fl.StringSliceVar(&f.owners, "owner", nil, "only actions of these owners (repeat or comma-separate; case-insensitive)")
	fl.StringSliceVar(&f.priorities, "priority", nil, "only actions of these priorities (repeat or comma-separate)")
	fl.StringSliceVar(&f.statuses, "status", nil, "only actions with these statuses: open, in-progress, done, wont-do")
	fl.StringVar(&f.group, "group", "status", "group the text table by status, owner or priority")
	fl.StringVarP(&f.format, "format", "f", "text", "output format: text or json")
	fl.BoolVar(&f.drafts, "drafts", false, "include draft postmortems")
	fl.BoolVar(&f.failOnOverdue, "fail-on-overdue", false, "exit 1 when a P0/P1 (first two priorities) action is overdue")
	return cmd
}

// actionsFormats and actionsGroups are the values of actions' --format
// and --group; its --status takes check.ActionStatuses.
var (
	actionsFormats = []string{"text", "json"}
	actionsGroups  = []string{"status", "owner", "priority"}
)

// orList writes list as "a, b or c".
func orList(list []string) string {
	if len(list) < 2 {
		return strings.Join(list, "")
	}
	return strings.Join(list[:len(list)-1], ", ") + " or " + list[len(list)-1]
}

func runActions(e *env, f actionsFlags) error {
	if !slices.Contains(actionsFormats, f.format) {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("unknown --format %q; use %s", f.format, orList(actionsFormats))}
	}
	if !slices.Contains(actionsGroups, f.group) {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("unknown --group %q; use %s", f.group, orList(actionsGroups))}
	}
	statuses := check.ActionStatuses()
	for _, s := range f.statuses {
		if !slices.Contains(statuses, s) {
			return &ExitError{Code: ExitFailure, Err: fmt.Errorf("unknown --status %q; use %s", s, orList(statuses))}
		}
	}
	root, err := e.absRoot()
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	cfg, err := loadConfig(e, root)
	if err != nil {
		return err
	}
	for _, p := range f.priorities {
		if !contains(cfg.Priorities, p) {
			return &ExitError{Code: ExitFailure, Err: fmt.Errorf("unknown --priority %q; configured priorities are %s", p, strings.Join(cfg.Priorities, ", "))}
		}
	}
	k, err := kb.Load(root, cfg, kb.Options{Bodies: func(string) bool { return false }}) // actions are front matter
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if n := len(k.Problems); n > 0 {
		fmt.Fprintf(e.stderr, "hindsight: warning: %d file(s) could not be read and are left out; run hindsight check\n", n)
	}
	var ps []*postmortem.Postmortem
	for _, p := range k.Postmortems {
		if f.drafts || !p.IsDraft() {
			ps = append(ps, p)
		}
	}
	now := e.now()
	all := trend.ActionList(ps, cfg, now)
	rows := filterActions(all, f)
	urgent := cfg.Priorities
	if len(urgent) > 2 {
		urgent = urgent[:2]
	}
	overdueUrgent := 0
	for _, r := range rows {
		if r.Overdue && contains(urgent, r.Action.Priority) {
			overdueUrgent++
		}
	}
	if f.format == "json" {
		err = printActionsJSON(e.stdout, rows, cfg, now, overdueUrgent)
	} else {
		err = printActionsText(e.stdout, rows, cfg, now, f, overdueUrgent, urgent, newPalette(e.colorOn(e.stdout)))
	}
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if f.failOnOverdue && overdueUrgent > 0 {
		return &ExitError{Code: ExitProblems, Err: fmt.Errorf("%d %s action(s) overdue", overdueUrgent, strings.Join(urgent, "/"))}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func filterActions(rows []trend.ActionRow, f actionsFlags) []trend.ActionRow {
	var out []trend.ActionRow
	for _, r := range rows {
		a := r.Action
		switch {
		case f.overdue && !r.Overdue:
			continue
		case len(f.statuses) > 0 && !contains(f.statuses, a.Status):
			continue
		case len(f.statuses) == 0 && !f.all && !a.IsOpen():
			continue
		case len(f.priorities) > 0 && !contains(f.priorities, a.Priority):
			continue
		}
		if len(f.owners) > 0 {
			ok := false
			for _, o := range f.owners {
				if strings.EqualFold(strings.TrimSpace(o), a.Owner) {
					ok = true
				}
			}
			if !ok {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// actionJSON is one action of the JSON output.
type actionJSON struct {
	Postmortem      string `json:"postmortem"`
	PostmortemTitle string `json:"postmortem_title"`
	File            string `json:"file"`
	Line            int    `json:"line"`
	Title           string `json:"title"`
	Owner           string `json:"owner"`
	Priority        string `json:"priority"`
	Status          string `json:"status"`
	Due             string `json:"due"`
	DoneOn          string `json:"done_on,omitempty"`
	Overdue         bool   `json:"overdue"`
	DaysOverdue     int    `json:"days_overdue"`
	Ticket          string `json:"ticket,omitempty"`
	URL             string `json:"url"`
}

type actionsSummaryJSON struct {
	Total         int `json:"total"`
	Open          int `json:"open"`
	InProgress    int `json:"in_progress"`
	Overdue       int `json:"overdue"`
	OverdueUrgent int `json:"overdue_urgent"`
	Done          int `json:"done"`
	WontDo        int `json:"wont_do"`
}

func day(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02")
}

func printActionsJSON(w io.Writer, rows []trend.ActionRow, cfg *config.Config, now time.Time, overdueUrgent int) error {
	loc := cfg.Location
	doc := struct {
		AsOf     string             `json:"as_of"`
		Timezone string             `json:"timezone"`
		Actions  []actionJSON       `json:"actions"`
		Summary  actionsSummaryJSON `json:"summary"`
	}{AsOf: day(now, loc), Timezone: cfg.Timezone, Actions: []actionJSON{}}
	for _, r := range rows {
		a := r.Action
		doc.Actions = append(doc.Actions, actionJSON{
			Postmortem: r.Postmortem.ID, PostmortemTitle: r.Postmortem.Title, File: r.Postmortem.Path, Line: a.Pos.Line,
			Title: a.Title, Owner: a.Owner, Priority: a.Priority, Status: a.Status,
			Due: day(a.Due, loc), DoneOn: day(a.DoneOn, loc), Overdue: r.Overdue, DaysOverdue: r.DaysOverdue,
			Ticket: a.Ticket, URL: cfg.BaseURL + r.Postmortem.URL(),
		})
	}
	s := trend.SummarizeActions(rows)
	doc.Summary = actionsSummaryJSON{Total: s.Total, Open: s.Open, InProgress: s.InProgress, Overdue: s.Overdue,
		OverdueUrgent: overdueUrgent, Done: s.Done, WontDo: s.WontDo}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func printActionsText(w io.Writer, rows []trend.ActionRow, cfg *config.Config, now time.Time, f actionsFlags, overdueUrgent int, urgent []string, pal palette) error {
	red, bold, reset := pal.red, pal.bold, pal.reset
	s := trend.SummarizeActions(rows)
	fmt.Fprintf(w, "%sCorrective actions as of %s (%s)%s: %d open (%d in progress), %d overdue", bold, day(now, cfg.Location), cfg.Timezone, reset, s.Open, s.InProgress, s.Overdue)
	if overdueUrgent > 0 {
		fmt.Fprintf(w, " (%s%d %s%s)", red, overdueUrgent, strings.Join(urgent, "/"), reset)
	}
	if f.all || len(f.statuses) > 0 {
		fmt.Fprintf(w, ", %d done, %d won't do", s.Done, s.WontDo)
	}
	fmt.Fprintln(w)
	if len(rows) == 0 {
		fmt.Fprintln(w, "\nNo actions match.")
		return nil
	}
	for _, g := range groupActions(rows, cfg, f.group) {
		if err := printActionGroup(w, g, cfg.Location, f.group, pal); err != nil {
			return err
		}
	}
	if s.Overdue > 0 {
		fmt.Fprintf(w, "\n! overdue: open or in progress and due before today. Finish the action (status: done, done_on: YYYY-MM-DD), agree a new due date, or close it with status: wont-do.\n")
	}
	return nil
}

// actionGroup is one titled group of the text listing.
type actionGroup struct {
	title string
	rows  []trend.ActionRow
}

// overdue is how many of g's actions are overdue.
func (g *actionGroup) overdue() int {
	n := 0
	for _, r := range g.rows {
		if r.Overdue {
			n++
		}
	}
	return n
}

// groupActions groups rows by status (the default), owner or priority.
// Groups keep the rows' review order (overdue first, then priority);
// owners with the most overdue come first, then by name; priorities in
// config order.
func groupActions(rows []trend.ActionRow, cfg *config.Config, by string) []*actionGroup {
	var groups []*actionGroup
	index := map[string]*actionGroup{}
	titles := map[string]string{trend.GroupOverdue: "OVERDUE", trend.GroupOpen: "OPEN", trend.GroupDone: "DONE", trend.GroupWontDo: "WON'T DO"}
	for _, r := range rows {
		var key string
		switch by {
		case "owner":
			key = r.Action.Owner
			if key == "" {
				key = "(no owner)"
			}
		case "priority":
			key = r.Action.Priority
		default:
			key = titles[r.Group]
		}
		g := index[key]
		if g == nil {
			g = &actionGroup{title: key}
			index[key] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, r)
	}
	switch by {
	case "priority":
		rank := map[string]int{}
		for i, p := range cfg.Priorities {
			rank[p] = i + 1
		}
		sortGroups(groups, func(a, b *actionGroup) bool {
			ra, rb := rank[a.title], rank[b.title]
			if ra == 0 {
				ra = 1 << 30
			}
			if rb == 0 {
				rb = 1 << 30
			}
			if ra != rb {
				return ra < rb
			}
			return a.title < b.title
		})
	case "owner":
		sortGroups(groups, func(a, b *actionGroup) bool {
			if oa, ob := a.overdue(), b.overdue(); oa != ob {
				return oa > ob
			}
			return strings.ToLower(a.title) < strings.ToLower(b.title)
		})
	}
	return groups
}

// printActionGroup prints one group: its title line and a table of its
// actions.
func printActionGroup(w io.Writer, g *actionGroup, loc *time.Location, by string, pal palette) error {
	red, bold, reset := pal.red, pal.bold, pal.reset
	color := pal.reset != ""
	fmt.Fprintf(w, "\n%s%s%s (%d", bold, report.Printable(g.title), reset, len(g.rows))
	if n := g.overdue(); n > 0 && by != "status" {
		fmt.Fprintf(w, ", %s%d overdue%s", red, n, reset)
	}
	fmt.Fprintln(w, ")")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "  PRI\tDUE\tLATE\tSTATUS\tOWNER\tACTION\tPOSTMORTEM\tTICKET"
	if color {
		head = pal.fg + head + reset
	}
	fmt.Fprintln(tw, head)
	for _, r := range g.rows {
		line := actionLine(r, loc)
		if color {
			// tabwriter counts escape bytes as width: every line gets
			// a 5-byte code (red, or default colour) so columns align.
			if r.Overdue {
				line = red + line + reset
			} else {
				line = pal.fg + line + reset
			}
		}
		fmt.Fprintln(tw, line)
	}
	return tw.Flush()
}

// actionLine is the table row of one action, its cells separated by tabs.
func actionLine(r trend.ActionRow, loc *time.Location) string {
	a := r.Action
	late := ""
	switch {
	case r.Overdue:
		late = fmt.Sprintf("%d d", r.DaysOverdue)
	case a.IsOpen() && !a.Due.IsZero():
		late = fmt.Sprintf("in %d d", r.DueIn)
	case a.Status == "done" && !a.DoneOn.IsZero():
		late = "done " + day(a.DoneOn, loc)
	}
	mark := " "
	if r.Overdue {
		mark = "!"
	}
	owner := a.Owner
	if owner == "" {
		owner = "-"
	}
	due := day(a.Due, loc)
	if due == "" {
		due = "-"
	}
	// Values from the KB: terminal-unsafe characters escaped, and tabs too
	// (they would split tabwriter's columns).
	return fmt.Sprintf("%s %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", mark, report.Printable(a.Priority), due, late, report.Printable(a.Status),
		report.Printable(owner), report.Printable(truncateRunes(a.Title, 48)), report.Printable(r.Postmortem.ID), report.Printable(a.Ticket))
}

// sortGroups is a stable insertion sort (a handful of groups).
func sortGroups[T any](gs []T, less func(a, b T) bool) {
	for i := 1; i < len(gs); i++ {
		for j := i; j > 0 && less(gs[j], gs[j-1]); j-- {
			gs[j], gs[j-1] = gs[j-1], gs[j]
		}
	}
}
