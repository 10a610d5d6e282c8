package postmortem

import (
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem/timeline"
)

// Postmortem is one parsed postmortem file.
type Postmortem struct {
	// Path is the slash-separated path relative to the KB root.
	Path string
	// Format is the front matter syntax: "yaml", "toml", "json", or "" when
	// there is none.
	Format string

	ID         string
	Title      string
	Severity   string
	Status     string
	Category   string
	Drill      bool
	NearMiss   bool
	Started    time.Time
	Detected   time.Time
	Contained  time.Time
	Resolved   time.Time
	RootCauses []string
	Systems    []string
	// DataInvolved are the data kinds involved (taxonomy "data").
	DataInvolved     []string
	Detection        string
	AttackTechniques []string
	Impact           Impact
	Actions          []Action
	Authors          []string
	Related          []string
	Visibility       string
	Tags             []string

	// Fields records the position of every front matter value that was
	// present, by key path: "severity", "root_causes", "root_causes[1]",
	// "actions[0]", "actions[0].owner", "impact.cost_usd". The position is
	// the value's (for a missing value, the key's).
	Fields map[string]diag.Pos
	// FrontMatter is the position of the opening delimiter (line 1 col 1 in
	// almost every file); used for "missing key" messages.
	FrontMatter diag.Pos

	Body Body

	// Source is the file's content (BOM removed). Kept so rules that scan
	// text (secrets) have exact offsets; nil when the loader drops it.
	// Nothing writes to it: Body.Prose's texts share its memory.
	Source []byte
	// Lines holds the byte offset of the start of each line of Source.
	Lines []int

	// Problems are what stopped a value from being read.
	Problems []diag.Diagnostic
}

// Impact is the impact map of the front matter. Nil pointers mean absent.
type Impact struct {
	UsersAffected   *int64
	RecordsExposed  *int64
	DowntimeMinutes *int64
	CostUSD         *float64
	Reputation      string
}

// Action is one corrective action.
type Action struct {
	Title    string
	Owner    string
	Priority string
	// Status is open, in-progress, done or wont-do; "" was normalised to
	// open.
	Status string
	Due    time.Time // a date at 00:00 in the config timezone; zero if absent
	DoneOn time.Time
	Ticket string
	// Index is the action's place in the list (0-based).
	Index int
	Pos   diag.Pos
}

// IsOpen reports whether the action still needs doing.
func (a Action) IsOpen() bool { return a.Status == "open" || a.Status == "in-progress" }

// Overdue reports whether an open action's due date is before today (in
// loc).
func (a Action) Overdue(now time.Time, loc *time.Location) bool {
	if !a.IsOpen() || a.Due.IsZero() {
		return false
	}
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	return a.Due.Before(today)
}

// Body is what the parser found in the Markdown after the front matter.
type Body struct {
	// Line is the 1-based line the Markdown starts on.
	Line     int
	Sections []Section
	Timeline []TimelineEntry
	Links    []Link
	// Prose holds the text runs outside code, with their positions, for
	// language rules (blame-language).
	Prose []Span
	// Ignores are the <!-- hindsight-ignore RULE --> comments.
	Ignores []Ignore
	// Text is the body as plain text (headings, prose, code), for search.
	Text string
	// HTML is the rendered body; filled only when ParseOptions.RenderHTML
	// is set.
	HTML string
	// Headings lists every heading (all levels) with its anchor id, for
	// a table of contents.
	Headings []Heading
	// Nested lists the headings inside block quotes and lists, which
	// start no section, each with the top-level block holding it (see
	// Body.Without).
	Nested []NestedHeading
}

// Section is an H2 section.
type Section struct {
	Title string
	Pos   diag.Pos
	// EndLine is the last line of the section (before the next H2).
	EndLine int
	// Text is the section's content as plain text (without the heading).
	Text string
	// Anchor is the heading's id attribute in the rendered page.
	Anchor string
}

// Heading is one heading of the body.
type Heading struct {
	Level  int
	Title  string
	Anchor string
	Pos    diag.Pos
	// HTMLOffset and TextOffset are where the heading starts in
	// Body.HTML (-1 when the body was not rendered) and in Body.Text: its
	// section runs to the next heading of its level or higher (see
	// Body.Without).
	HTMLOffset, TextOffset int
}

// TimelineEntry is one entry of the Timeline section.
type TimelineEntry struct {
	Pos diag.Pos
	// TimeText is the time as written ("2025-03-14 09:12 UTC", "09:40").
	TimeText string
	// Placed is where the entry lies in time (Time, OK, Inherited,
	// Approx, DateOnly, End, Refused).
	timeline.Placed
	// Text is the entry's description without the time.
	Text string
}

// Link is a Markdown link or image destination.
type Link struct {
	Dest  string
	Pos   diag.Pos
	Image bool
	// HTMLOffset is where the link's element (<a or <img) starts in
	// Body.HTML; -1 when the body was not rendered (see Body.Unlink).
	HTMLOffset int
}

// Span is a run of text with the position of its first byte.
type Span struct {
	Text string
	Pos  diag.Pos
	// Offset is the byte offset of Text in Source.
	Offset int
}

// Ignore is a suppression comment: Rules (empty means all) are not
// reported on lines From..To.
type Ignore struct {
	Rules    []string
	Pos      diag.Pos
	From, To int
}

// Suppressed reports whether rule is exempted on line.
func (b *Body) Suppressed(rule string, line int) bool {
	for _, ig := range b.Ignores {
		if line < ig.From || line > ig.To {
			continue
		}
		if len(ig.Rules) == 0 {
			return true
		}
		for _, r := range ig.Rules {
			if r == rule {
				return true
			}
		}
	}
	return false
}

// URLID returns the id as used in URLs: lower-cased.
func (p *Postmortem) URLID() string { return strings.ToLower(p.ID) }

// URL returns the site-relative URL path of the postmortem page, e.g.
// "postmortems/2024-03-edge-cert/".
func (p *Postmortem) URL() string { return "postmortems/" + p.URLID() + "/" }

// Newer reports whether p comes before q in the order every list of
// postmortems uses: the later started first, then by id.
func (p *Postmortem) Newer(q *Postmortem) bool {
	if !p.Started.Equal(q.Started) {
		return p.Started.After(q.Started)
	}
	return p.ID < q.ID
}

// IsDraft reports whether status is draft.
func (p *Postmortem) IsDraft() bool { return p.Status == "draft" }

// IsPublic reports whether the postmortem may appear in a public build.
func (p *Postmortem) IsPublic() bool { return p.Visibility == "public" && p.Status == "published" }

// PosOf returns the position recorded for a field path, or the front
// matter's position when the field is absent.
func (p *Postmortem) PosOf(path string) diag.Pos {
	if pos, ok := p.Fields[path]; ok {
		return pos
	}
	return p.FrontMatter
}

// HasField reports whether the front matter had a value at path.
func (p *Postmortem) HasField(path string) bool {
	_, ok := p.Fields[path]
	return ok
}

// Position converts a byte offset of Source into a 1-based line and column
// (column counted in bytes + 1).
func (p *Postmortem) Position(off int) diag.Pos { return PosAt(p.Lines, off) }

// PosAt converts a byte offset into a position given line start offsets.
func PosAt(lines []int, off int) diag.Pos {
	lo, hi := 0, len(lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if len(lines) == 0 {
		return diag.Pos{Line: 1, Col: off + 1}
	}
	return diag.Pos{Line: lo + 1, Col: off - lines[lo] + 1}
}

// Page is a non-postmortem content page (content/*.md).
type Page struct {
	Path        string
	Slug        string
	Title       string
	Description string
	Weight      int
	Body        Body
	Problems    []diag.Diagnostic
	// Source is the file's content (BOM removed) and Lines its line
	// starts, for rules that scan text (secrets). Pages are few, so they
	// are kept.
	Source []byte
	Lines  []int
}

// URL returns the site-relative URL path of the page, e.g. "about/".
func (p *Page) URL() string { return p.Slug + "/" }
