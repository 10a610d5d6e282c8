package review

import (
	"fmt"
	"time"
)

// Report is the review of the postmortems a pull request changes.
type Report struct {
	// Since is the git ref the changes are compared to ("" when files
	// were named).
	Since string `json:"since,omitempty"`
	// BaseURL is the published site's base_url ("" when unset): the
	// printers link postmortems to it.
	BaseURL string `json:"base_url,omitempty"`
	// Now is the review's clock ("overdue", "the last 12 months").
	Now time.Time `json:"now"`
	// Files are the changed postmortems, by path.
	Files []File `json:"files"`
	// Other are the diagnostics of changed files that are not
	// postmortems (pages, attachments, hindsight.yaml).
	Other []Diagnostic `json:"other_diagnostics"`
	// Summary counts what the review found.
	Summary Summary `json:"summary"`
}

// Summary counts the diagnostics and findings of a Report.
type Summary struct {
	// Files is the number of changed postmortems reviewed.
	Files int `json:"files"`
	// Checked is the number of changed files checked (postmortems,
	// pages, attachments), as `check` counts them.
	Checked  int `json:"checked"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	// Recurrences counts the changed postmortems that recur an earlier
	// incident; NotPrevented those whose earlier incident had a
	// corrective action done before they started.
	Recurrences  int `json:"recurrences"`
	NotPrevented int `json:"action_did_not_prevent"`
	// MissingRelated counts the similar incidents not yet in related:.
	MissingRelated int `json:"missing_related"`
	// Vocabulary counts the causes and systems flagged.
	Vocabulary int `json:"vocabulary"`
}

// File is the review of one changed postmortem.
type File struct {
	Path string `json:"path"`
	// RenamedFrom is the file's previous path when git saw a rename.
	RenamedFrom string `json:"renamed_from,omitempty"`
	// ID and Title are empty when the front matter could not be read.
	ID       string `json:"id,omitempty"`
	Title    string `json:"title,omitempty"`
	Status   string `json:"status,omitempty"`
	Severity string `json:"severity,omitempty"`
	// Started is the incident's start (zero when missing).
	Started time.Time `json:"started,omitzero"`
	// Note says why the knowledge sections are empty, when they are
	// (front matter that could not be read, an id another file has).
	Note string `json:"note,omitempty"`

	Diagnostics []Diagnostic `json:"diagnostics"`
	Errors      int          `json:"errors"`
	Warnings    int          `json:"warnings"`

	// Recurrence is the earlier incident this one recurs, or nil.
	Recurrence *Recurrence `json:"recurrence,omitempty"`
	// RecurredBy are the later incidents that recur this one (a
	// postmortem written after the fact).
	RecurredBy []Ref `json:"recurred_by,omitempty"`

	// Similar are the most similar incidents, most similar first.
	Similar []Similar `json:"similar"`
	// Related is the file's related: list as written.
	Related []string `json:"related"`
	// MissingRelated are the ids of the incident recurred and of the
	// similar incidents sharing a root cause, a system or two words,
	// that related: does not list yet.
	MissingRelated []string `json:"missing_related"`
	// RelatedLine is related: with the missing ids added, ready to paste
	// into the front matter (in its syntax); "" when none is missing.
	RelatedLine string `json:"related_line,omitempty"`

	// Vocabulary are the causes and systems worth a second look.
	Vocabulary []Vocab `json:"vocabulary"`

	Context Context `json:"context"`
}

// Diagnostic is one check problem, as `check --format json` prints it.
type Diagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

// where is file:line:col as check prints it (diag.Diagnostic.Where): no
// line or column when it has none.
func (d Diagnostic) where(prefix string) string {
	w := plain(prefix + d.File)
	if d.Line > 0 {
		w += fmt.Sprintf(":%d", d.Line)
		if d.Column > 0 {
			w += fmt.Sprintf(":%d", d.Column)
		}
	}
	return w
}

// Ref names another postmortem.
type Ref struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Path     string    `json:"path"`
	Severity string    `json:"severity,omitempty"`
	Started  time.Time `json:"started,omitzero"`
	// URL is its page on the published site ("" without base_url).
	URL string `json:"url,omitempty"`
}

// Recurrence is the earlier incident a changed postmortem recurs (SPEC
// §4: the most recent earlier incident sharing a root cause and an
// affected system).
type Recurrence struct {
	Earlier Ref      `json:"earlier"`
	Causes  []string `json:"causes"`
	Systems []string `json:"systems"`
	// ActionDidNotPrevent is true when the earlier incident had a
	// corrective action done before this one started: DoneActions.
	ActionDidNotPrevent bool     `json:"action_did_not_prevent"`
	DoneActions         []Action `json:"done_actions,omitempty"`
}

// Action is a corrective action of a postmortem.
type Action struct {
	Title    string `json:"title"`
	Owner    string `json:"owner,omitempty"`
	Priority string `json:"priority,omitempty"`
	Status   string `json:"status"`
	// Due and DoneOn are dates (YYYY-MM-DD), "" when absent.
	Due     string `json:"due,omitempty"`
	DoneOn  string `json:"done_on,omitempty"`
	Ticket  string `json:"ticket,omitempty"`
	Overdue bool   `json:"overdue"`
	// Of is the postmortem the action belongs to.
	Of Ref `json:"postmortem"`
}

// Similar is one similar incident and why it is similar.
type Similar struct {
	Ref
	// Causes and Systems are the ones both name.
	Causes  []string `json:"shared_causes"`
	Systems []string `json:"shared_systems"`
	// Terms are distinctive words both use, as the changed file writes
	// them, most distinctive first.
	Terms []string `json:"shared_terms"`
	// InRelated is true when the changed file's related: lists it.
	InRelated bool `json:"in_related"`
}

// Vocab is a cause or system worth a second look.
type Vocab struct {
	// Kind is "cause" or "system".
	Kind string `json:"kind"`
	Slug string `json:"slug"`
	// Problem is NotInVocabulary or Unused.
	Problem string `json:"problem"`
	// DidYouMean are the closest existing slugs, closest first.
	DidYouMean []string `json:"did_you_mean"`
}

// Vocabulary problems.
const (
	// NotInVocabulary: the config lists the known slugs, and not this one.
	NotInVocabulary = "not-in-vocabulary"
	// Unused: no other postmortem uses the slug (no vocabulary is
	// configured).
	Unused = "unused"
)

// Context is what the knowledge base already holds about a changed
// postmortem's causes and systems.
type Context struct {
	// From is the start of the window counted: 12 months before Now.
	From time.Time `json:"from"`
	// Incidents counts the other incidents in the window that share a
	// cause or a system with the file.
	Incidents int        `json:"incidents"`
	Causes    []TermLoad `json:"causes"`
	Systems   []TermLoad `json:"systems"`
	// Actions are the open actions of other postmortems on the file's
	// systems, overdue first, then by due date; Overdue counts them.
	Actions []Action `json:"open_actions"`
	Overdue int      `json:"overdue"`
}

// TermLoad is how many other incidents of the window name a cause or
// system.
type TermLoad struct {
	Slug      string `json:"slug"`
	Title     string `json:"title,omitempty"`
	Incidents int    `json:"incidents"`
	// Owner is the system's owning team from the vocabulary.
	Owner string `json:"owner,omitempty"`
}
