package check

import (
	"path"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Options configure a Run.
type Options struct {
	// Now is the clock for action-overdue; the zero time means time.Now().
	Now time.Time
	// Strict makes action-overdue an error (unless config switched it off).
	Strict bool
	// Only selects the files (slash paths relative to the KB root) whose
	// diagnostics are reported; nil means every file. Rules that look
	// across files still see the whole KB.
	Only func(path string) bool
	// Workers is the number of files checked in parallel; 0 means
	// GOMAXPROCS.
	Workers int
}

// Rule is a check with a stable id.
type Rule interface {
	// ID returns the rule id, e.g. "missing-section".
	ID() string
}

// FileRule checks one postmortem. It may read the KB-wide indexes of the
// Context, never other files.
type FileRule interface {
	Rule
	Check(c *Context, p *postmortem.Postmortem) []diag.Diagnostic
}

// TextRule checks the Markdown of any file, postmortem or content page.
type TextRule interface {
	Rule
	CheckText(c *Context, d *Doc) []diag.Diagnostic
}

// Doc is what a TextRule reads: a file's path, its parsed body and its
// text.
type Doc struct {
	Path string
	Body *postmortem.Body
	// Source is the whole file (front matter included); nil when the
	// loader dropped it.
	Source []byte
	// Lines are the byte offsets of the starts of Source's lines.
	Lines []int
}

// Position returns the 1-based line and column of a byte offset of Source.
func (d *Doc) Position(off int) diag.Pos { return postmortem.PosAt(d.Lines, off) }

// Context is what rules share during one Run: the KB, the config, the clock
// and indexes over the whole KB built once.
type Context struct {
	KB     *kb.KB
	Config *config.Config
	Now    time.Time
	Strict bool

	// byID maps a lower-cased id to the first postmortem (by path) that
	// has it.
	byID map[string]*postmortem.Postmortem
	// ids lists every distinct id, for suggestions.
	ids []string
	// files holds every file path of the KB (postmortems, pages, assets,
	// unreadable files), for link targets.
	files map[string]bool
	// mdNames maps the base name of each postmortem file to its path,
	// for broken-link suggestions.
	mdNames map[string]string
	mdList  []string
	// secs are the required then the recommended sections; secNames
	// their normalized names and aliases.
	secs      []config.Section
	secNames  [][]string
	causes    map[string]bool
	systems   map[string]bool
	causeList []string
	sysList   []string
}

// NewContext builds the indexes of k for a run.
func NewContext(k *kb.KB, opts Options) *Context {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	c := &Context{KB: k, Config: k.Config, Now: now, Strict: opts.Strict,
		byID:    make(map[string]*postmortem.Postmortem, len(k.Postmortems)),
		files:   make(map[string]bool, len(k.Postmortems)+len(k.Pages)+len(k.Assets)),
		mdNames: make(map[string]string, len(k.Postmortems)),
	}
	for _, p := range k.Postmortems {
		c.files[p.Path] = true
		id := strings.ToLower(p.ID)
		if _, ok := c.byID[id]; !ok {
			c.byID[id] = p
			c.ids = append(c.ids, p.ID)
		}
		base := path.Base(p.Path)
		if _, ok := c.mdNames[base]; !ok {
			c.mdNames[base] = p.Path
			c.mdList = append(c.mdList, base)
		}
	}
	for _, pg := range k.Pages {
		c.files[pg.Path] = true
	}
	for _, a := range k.Assets {
		c.files[a] = true
	}
	for _, d := range k.Problems {
		if d.File != "" {
			c.files[d.File] = true
		}
	}
	c.secs = append(append([]config.Section(nil), k.Config.RequiredSections...), k.Config.RecommendedSections...)
	for _, s := range c.secs {
		names := []string{config.NormalizeHeading(s.Name)}
		for _, a := range s.Aliases {
			names = append(names, config.NormalizeHeading(a))
		}
		c.secNames = append(c.secNames, names)
	}
	if k.Config.Causes != nil {
		c.causes = map[string]bool{}
		for _, t := range k.Config.Causes {
			c.causes[t.Slug] = true
			c.causeList = append(c.causeList, t.Slug)
		}
	}
	if k.Config.Systems != nil {
		c.systems = map[string]bool{}
		for _, t := range k.Config.Systems {
			c.systems[t.Slug] = true
			c.sysList = append(c.sysList, t.Slug)
		}
	}
	return c
}

// FileRules returns the rules run on every postmortem.
func FileRules() []FileRule {
	return []FileRule{
		missingField{}, invalidValue{}, dateOrder{}, duplicateID{}, unknownRelated{},
		missingSection{}, emptySection{}, duplicateSection{},
		timelineTime{}, timelineOrder{}, timelineRange{},
		actionIncomplete{}, actionOverdue{},
		unknownTerm{rule: "unknown-cause", key: "root_causes", kind: "causes"},
		unknownTerm{rule: "unknown-system", key: "systems", kind: "systems"},
		blameLanguage{},
	}
}

// TextRules returns the rules run on the text of every file, content pages
// included.
func TextRules() []TextRule {
	return []TextRule{brokenLink{}, secret{}}
}

// Run checks k and returns every diagnostic of the selected files, levelled
// by config, without suppressed ones, sorted.
func Run(k *kb.KB, opts Options) []diag.Diagnostic {
	c := NewContext(k, opts)
	only := opts.Only
	if only == nil {
		only = func(string) bool { return true }
	}
	fileRules, textRules := FileRules(), TextRules()
	var out []diag.Diagnostic
	for _, d := range k.Problems {
		if only(d.File) || selectedFolder(d.File, only) {
			out = append(out, d)
		}
	}
	type job struct {
		pm *postmortem.Postmortem
		pg *postmortem.Page
	}
	var jobs []job
	for _, p := range k.Postmortems {
		if only(p.Path) {
			jobs = append(jobs, job{pm: p})
		}
	}
	for _, pg := range k.Pages {
		if only(pg.Path) {
			jobs = append(jobs, job{pg: pg})
		}
	}
	results := make([][]diag.Diagnostic, len(jobs))
	kb.Parallel(len(jobs), opts.Workers, func(i int) {
		if j := jobs[i]; j.pm != nil {
			results[i] = c.checkPostmortem(j.pm, fileRules, textRules)
		} else {
			results[i] = c.checkPage(j.pg, textRules)
		}
	})
	out = append(out, c.checkFiles(only, opts.Workers)...)
	for _, r := range results {
		out = append(out, r...)
	}
	out = c.level(out)
	diag.Sort(out)
	return out
}

// selectedFolder reports whether a folder-level problem (a symlink loop, an
// unreadable folder) lies inside a selected folder: only is asked about a
// file that would be in it.
func selectedFolder(p string, only func(string) bool) bool {
	return only(p + "/x.md")
}

// Files returns the number of files a Run with only checks: postmortems,
// pages, attachments (unsafe-attachment, and secret for text ones) and
// files that could not be read.
func Files(k *kb.KB, only func(string) bool) int {
	if only == nil {
		only = func(string) bool { return true }
	}
	n := 0
	for _, p := range k.Postmortems {
		if only(p.Path) {
			n++
		}
	}
	for _, pg := range k.Pages {
		if only(pg.Path) {
			n++
		}
	}
	for _, a := range k.Assets {
		if only(a) {
			n++
		}
	}
	seen := map[string]bool{}
	for _, d := range k.Problems {
		if !seen[d.File] && only(d.File) && path.Ext(d.File) != "" {
			seen[d.File] = true
			n++
		}
	}
	return n
}

func (c *Context) checkPostmortem(p *postmortem.Postmortem, fileRules []FileRule, textRules []TextRule) []diag.Diagnostic {
	out := append([]diag.Diagnostic(nil), p.Problems...)
	for _, r := range fileRules {
		if c.Config.Level(r.ID(), diag.Error) == diag.Off {
			continue
		}
		out = append(out, r.Check(c, p)...)
	}
	d := &Doc{Path: p.Path, Body: &p.Body, Source: p.Source, Lines: p.Lines}
	for _, r := range textRules {
		if c.Config.Level(r.ID(), diag.Error) == diag.Off {
			continue
		}
		out = append(out, r.CheckText(c, d)...)
	}
	return suppress(out, &p.Body)
}

// checkPage runs the text rules on a content page.
func (c *Context) checkPage(pg *postmortem.Page, textRules []TextRule) []diag.Diagnostic {
	out := append([]diag.Diagnostic(nil), pg.Problems...)
	d := &Doc{Path: pg.Path, Body: &pg.Body, Source: pg.Source, Lines: pg.Lines}
	for _, r := range textRules {
		if c.Config.Level(r.ID(), diag.Error) == diag.Off {
			continue
		}
		out = append(out, r.CheckText(c, d)...)
	}
	return suppress(out, &pg.Body)
}

func suppress(ds []diag.Diagnostic, b *postmortem.Body) []diag.Diagnostic {
	if len(b.Ignores) == 0 {
		return ds
	}
	out := ds[:0]
	for _, d := range ds {
		if d.Pos.Line > 0 && b.Suppressed(d.Rule, d.Pos.Line) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// leftOutRules are the rules of file-level problems: the file is left out
// of the site. Switching one off would hide a file silently, so such a
// problem is reported at least as a warning that says so.
var leftOutRules = map[string]bool{"file-encoding": true, "file-size": true, "file-unreadable": true}

// level applies the config's rule levels and --strict, and drops what is
// switched off (except the problems of leftOutRules, which stay
// warnings).
func (c *Context) level(ds []diag.Diagnostic) []diag.Diagnostic {
	out := ds[:0]
	for _, d := range ds {
		sev := c.Config.Level(d.Rule, d.Severity)
		if c.Strict && d.Rule == "action-overdue" && sev == diag.Warning {
			sev = diag.Error
		}
		if leftOutRules[d.Rule] && sev != diag.Error {
			sev = diag.Warning
			d.Message += "; it is left out of the site"
		}
		if sev == diag.Off {
			continue
		}
		d.Severity = sev
		out = append(out, d)
	}
	return out
}

// diagnostic makes an error diagnostic of rule in file.
func errorf(file string, pos diag.Pos, rule, msg string) diag.Diagnostic {
	return diag.Diagnostic{File: file, Pos: pos, Severity: diag.Error, Rule: rule, Message: msg}
}

// frontMatterOK reports whether the front matter was read, so rules about
// its values can run without repeating a syntax error.
func frontMatterOK(p *postmortem.Postmortem) bool {
	if p.Format == "" {
		return false
	}
	for _, d := range p.Problems {
		if d.Rule == "frontmatter-syntax" {
			return false
		}
	}
	return true
}

// invalidKeys returns the key paths whose values the parser rejected
// (wrong type, unreadable date), so missing-field and the enum rules do not
// report them a second time. The parser's messages start with the key
// path.
func invalidKeys(p *postmortem.Postmortem) map[string]bool {
	var m map[string]bool
	for _, d := range p.Problems {
		if d.Rule != "invalid-value" {
			continue
		}
		key, _, ok := strings.Cut(d.Message, " ")
		if !ok {
			continue
		}
		if m == nil {
			m = map[string]bool{}
		}
		m[key] = true
	}
	return m
}
