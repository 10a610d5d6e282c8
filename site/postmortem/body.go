package postmortem

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem/markdown"
	"github.com/hindsight-kb/hindsight/site/postmortem/timeline"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// BodyOptions say what ParseBody produces beyond the structure.
type BodyOptions struct {
	// RenderHTML renders the body to Body.HTML.
	RenderHTML bool
	// ResolveLink rewrites a link destination for the rendered HTML (for
	// example a relative .md link to the page URL); it returns false to
	// leave the destination as it is.
	ResolveLink func(dest string) (string, bool)
	// page is set for a content page: its timeline section, if it has
	// one, is rendered as written (see ParsePage).
	page bool
}

// ParseBody parses the Markdown after the front matter into sections,
// timeline, links, prose and ignores, and renders it when asked. It does
// nothing when the front matter could not be delimited.
func (ps *Parser) ParseBody(p *Postmortem, opts BodyOptions) {
	if p.Body.Line == 0 {
		return
	}
	start := p.Lines[p.Body.Line-1]
	if d := complexityProblem(p.Path, p.Source[start:], start, p.Lines); d != nil {
		// Too costly for goldmark (see markdown.CheckComplexity): no body.
		p.Problems = append(p.Problems, *d)
		p.Body = Body{}
		return
	}
	p.Body = ps.parseMarkdown(p.Source, start, p.Lines, opts, p.Started)
	p.Body.Line = PosAt(p.Lines, start).Line
}

// ParsePage parses a content page (content/*.md): front matter with title
// and description, then Markdown. src must not be modified afterwards (see
// ParseFrontMatter).
func (ps *Parser) ParsePage(p string, slug string, src []byte, opts BodyOptions) *Page {
	pg := &Page{Path: p, Slug: slug}
	pm := ps.parseFrontMatter(p, src, pg)
	pg.Title, pg.Source, pg.Lines = pm.Title, pm.Source, pm.Lines
	// Pages have a small schema of their own: re-read the unknown keys.
	for _, d := range pm.Problems {
		if d.Rule == "frontmatter-syntax" {
			pg.Problems = append(pg.Problems, d)
		}
	}
	if pm.Body.Line == 0 {
		pm.Body.Line = 1
	}
	opts.page = true
	ps.ParseBody(pm, opts)
	pg.Body = pm.Body
	for _, d := range pm.Problems {
		if d.Rule == ComplexityRule {
			pg.Problems = append(pg.Problems, d)
		}
	}
	if pg.Title == "" {
		for _, h := range pg.Body.Headings {
			if h.Level == 1 {
				pg.Title = h.Title
				break
			}
		}
	}
	if pg.Title == "" {
		pg.Title = strings.ReplaceAll(slug, "-", " ")
	}
	return pg
}

type walker struct {
	src   []byte // whole file
	base  int    // offset of the body in src
	lines []int
	body  *Body
	sec   *Section
	// timeline is set while the current section is the timeline.
	timeline bool
	// timelineNames are the lower-cased timeline section names.
	timelineNames []string
	// html is set when the body is rendered: the heading ids are then
	// collected for the heading renderer (markdown.Writer).
	html bool
	// mds is the body as one string: prose spans and single-run texts
	// are substrings of it rather than copies (texts kept after the
	// parse, such as headings and timeline entries, are copied out of it
	// so that they do not keep all of it alive). It shares the memory of
	// the file's source (bytesString), which is never written after it
	// is parsed.
	mds string
	*scratch
	anchors map[string]int
	// resplit is set when the body was parsed without linkify: prose
	// runs are split as linkify would have (resplit.go). pending is the
	// run that may end its line; bail is set when the walk meets what
	// resplitText does not handle, and the body is parsed again.
	resplit bool
	pending lineRun
	bail    bool
	// line is the 0-based line of the last position pos gave.
	line int
	// nestedIn holds the top-level block of each of Body.Nested.
	nestedIn []ast.Node
	// tl is the state of the timeline's reading (see timeline.go).
	tl timelineState
}

// scratch holds the buffers a parse reuses from one file to the next
// (through Parser.scratch, a sync.Pool: one per goroutine in practice):
// the body gets exact-size copies of what it keeps.
type scratch struct {
	// prose collects Body.Prose.
	prose []Span
	// links and entries collect Body.Links and Body.Timeline.
	links   []Link
	entries []TimelineEntry
	// text collects Body.Text.
	text []byte
	// sec collects the current section's text.
	sec []byte
	// inl holds the plain text of one block, or an anchor, while it is
	// made.
	inl []byte
	// hw receives the rendered HTML; hw.ids collects the heading ids
	// while the body is walked.
	hw markdown.Writer
}

// release clears the references to the file's text and returns s to the
// pool.
func (s *scratch) release(pool *sync.Pool) {
	clear(s.prose) // do not keep this file's text alive from the pool
	s.prose = s.prose[:0]
	clear(s.links)
	s.links = s.links[:0]
	clear(s.entries)
	s.entries = s.entries[:0]
	s.text, s.sec, s.inl = s.text[:0], s.sec[:0], s.inl[:0]
	s.hw.Reset()
	pool.Put(s)
}

// parseMarkdown parses and walks the body; started is the day a timeline
// time without a date falls back to.
func (ps *Parser) parseMarkdown(src []byte, base int, lines []int, opts BodyOptions, started time.Time) Body {
	if opts.RenderHTML && !ps.alwaysLinkify && noLinkify(src[base:]) {
		if b, ok := ps.parseMarkdownWith(src, base, lines, opts, started, true); ok {
			return b
		}
	}
	b, _ := ps.parseMarkdownWith(src, base, lines, opts, started, false)
	return b
}

// parseMarkdownWith parses and walks the body, without linkify when
// noLinkify is set (see resplit.go); it returns false when the walk gave
// up on that.
func (ps *Parser) parseMarkdownWith(src []byte, base int, lines []int, opts BodyOptions, started time.Time, noLinkify bool) (Body, bool) {
	md := src[base:]
	gm := ps.markdown(opts.RenderHTML)
	if noLinkify {
		gm = ps.markdownNoLinkify()
	}
	doc := gm.Parser().Parse(text.NewReader(md))
	sc, _ := ps.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	defer sc.release(&ps.scratch)
	// The headings are made once at their number (only those at the
	// top level are walked, see walkTop).
	headings, sections := 0, 0
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if h, ok := c.(*ast.Heading); ok {
			headings++
			if h.Level == 2 {
				sections++
			}
		}
	}
	body := &Body{}
	if headings > 0 {
		body.Headings = make([]Heading, 0, headings)
	}
	if sections > 0 {
		body.Sections = make([]Section, 0, sections)
	}
	w := &walker{src: src, base: base, lines: lines, body: body, anchors: make(map[string]int, headings), mds: bytesString(md),
		scratch: sc, timelineNames: ps.timelineNames, html: opts.RenderHTML, resplit: noLinkify,
		tl: timelineState{times: timeline.NewReader(ps.opts.Location, started), markers: timeline.Markers{Loc: ps.opts.Location},
			render: opts.RenderHTML && !opts.page}}
	w.text = slices.Grow(w.text, len(md)+16)
	w.walkTop(doc, md)
	w.finishPending()
	if w.bail {
		return Body{}, false
	}
	w.body.Prose = append([]Span(nil), w.prose...)
	w.body.Links = append([]Link(nil), w.links...)
	w.body.Timeline = append([]TimelineEntry(nil), w.entries...)
	if opts.RenderHTML {
		if opts.ResolveLink != nil && bytes.IndexByte(md, '[') >= 0 {
			// (A link or image needs a '['.)
			markdown.ResolveLinks(doc, opts.ResolveLink)
		}
		w.hw.Buf = slices.Grow(w.hw.Buf[:0], len(md)*3/2)
		if err := w.render(gm, md, doc); err == nil {
			w.body.HTML = string(w.hw.Buf)
			// The ids were collected in the order of Headings.
			for i, h := range w.hw.Headings {
				w.body.Headings[i].HTMLOffset = h.Off
			}
			for _, l := range w.hw.Links {
				w.body.Links[l.Index].HTMLOffset = l.Off
			}
		}
	}
	return *w.body, true
}

// render renders doc into w.hw; when the body has nested headings or a
// timeline, one top-level block at a time (the same HTML: the document
// itself renders as nothing), noting where the blocks that hold nested
// headings lie, the timeline's lists and tables rendered as a visual
// timeline (see renderTimeline).
func (w *walker) render(gm goldmark.Markdown, md []byte, doc ast.Node) error {
	r := gm.Renderer()
	if len(w.nestedIn) == 0 && len(w.tl.blocks) == 0 {
		return r.Render(&w.hw, md, doc)
	}
	k, b := 0, 0
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		start := len(w.hw.Buf)
		var err error
		if b < len(w.tl.blocks) && w.tl.blocks[b].node == c {
			err = w.renderTimeline(r, md, w.tl.blocks[b])
			b++
		} else {
			err = r.Render(&w.hw, md, c)
		}
		if err != nil {
			return err
		}
		for ; k < len(w.nestedIn) && w.nestedIn[k] == c; k++ {
			w.body.Nested[k].HTML = [2]int{start, len(w.hw.Buf)}
		}
	}
	return nil
}

// bytesString returns b as a string without copying it: b must not be
// modified afterwards. ParseFrontMatter's callers hand over a file's
// content, which the Postmortem keeps as Source and nothing writes to;
// the prose spans of its body are pieces of it.
func bytesString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// pos returns the position of the body offset off. Positions are asked
// for mostly in order, so the line of the previous one and the next few
// are tried before a binary search; the result is PosAt's.
func (w *walker) pos(off int) diag.Pos {
	abs, ls := w.base+off, w.lines
	if i := w.line; i < len(ls) && ls[i] <= abs {
		for k := 0; k < 4 && i+1 < len(ls) && ls[i+1] <= abs; k++ {
			i++
		}
		if i+1 == len(ls) || abs < ls[i+1] {
			w.line = i
			return diag.Pos{Line: i + 1, Col: abs - ls[i] + 1}
		}
	}
	p := PosAt(ls, abs)
	if len(ls) > 0 {
		w.line = p.Line - 1
	}
	return p
}

func (w *walker) walkTop(doc ast.Node, md []byte) {
	var pendingIgnore *Ignore
	prevHi := 0
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		lo, hi := markdown.Span(c)
		if _, ok := c.(*ast.Heading); ok && lo < 0 && len(md) > 0 {
			// An empty heading ("##") has no text segment: it is on the
			// first non-blank line after the previous block.
			lo = nextNonBlank(md, prevHi)
			hi = lo + 1
		}
		if lo >= 0 {
			prevHi = hi
		}
		startLine, endLine := 0, 0
		if lo >= 0 {
			startLine = w.pos(lo).Line
			e := hi - 1
			if e < lo {
				e = lo
			}
			endLine = w.pos(e).Line
		}
		if hb, ok := c.(*ast.HTMLBlock); ok {
			raw := blockText(hb, md)
			if hb.HasClosure() {
				cl := hb.ClosureLine
				raw += string(cl.Value(md))
			}
			if rules, ok := markdown.IgnoreRules(raw); ok {
				ig := Ignore{Rules: rules, Pos: w.pos(lo), From: startLine, To: endLine}
				w.body.Ignores = append(w.body.Ignores, ig)
				pendingIgnore = &w.body.Ignores[len(w.body.Ignores)-1]
				continue
			}
		}
		if pendingIgnore != nil && startLine > 0 {
			pendingIgnore.To = endLine
			pendingIgnore = nil
		}
		if h, ok := c.(*ast.Heading); ok {
			w.heading(h, md, lo)
			if h.Level == 2 {
				w.headingLinks(h)
				w.closeSection(startLine - 1)
				title := w.body.Headings[len(w.body.Headings)-1].Title
				w.body.Sections = append(w.body.Sections, Section{Title: title, Pos: w.pos(lo), Anchor: w.body.Headings[len(w.body.Headings)-1].Anchor})
				w.sec = &w.body.Sections[len(w.body.Sections)-1]
				w.timeline = timeline.IsHeading(title, w.timelineNames)
				if w.timeline {
					// "## Timeline (all times PT)": its note is a caption.
					w.tl.times.Context(title, true)
				}
				w.text = append(w.text, title...)
				w.text = append(w.text, "\n\n"...)
				continue
			}
		}
		w.inline(c, md)
		start := len(w.text)
		w.text = w.blockPlain(w.text, c, md)
		w.nested(c, c, md, startLine, endLine, start)
		if w.sec != nil {
			w.scratch.sec = append(w.scratch.sec, w.text[start:]...)
			w.scratch.sec = append(w.scratch.sec, '\n')
		}
		w.text = append(w.text, "\n\n"...)
		if w.sec != nil && w.timeline {
			switch c.(type) {
			case *ast.List, *east.Table:
				w.collectTimeline(c, md)
			case *ast.Heading, *ast.Paragraph:
				plain := string(w.text[start : len(w.text)-2])
				_, heading := c.(*ast.Heading)
				if !heading && timeline.StartsWithClock(plain) {
					w.collectTimeline(c, md)
					break
				}
				w.tl.times.Context(plain, heading)
			}
		}
	}
	w.closeSection(len(w.lines))
	w.body.Text = string(bytes.TrimSpace(w.text))
	// The headings' text offsets were taken in the untrimmed text.
	lead := len(w.text) - len(bytes.TrimLeftFunc(w.text, unicode.IsSpace))
	at := func(off int) int { return min(max(off-lead, 0), len(w.body.Text)) }
	for i := range w.body.Headings {
		h := &w.body.Headings[i]
		h.TextOffset = at(h.TextOffset)
	}
	for i := range w.body.Nested {
		n := &w.body.Nested[i]
		n.Text = [2]int{at(n.Text[0]), at(n.Text[1])}
	}
}

// nested records the headings inside top-level block top (block quotes
// and lists, at any depth below n), with top's lines and the range of
// its text, which starts at textStart in w.text and ends with the
// "\n\n" that walkTop writes after it.
func (w *walker) nested(top, n ast.Node, md []byte, line, endLine, textStart int) {
	switch n.(type) {
	case *ast.Blockquote, *ast.List, *ast.ListItem:
	default:
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if h, ok := c.(*ast.Heading); ok {
			w.body.Nested = append(w.body.Nested, NestedHeading{Title: w.plainString(h, md, true), Level: h.Level,
				Line: line, EndLine: endLine, Text: [2]int{textStart, len(w.text) + 2}, HTML: [2]int{-1, -1}})
			w.nestedIn = append(w.nestedIn, top)
			continue
		}
		w.nested(top, c, md, line, endLine, textStart)
	}
}

// nextNonBlank returns the offset of the first non-space byte on the first
// non-blank line that starts at or after off (clamped to md).
func nextNonBlank(md []byte, off int) int {
	i := min(off, len(md))
	if i > 0 && md[i-1] != '\n' {
		j := bytes.IndexByte(md[i:], '\n')
		if j < 0 {
			return len(md) - 1
		}
		i += j + 1
	}
	for i < len(md) {
		c := md[i]
		if c == '\n' || c == ' ' || c == '\t' || c == '\r' {
			i++
			continue
		}
		return i
	}
	return len(md) - 1
}

func (w *walker) closeSection(endLine int) {
	if w.sec == nil {
		return
	}
	w.sec.EndLine = endLine
	w.sec.Text = string(bytes.TrimSpace(w.scratch.sec))
	w.scratch.sec = w.scratch.sec[:0]
	w.sec = nil
	w.timeline = false
}

func (w *walker) heading(h *ast.Heading, md []byte, lo int) {
	// A copy: a single run of text is a piece of w.mds, which would keep
	// the whole body's text alive for as long as the heading is.
	title := w.plainString(h, md, true)
	anchor := w.anchor(title)
	if w.html {
		// Rendered by markdown's heading renderer.
		w.hw.Headings = append(w.hw.Headings, markdown.HeadingMark{Node: h, ID: anchor, Off: -1})
	}
	pos := diag.Pos{Line: 1, Col: 1}
	if lo >= 0 {
		pos = w.pos(lo)
	}
	// Its text starts here (see walkTop); its HTML offset is set when
	// it is rendered (see markdown.Writer).
	w.body.Headings = append(w.body.Headings, Heading{Level: h.Level, Title: title, Anchor: anchor, Pos: pos,
		HTMLOffset: -1, TextOffset: len(w.text)})
}

// anchor makes a heading id that keeps non-ASCII letters (goldmark's auto
// ids drop them) and is unique in the page: the lower-cased letters and
// digits of the title, other runs of characters made one dash.
func (w *walker) anchor(title string) string {
	b := w.inl[:0]
	dash := false
	for _, r := range title {
		// strings.ToLower maps each rune with unicode.ToLower.
		r = unicode.ToLower(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b = utf8.AppendRune(b, r)
			dash = false
		} else if !dash && len(b) > 0 {
			b = append(b, '-')
			dash = true
		}
	}
	w.inl = b
	b = bytes.TrimRight(b, "-")
	a := "section"
	if len(b) > 0 {
		a = string(b)
	}
	n := w.anchors[a]
	w.anchors[a] = n + 1
	if n > 0 {
		a = a + "-" + strconv.Itoa(n)
	}
	return a
}

// inline collects links and prose runs below a block.
func (w *walker) inline(n ast.Node, md []byte) {
	switch x := n.(type) {
	case *ast.CodeSpan, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
		return
	case *ast.RawHTML:
		segs := x.Segments
		var raw []byte
		for i := 0; i < segs.Len(); i++ {
			raw = markdown.AppendSeg(raw, segs.At(i), md)
		}
		if rules, ok := markdown.IgnoreRules(string(raw)); ok && segs.Len() > 0 {
			p := w.pos(segs.At(0).Start)
			w.body.Ignores = append(w.body.Ignores, Ignore{Rules: rules, Pos: p, From: p.Line, To: p.Line})
		}
		return
	case *ast.Link:
		w.link(x, string(x.Destination), false)
	case *ast.Image:
		w.link(x, string(x.Destination), true)
	case *ast.Text:
		if w.resplit {
			w.resplitText(x)
			return
		}
		seg := x.Segment
		if seg.Stop > seg.Start {
			w.prose = append(w.prose, Span{Text: w.mds[seg.Start:seg.Stop], Pos: w.pos(seg.Start), Offset: w.base + seg.Start})
		}
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.inline(c, md)
	}
}

func (w *walker) link(n ast.Node, dest string, image bool) {
	lo, _ := markdown.Span(n)
	var pos diag.Pos
	if lo >= 1 {
		back := 1
		if image {
			back = 2
		}
		if lo-back >= 0 {
			lo -= back
		}
		pos = w.pos(lo)
	} else {
		// A link with no text: use the enclosing block's first line.
		for p := n.Parent(); p != nil; p = p.Parent() {
			if l, _ := markdown.Span(p); l >= 0 {
				pos = w.pos(l)
				break
			}
		}
	}
	w.links = append(w.links, Link{Dest: dest, Pos: pos, Image: image, HTMLOffset: -1})
	if w.html {
		w.hw.Links = append(w.hw.Links, markdown.LinkMark{Node: n, Index: len(w.links) - 1, Off: -1})
	}
}

// headingLinks collects the links and images of an H2 heading (its text
// is the section's title, not prose).
func (w *walker) headingLinks(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch x := c.(type) {
		case *ast.Link:
			w.link(x, string(x.Destination), false)
		case *ast.Image:
			w.link(x, string(x.Destination), true)
		}
		w.headingLinks(c)
	}
}

func blockText(n ast.Node, md []byte) string {
	return string(markdown.AppendBlockText(nil, n, md))
}

// trimFrom trims the spaces of dst[start:] in place.
func trimFrom(dst []byte, start int) []byte {
	t := bytes.TrimSpace(dst[start:])
	n := copy(dst[start:], t)
	return dst[:start+n]
}

// appendPlain appends the trimmed inline text of n.
func (w *walker) appendPlain(dst []byte, n ast.Node, md []byte) []byte {
	if t := markdown.SingleRun(n); t != nil {
		return append(dst, strings.TrimSpace(w.mds[t.Segment.Start:t.Segment.Stop])...)
	}
	start := len(dst)
	return trimFrom(markdown.AppendInline(dst, n, md), start)
}

// plainString returns the trimmed inline text of n. Unless clone is set, a
// block made of one run of text gives a piece of w.mds, without copying.
func (w *walker) plainString(n ast.Node, md []byte, clone bool) string {
	if t := markdown.SingleRun(n); t != nil {
		s := strings.TrimSpace(w.mds[t.Segment.Start:t.Segment.Stop])
		if clone {
			s = strings.Clone(s)
		}
		return s
	}
	w.inl = w.appendPlain(w.inl[:0], n, md)
	return string(w.inl)
}

// blockPlain appends a block's text, trimmed, code blocks included, one
// line per paragraph or list item.
func (w *walker) blockPlain(dst []byte, n ast.Node, md []byte) []byte {
	switch n.(type) {
	case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
		start := len(dst)
		return trimFrom(markdown.AppendBlockText(dst, n, md), start)
	case *ast.Paragraph, *ast.TextBlock, *ast.Heading, *east.TableCell:
		return w.appendPlain(dst, n, md)
	}
	start := len(dst)
	dst = w.blockLines(dst, n, md)
	return trimFrom(dst, start)
}

// blockLines appends the lines of the blocks below n (n excluded).
func (w *walker) blockLines(dst []byte, n ast.Node, md []byte) []byte {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			dst = markdown.AppendBlockText(dst, c, md)
			dst = append(dst, '\n')
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading, *east.TableCell:
			dst = w.appendPlain(dst, c, md)
			dst = append(dst, '\n')
		default:
			dst = w.blockLines(dst, c, md)
		}
	}
	return dst
}

func (w *walker) blockPos(n ast.Node) diag.Pos {
	if lo, _ := markdown.Span(n); lo >= 0 {
		return w.pos(lo)
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if lo, _ := markdown.Span(p); lo >= 0 {
			return w.pos(lo)
		}
	}
	return diag.Pos{}
}
