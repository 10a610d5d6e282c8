package postmortem

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem/frontmatter"
	"github.com/hindsight-kb/hindsight/site/postmortem/markdown"
	"github.com/hindsight-kb/hindsight/site/tree"
	"github.com/yuin/goldmark"
)

// Options configure a Parser.
type Options struct {
	// Location is the timezone local datetimes and timeline times are read
	// in; nil means UTC.
	Location *time.Location
	// TimelineSections are the headings (and aliases) of the timeline
	// section; nil means "Timeline".
	TimelineSections []string
}

// Parser parses postmortem files. It holds no per-file state and is safe
// for concurrent use.
type Parser struct {
	opts Options
	// md parses and renders when HTML is rendered. Both Markdown
	// processors are made on first use (see markdown): a caller that
	// makes a Parser for one file (search snippets) needs only one.
	md     goldmark.Markdown
	mdOnce sync.Once
	// mdNoLinkify renders as md does, without the linkify parser: for a
	// body where linkify cannot link anything (see noLinkify) it gives the
	// same HTML, a fifth of the parse faster (see resplit.go).
	mdNoLinkify     goldmark.Markdown
	mdNoLinkifyOnce sync.Once
	// alwaysLinkify turns mdNoLinkify off (tests compare both).
	alwaysLinkify bool
	// plain parses without linkify and highlighting, when no HTML is
	// rendered (check): linkify costs a fifth of the parse, and the text
	// the walk extracts is the same either way (autolinks keep their URL
	// text, see plainText).
	plain     goldmark.Markdown
	plainOnce sync.Once
	// timelineNames are opts.TimelineSections lower-cased.
	timelineNames []string
	// scratch holds the *scratch buffers that ParseBody reuses across
	// files.
	scratch sync.Pool
	// yaml holds *tree.YAMLParser that ParseFrontMatter reuses.
	yaml sync.Pool
}

// NewParser returns a Parser.
func NewParser(opts Options) *Parser {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if len(opts.TimelineSections) == 0 {
		opts.TimelineSections = []string{"Timeline"}
	}
	names := make([]string, len(opts.TimelineSections))
	for i, n := range opts.TimelineSections {
		names[i] = strings.ToLower(n)
	}
	return &Parser{opts: opts, timelineNames: names}
}

// markdown returns the Markdown processor for rendering HTML (html) or for
// the structure only.
func (ps *Parser) markdown(html bool) goldmark.Markdown {
	if html {
		ps.mdOnce.Do(func() { ps.md = markdown.New(true) })
		return ps.md
	}
	ps.plainOnce.Do(func() { ps.plain = markdown.NewStructure() })
	return ps.plain
}

// markdownNoLinkify returns the Markdown processor for rendering HTML
// without linkify.
func (ps *Parser) markdownNoLinkify() goldmark.Markdown {
	ps.mdNoLinkifyOnce.Do(func() { ps.mdNoLinkify = markdown.New(false) })
	return ps.mdNoLinkify
}

// Parse reads one postmortem file: its front matter and its body. path is
// the slash-separated path relative to the KB root. It never fails: what it
// cannot read is reported in Problems. src must not be modified afterwards
// (see ParseFrontMatter).
func (ps *Parser) Parse(path string, src []byte) *Postmortem {
	p := ps.ParseFrontMatter(path, src)
	ps.ParseBody(p, BodyOptions{})
	return p
}

// TrimBOM returns src without the UTF-8 byte order mark it may start
// with: the Source a Postmortem keeps of its file's content.
func TrimBOM(src []byte) []byte { return bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")) }

// ParseFrontMatter reads the front matter only; ParseBody completes the
// postmortem. The two steps let a loader learn every id before it renders
// bodies whose links point at other postmortems. src becomes the
// postmortem's Source and must not be modified afterwards: the texts of
// Body.Prose share its memory.
func (ps *Parser) ParseFrontMatter(p string, src []byte) *Postmortem {
	return ps.parseFrontMatter(p, src, nil)
}

// parseFrontMatter is ParseFrontMatter; a content page's own keys
// (description) go to page when it is set.
func (ps *Parser) parseFrontMatter(p string, src []byte, page *Page) *Postmortem {
	src = TrimBOM(src)
	pm := &Postmortem{Path: p, Source: src, Lines: LineStarts(src), Fields: map[string]diag.Pos{}}
	pm.ID = strings.TrimSuffix(path.Base(p), path.Ext(p))
	fileID := pm.ID
	defer func() {
		// An id taken from the file name names the page too: one that is
		// not safe in a URL gives the postmortem no id, and no page.
		if pm.ID == fileID && !pm.HasField("id") && !IsID(fileID) {
			pm.Problems = append(pm.Problems, diag.Diagnostic{File: p, Severity: diag.Error, Rule: "invalid-value",
				Message: fmt.Sprintf("the file name gives the id %q, which cannot be a page URL: an id has letters, digits, '.', '_' and '-' only, "+
					"starts with a letter or digit and has at most %d characters; rename the file (e.g. to %q) or set id: in the front matter",
					fileID, MaxIDLen, config.Slugify(fileID)+".md")})
			pm.ID = ""
		}
	}()
	b, problem := frontmatter.Split(src)
	if problem != nil {
		problem.File = p
		pm.Problems = append(pm.Problems, *problem)
		pm.FrontMatter = problem.Pos
		// Where the front matter ends is unknown, so the body is not
		// parsed (Body.Line stays 0): its checks would only add noise.
		pm.Body.Line = 0
		return pm
	}
	pm.FrontMatter = b.Open
	if b.Format == "" {
		pm.Problems = append(pm.Problems, diag.Diagnostic{File: p, Pos: diag.Pos{Line: 1, Col: 1}, Severity: diag.Error,
			Rule: "frontmatter-syntax", Message: "the file has no front matter; start it with a line \"---\", the keys (title, severity, status, …), and another \"---\" (run `hindsight new` for a template)"})
		pm.Body.Line = 1
		return pm
	}
	pm.Format = b.Format
	pm.Body.Line = PosAt(pm.Lines, b.BodyOff).Line
	var yp *tree.YAMLParser
	if b.Format == "yaml" {
		// The tree lives until decode below has read it: its memory is
		// then reused for the next file's.
		yp, _ = ps.yaml.Get().(*tree.YAMLParser)
		if yp == nil {
			yp = new(tree.YAMLParser)
		}
		defer ps.yaml.Put(yp)
	}
	root, problem := frontmatter.Parse(b, yp)
	if problem != nil {
		problem.File = p
		pm.Problems = append(pm.Problems, *problem)
		return pm
	}
	d := &fmDecoder{Decoder: frontmatter.Decoder{File: p, Loc: ps.opts.Location, Problems: &pm.Problems, Paths: paths()}, p: pm, page: page}
	d.decode(root)
	return pm
}

// ComplexityRule is the rule id of a body that is over the complexity
// budget: goldmark is not run on it (see markdown.CheckComplexity).
const ComplexityRule = "file-complexity"

// complexityProblem returns a file-complexity diagnostic when the
// Markdown md, which starts at byte base of a file whose line starts are
// lines, is over the complexity budget; nil when it is within.
func complexityProblem(file string, md []byte, base int, lines []int) *diag.Diagnostic {
	off, msg := markdown.CheckComplexity(md)
	if msg == "" {
		return nil
	}
	pos := PosAt(lines, base+off)
	pos.Col = 1
	return &diag.Diagnostic{File: file, Pos: pos, Severity: diag.Error, Rule: ComplexityRule,
		Message: msg + "; the body is not checked or rendered until it is simpler (the front matter still is)"}
}

// LineStarts returns the byte offset of the start of each line of src.
func LineStarts(src []byte) []int {
	n := bytes.Count(src, []byte{'\n'})
	lines := make([]int, 1, n+1)
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return lines
		}
		off += i + 1
		lines = append(lines, off)
	}
}
