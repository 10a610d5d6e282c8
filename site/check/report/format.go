package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// Formats lists the output formats of `hindsight check`.
var Formats = []string{"text", "json", "github", "sarif"}

// Report is what a printer prints: the diagnostics of a run and how many
// files were checked.
type Report struct {
	Diagnostics []diag.Diagnostic
	Files       int
	// Source returns the text of a file named by a diagnostic (a slash
	// path relative to the KB root), or nil when it cannot be had. The
	// SARIF printer needs it to count columns in UTF-16 code units, as
	// SARIF does, where diagnostics count bytes; without it, a SARIF
	// region keeps its line but leaves out a column past the first. See
	// Sources.
	Source func(file string) []byte
}

// Sources returns a Report.Source that reads the files of k again, as
// confined as the load was (k.ReadAsset) and no larger than the size limit.
// A check streams over the KB and frees each file's text once checked, so
// the text is read again, only for files whose diagnostics need it.
func Sources(k *kb.KB) func(file string) []byte {
	return func(file string) []byte {
		limit := int64(kb.MaxAssetSize)
		if k.Config != nil {
			limit = k.Config.MaxFileSize
		}
		data, err := k.ReadAsset(file, limit)
		if err != nil {
			return nil
		}
		return data
	}
}

// Printer writes a Report in one output format.
type Printer interface {
	Print(w io.Writer, r Report) error
}

// PrintOptions configure the printers.
type PrintOptions struct {
	// Color turns on ANSI colours (text only); set it when writing to a
	// terminal.
	Color bool
	// PathPrefix is prepended to file paths in text, github and sarif
	// output, so they are relative to the current folder or repository
	// root when the KB is in a sub-folder ("" or "docs/kb/"). json output
	// keeps paths relative to the KB root, as SPEC §3 says.
	PathPrefix string
	// Version is the tool version written into SARIF.
	Version string
}

// NewPrinter returns the printer for format, or an error naming the known
// formats.
func NewPrinter(format string, opts PrintOptions) (Printer, error) {
	switch format {
	case "text", "":
		return TextPrinter{opts}, nil
	case "json":
		return JSONPrinter{}, nil
	case "github":
		return GitHubPrinter{opts}, nil
	case "sarif":
		return SARIFPrinter{opts}, nil
	}
	return nil, fmt.Errorf("unknown format %q%s; use one of %s", format, diag.DidYouMean(format, Formats), strings.Join(Formats, ", "))
}

// TextPrinter prints "file:line:col: error: message [rule]" lines and a
// summary.
type TextPrinter struct{ Opts PrintOptions }

// Print implements Printer.
func (p TextPrinter) Print(w io.Writer, r Report) error {
	const (
		bold   = "\x1b[1m"
		red    = "\x1b[31m"
		yellow = "\x1b[33m"
		dim    = "\x1b[2m"
		reset  = "\x1b[0m"
	)
	c := func(code, s string) string {
		if !p.Opts.Color {
			return s
		}
		return code + s + reset
	}
	var b strings.Builder
	for _, d := range r.Diagnostics {
		d.File = printable(p.Opts.PathPrefix + d.File)
		d.Message, d.Rule = printable(d.Message), printable(d.Rule)
		sev := d.Severity.String()
		if d.Severity == diag.Error {
			sev = c(red+bold, sev)
		} else {
			sev = c(yellow+bold, sev)
		}
		fmt.Fprintf(&b, "%s: %s: %s %s\n", c(bold, d.Where()), sev, d.Message, c(dim, "["+d.Rule+"]"))
	}
	errs, warns := diag.Count(r.Diagnostics)
	b.WriteString(Summary(errs, warns, r.Files))
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary formats "2 errors, 1 warning in 14 files".
func Summary(errs, warns, files int) string {
	return fmt.Sprintf("%s, %s in %s", plural(errs, "error"), plural(warns, "warning"), plural(files, "file"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// JSONPrinter prints SPEC §3's object: {"diagnostics":[…],"summary":{…}}.
type JSONPrinter struct{}

type jsonDiag struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

type jsonReport struct {
	Diagnostics []jsonDiag `json:"diagnostics"`
	Summary     struct {
		Files    int `json:"files"`
		Errors   int `json:"errors"`
		Warnings int `json:"warnings"`
	} `json:"summary"`
}

// Print implements Printer.
func (JSONPrinter) Print(w io.Writer, r Report) error {
	out := jsonReport{Diagnostics: make([]jsonDiag, 0, len(r.Diagnostics))}
	for _, d := range r.Diagnostics {
		out.Diagnostics = append(out.Diagnostics, jsonDiag{File: d.File, Line: d.Pos.Line, Column: d.Pos.Col,
			Severity: d.Severity.String(), Rule: d.Rule, Message: d.Message})
	}
	out.Summary.Errors, out.Summary.Warnings = diag.Count(r.Diagnostics)
	out.Summary.Files = r.Files
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// GitHubPrinter prints GitHub Actions workflow commands, which GitHub shows
// as annotations on the pull request's lines.
type GitHubPrinter struct{ Opts PrintOptions }

// Print implements Printer.
func (p GitHubPrinter) Print(w io.Writer, r Report) error {
	var b strings.Builder
	for _, d := range r.Diagnostics {
		kind := "error"
		if d.Severity == diag.Warning {
			kind = "warning"
		}
		fmt.Fprintf(&b, "::%s file=%s", kind, ghProperty(p.Opts.PathPrefix+d.File))
		if d.Pos.Line > 0 {
			fmt.Fprintf(&b, ",line=%d", d.Pos.Line)
			if d.Pos.Col > 0 {
				fmt.Fprintf(&b, ",col=%d", d.Pos.Col)
			}
		}
		fmt.Fprintf(&b, ",title=%s::%s\n", ghProperty("hindsight "+d.Rule), ghData(d.Message))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ghData escapes a workflow command's message: percent-encoding as the
// runner decodes it, then printable for the other control characters.
func ghData(s string) string {
	return printable(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s))
}

// ghProperty escapes a workflow command's property value, as ghData and
// ':' and ',' too, which end a property.
func ghProperty(s string) string {
	return printable(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s))
}

// printable escapes what a terminal or a CI log would act on rather than
// show: control characters (ESC starts a terminal sequence, CR and LF
// start a forged line such as "::warning"), the Unicode line and paragraph
// separators, the bidirectional controls that reorder what is shown, and
// bytes that are not UTF-8. They are written as Go escapes (\x1b, \n,
// \u202e). Diagnostics quote front matter values, file names and headings
// from the KB, which whoever opens a pull request controls.
func printable(s string) string {
	if strings.IndexFunc(s, unsafeRune) < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unsafeRune reports the characters printable escapes.
func unsafeRune(r rune) bool { return Unsafe(r) }

// Unsafe reports the characters a terminal or a CI log would act on
// rather than show: controls (newlines and escapes included), the line and
// paragraph separators, and the bidirectional controls that reorder what
// is shown. Printable escapes them; other printers of KB values (the
// Markdown of hindsight review) drop them.
func Unsafe(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u061c' ||
		r == '\u200e' || r == '\u200f' || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// HelpURI is where the rules are documented.
const HelpURI = "https://github.com/hindsight-kb/hindsight#checks"

// SARIFPrinter prints SARIF 2.1.0, as GitHub code scanning accepts.
type SARIFPrinter struct{ Opts PrintOptions }

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool sarifTool `json:"tool"`
	// ColumnKind says columns count UTF-16 code units, SARIF's default
	// (§3.14.24), written out for consumers that guess otherwise.
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID string `json:"id"`
	// Name is left out when it would only repeat the id: SARIF
	// §3.49.7, and the multitool's SARIF1001.
	Name             string    `json:"name,omitempty"`
	ShortDescription sarifText `json:"shortDescription"`
	// FullDescription and Help are required by GitHub code scanning
	// (the multitool's GH2012).
	FullDescription      sarifText `json:"fullDescription"`
	Help                 sarifText `json:"help"`
	HelpURI              string    `json:"helpUri"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region *sarifRegion `json:"region,omitempty"`
	} `json:"physicalLocation"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

func sarifLevel(s diag.Severity) string {
	if s == diag.Error {
		return "error"
	}
	return "warning"
}

// Print implements Printer.
func (p SARIFPrinter) Print(w io.Writer, r Report) error {
	infos := check.Rules()
	index := map[string]int{}
	driver := sarifDriver{Name: "hindsight", InformationURI: "https://github.com/hindsight-kb/hindsight", Version: sarifVersion(p.Opts.Version)}
	for _, ri := range infos {
		index[ri.ID] = len(driver.Rules)
		sr := sarifRule{ID: ri.ID, Name: ruleName(ri.ID), ShortDescription: sarifText{ri.Summary}, FullDescription: sarifText{ri.Summary}, Help: ruleHelp(ri.Summary), HelpURI: HelpURI}
		sr.DefaultConfiguration.Level = sarifLevel(ri.Severity)
		driver.Rules = append(driver.Rules, sr)
	}
	// Diagnostics of rules outside the table (e.g. "config") get an entry.
	var extra []string
	for _, d := range r.Diagnostics {
		if _, ok := index[d.Rule]; !ok {
			extra = append(extra, d.Rule)
			index[d.Rule] = -1
		}
	}
	sort.Strings(extra)
	for _, id := range extra {
		index[id] = len(driver.Rules)
		sr := sarifRule{ID: id, Name: ruleName(id), ShortDescription: sarifText{id}, FullDescription: sarifText{id}, Help: ruleHelp(id), HelpURI: HelpURI}
		sr.DefaultConfiguration.Level = "error"
		driver.Rules = append(driver.Rules, sr)
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, ColumnKind: "utf16CodeUnits", Results: make([]sarifResult, 0, len(r.Diagnostics))}
	cols := utf16Columns{source: r.Source}
	for _, d := range r.Diagnostics {
		res := sarifResult{RuleID: d.Rule, RuleIndex: index[d.Rule], Level: sarifLevel(d.Severity), Message: sarifText{d.Message}}
		var loc sarifLocation
		loc.PhysicalLocation.ArtifactLocation.URI = uriReference(p.Opts.PathPrefix + d.File)
		loc.PhysicalLocation.ArtifactLocation.URIBaseID = "%SRCROOT%"
		if d.Pos.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: d.Pos.Line, StartColumn: cols.column(d.File, d.Pos)}
		}
		res.Locations = []sarifLocation{loc}
		run.Results = append(run.Results, res)
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// uriReference turns a slash path into a relative URI reference, as
// SARIF's artifactLocation.uri must be (RFC 3986): each segment is
// percent-encoded ("café #2.md" is "caf%C3%A9%20%232.md"), the slashes
// are kept, and so is nothing that could read as a scheme (':').
func uriReference(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	return strings.Join(segs, "/")
}

// utf16Columns turns the byte columns of diagnostics into columns counted
// in UTF-16 code units, reading each file's text once.
type utf16Columns struct {
	source func(file string) []byte
	file   string
	lines  [][]byte
}

// column returns pos's column in UTF-16 code units: 0 (no column) when
// pos has none, or when the line's text cannot be had and the column is
// past the first (a byte count would point a column off for each
// character outside ASCII before it).
func (u *utf16Columns) column(file string, pos diag.Pos) int {
	if pos.Col <= 1 {
		return pos.Col
	}
	if u.file != file || u.lines == nil {
		u.file, u.lines = file, [][]byte{}
		if u.source != nil {
			if src := u.source(file); src != nil {
				u.lines = bytes.SplitAfter(src, []byte("\n"))
			}
		}
	}
	if pos.Line > len(u.lines) {
		return 0
	}
	line := u.lines[pos.Line-1]
	if pos.Col-1 > len(line) {
		return 0
	}
	n := 1
	for _, r := range string(line[:pos.Col-1]) {
		n += utf16.RuneLen(r) // an invalid byte is U+FFFD: one unit
	}
	return n
}

// ruleName turns "missing-field" into "MissingField", SARIF's convention
// for rule names. A one-word id would give a name that differs from it
// only in case, which SARIF §3.49.7 says to leave out: those have a name
// of their own, or none.
func ruleName(id string) string {
	switch id {
	case "secret":
		return "CommittedSecret"
	case "config":
		return "ConfigProblem"
	}
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	if strings.EqualFold(b.String(), id) {
		return ""
	}
	return b.String()
}

// ruleHelp is a rule's help text: each result's message says how to fix
// that problem, and HelpURI documents every rule.
func ruleHelp(summary string) sarifText {
	return sarifText{summary + ". Each result's message says how to fix it; every rule is described at " + HelpURI + "."}
}

// sarifVersion is the tool version as SARIF consumers compare it, which
// must start with a digit (the multitool's SARIF2005): a tag's "v" is
// dropped ("v1.2.0" is "1.2.0"), and a build without a release version
// ("devel (0123456789ab)") is written under Go's 0.0.0 of untagged code,
// as "0.0.0-devel (0123456789ab)".
func sarifVersion(v string) string {
	if v == "" {
		return ""
	}
	if len(v) > 1 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9' {
		return v[1:]
	}
	if v[0] < '0' || v[0] > '9' {
		return "0.0.0-" + v
	}
	return v
}
