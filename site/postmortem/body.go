package postmortem

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/diag"
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
}

// ParseBody parses the Markdown after the front matter into sections,
// timeline, links, prose and ignores, and renders it when asked. It does
// nothing when the front matter could not be delimited.
func (ps *Parser) ParseBody(p *Postmortem, opts BodyOptions) {
	if p.Body.Line == 0 {
		return
	}
	start := p.Lines[p.Body.Line-1]
	p.Body = ps.parseMarkdown(p.Source, start, p.Lines, opts)
	p.Body.Line = PosAt(p.Lines, start).Line
	p.buildTimeline(ps.opts)
}

// ParsePage parses a content page (content/*.md): front matter with title
// and description, then Markdown.
func (ps *Parser) ParsePage(p string, slug string, src []byte, opts BodyOptions) *Page {
	pm := ps.ParseFrontMatter(p, src)
	pg := &Page{Path: p, Slug: slug, Title: pm.Title, Source: pm.Source, Lines: pm.Lines}
	// Pages have a small schema of their own: re-read the unknown keys.
	for _, d := range pm.Problems {
		if d.Rule == "frontmatter-syntax" {
			pg.Problems = append(pg.Problems, d)
		}
	}
	if pm.Body.Line == 0 {
		pm.Body.Line = 1
	}
	ps.ParseBody(pm, opts)
	pg.Body = pm.Body
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
	// mds is the body as one string: prose spans and single-run texts
	// are substrings of it rather than copies (texts kept after the
	// parse, such as headings and timeline entries, are copied out of it
	// so that they do not keep all of it alive).
	mds  string
	text strings.Builder
	// secBuf collects the current section's text; it is reused from one
	// section to the next.
	secBuf []byte
	// prose collects Body.Prose in a buffer reused across files; the
	// body gets an exact-size copy.
	prose    []Span
	anchors  map[string]int
	secNodes map[ast.Node]int // H2 node → section index
}

func (ps *Parser) parseMarkdown(src []byte, base int, lines []int, opts BodyOptions) Body {
	md := src[base:]
	parser := ps.plain.Parser()
	if opts.RenderHTML {
		parser = ps.md.Parser()
	}
	doc := parser.Parse(text.NewReader(md))
	w := &walker{src: src, base: base, lines: lines, body: &Body{}, anchors: map[string]int{}, mds: string(md)}
	w.text.Grow(len(md) + 16)
	sp, _ := ps.scratch.Get().(*[]Span)
	if sp == nil {
		sp = new([]Span)
	}
	w.prose = (*sp)[:0]
	w.walkTop(doc, md)
	w.body.Prose = append([]Span(nil), w.prose...)
	clear(w.prose) // do not keep this file's text alive from the pool
	*sp = w.prose[:0]
	ps.scratch.Put(sp)
	if opts.RenderHTML {
		if opts.ResolveLink != nil {
			_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
				if !entering {
					return ast.WalkContinue, nil
				}
				switch l := n.(type) {
				case *ast.Link:
					if d, ok := opts.ResolveLink(string(l.Destination)); ok {
						l.Destination = []byte(d)
					}
				case *ast.Image:
					if d, ok := opts.ResolveLink(string(l.Destination)); ok {
						l.Destination = []byte(d)
					}
				}
				return ast.WalkContinue, nil
			})
		}
		var buf bytes.Buffer
		buf.Grow(len(md) * 3 / 2)
		if err := ps.md.Renderer().Render(&buf, md, doc); err == nil {
			w.body.HTML = buf.String()
		}
	}
	return *w.body
}

func (w *walker) pos(off int) diag.Pos { return PosAt(w.lines, w.base+off) }

// span returns the first and last byte offsets (in the body) covered by n
// and its descendants, or -1.
func span(n ast.Node) (int, int) {
	lo, hi := -1, -1
	add := func(s, e int) {
		if lo < 0 || s < lo {
			lo = s
		}
		if e > hi {
			hi = e
		}
	}
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if c.Type() == ast.TypeBlock {
			ls := c.Lines()
			for i := 0; i < ls.Len(); i++ {
				s := ls.At(i)
				add(s.Start, s.Stop)
			}
		}
		if t, ok := c.(*ast.Text); ok {
			add(t.Segment.Start, t.Segment.Stop)
		}
		if t, ok := c.(*ast.String); ok {
			_ = t
		}
		return ast.WalkContinue, nil
	})
	return lo, hi
}

var ignoreRE = regexp.MustCompile(`<!--\s*hindsight-ignore\b([^>]*?)-->`)

func (w *walker) walkTop(doc ast.Node, md []byte) {
	var pendingIgnore *Ignore
	prevHi := 0
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		lo, hi := span(c)
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
			if m := ignoreRE.FindStringSubmatch(raw); m != nil {
				ig := Ignore{Rules: strings.Fields(m[1]), Pos: w.pos(lo), From: startLine, To: endLine}
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
				w.closeSection(startLine - 1)
				title := w.body.Headings[len(w.body.Headings)-1].Title
				w.body.Sections = append(w.body.Sections, Section{Title: title, Pos: w.pos(lo), Anchor: w.body.Headings[len(w.body.Headings)-1].Anchor})
				w.sec = &w.body.Sections[len(w.body.Sections)-1]
				w.text.WriteString(title)
				w.text.WriteString("\n\n")
				continue
			}
		}
		w.inline(c, md)
		t := w.blockPlain(c, md)
		w.text.WriteString(t)
		w.text.WriteString("\n\n")
		if w.sec != nil {
			w.secBuf = append(w.secBuf, t...)
			w.secBuf = append(w.secBuf, '\n')
		}
		if w.sec != nil && isTimelineBlock(c) {
			w.collectTimeline(c, md)
		}
	}
	w.closeSection(len(w.lines))
	w.body.Text = strings.TrimSpace(w.text.String())
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
	w.sec.Text = string(bytes.TrimSpace(w.secBuf))
	w.secBuf = w.secBuf[:0]
	w.sec = nil
}

func (w *walker) heading(h *ast.Heading, md []byte, lo int) {
	// A copy: w.plain may return a piece of w.mds, which would keep the
	// whole body's text alive for as long as the heading is.
	title := strings.Clone(w.plain(h, md))
	anchor := w.anchor(title)
	h.SetAttributeString("id", []byte(anchor))
	pos := diag.Pos{Line: 1, Col: 1}
	if lo >= 0 {
		pos = w.pos(lo)
	}
	w.body.Headings = append(w.body.Headings, Heading{Level: h.Level, Title: title, Anchor: anchor, Pos: pos})
}

// anchor makes a heading id that keeps non-ASCII letters (goldmark's auto
// ids drop them) and is unique in the page.
func (w *walker) anchor(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	a := strings.TrimRight(b.String(), "-")
	if a == "" {
		a = "section"
	}
	n := w.anchors[a]
	w.anchors[a] = n + 1
	if n > 0 {
		a = fmt.Sprintf("%s-%d", a, n)
	}
	return a
}

// inline collects links and prose runs below a block.
func (w *walker) inline(n ast.Node, md []byte) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := c.(type) {
		case *ast.CodeSpan, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			segs := x.Segments
			var raw strings.Builder
			for i := 0; i < segs.Len(); i++ {
				raw.Write(segVal(segs, i, md))
			}
			if m := ignoreRE.FindStringSubmatch(raw.String()); m != nil && segs.Len() > 0 {
				p := w.pos(segs.At(0).Start)
				w.body.Ignores = append(w.body.Ignores, Ignore{Rules: strings.Fields(m[1]), Pos: p, From: p.Line, To: p.Line})
			}
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			w.link(x, string(x.Destination), false)
		case *ast.Image:
			w.link(x, string(x.Destination), true)
		case *ast.Text:
			seg := x.Segment
			if seg.Stop > seg.Start {
				w.prose = append(w.prose, Span{Text: w.mds[seg.Start:seg.Stop], Pos: w.pos(seg.Start), Offset: w.base + seg.Start})
			}
		}
		return ast.WalkContinue, nil
	})
}

func (w *walker) link(n ast.Node, dest string, image bool) {
	lo, _ := span(n)
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
			if l, _ := span(p); l >= 0 {
				pos = w.pos(l)
				break
			}
		}
	}
	w.body.Links = append(w.body.Links, Link{Dest: dest, Pos: pos, Image: image})
}

func blockText(n ast.Node, md []byte) string {
	var b strings.Builder
	ls := n.Lines()
	for i := 0; i < ls.Len(); i++ {
		s := ls.At(i)
		b.Write(s.Value(md))
	}
	return b.String()
}

// plainText returns the inline text of n (code spans included).
func plainText(n ast.Node, md []byte) string {
	var b strings.Builder
	if n.Type() == ast.TypeBlock {
		// The text is at most the block's source extent: one allocation.
		if ls := n.Lines(); ls.Len() > 0 {
			b.Grow(ls.At(ls.Len()-1).Stop - ls.At(0).Start + 1)
		}
	}
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := c.(type) {
		case *ast.Text:
			seg := x.Segment
			b.Write(seg.Value(md))
			if x.SoftLineBreak() || x.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(x.Value)
		case *ast.AutoLink:
			// Keep a bare URL's text, as it reads without linkify.
			b.Write(x.Label(md))
		case *ast.RawHTML:
			for i := 0; i < x.Segments.Len(); i++ {
				b.Write(segVal(x.Segments, i, md))
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// plain is plainText without copying in the common case of a block made of
// one run of text.
func (w *walker) plain(n ast.Node, md []byte) string {
	if c := n.FirstChild(); c != nil && c == n.LastChild() {
		if t, ok := c.(*ast.Text); ok && t.Segment.Padding == 0 {
			return strings.TrimSpace(w.mds[t.Segment.Start:t.Segment.Stop])
		}
	}
	return plainText(n, md)
}

// blockPlain returns a block's text, code blocks included, one line per
// paragraph or list item.
func (w *walker) blockPlain(n ast.Node, md []byte) string {
	switch n.(type) {
	case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
		return strings.TrimSpace(blockText(n, md))
	case *ast.Paragraph, *ast.TextBlock, *ast.Heading, *east.TableCell:
		return w.plain(n, md)
	}
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			b.WriteString(blockText(c, md))
			b.WriteByte('\n')
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading, *east.TableCell:
			b.WriteString(w.plain(c, md))
			b.WriteByte('\n')
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

func isTimelineBlock(n ast.Node) bool {
	switch n.(type) {
	case *ast.List, *east.Table:
		return true
	}
	return false
}

// rawEntry is a timeline entry before its time is read.
type rawEntry struct {
	text string
	pos  diag.Pos
}

// collectTimeline records the entries of a list or table that is a direct
// child of the timeline section. The section is matched later, in
// buildTimeline, because the parser options name it.
func (w *walker) collectTimeline(n ast.Node, md []byte) {
	secIdx := len(w.body.Sections) - 1
	switch x := n.(type) {
	case *ast.List:
		for it := x.FirstChild(); it != nil; it = it.NextSibling() {
			first := it.FirstChild()
			if first == nil {
				w.addRaw(secIdx, "", w.blockPos(it))
				continue
			}
			w.addRaw(secIdx, strings.Clone(w.plain(first, md)), w.blockPos(first)) // see heading
		}
	case *east.Table:
		for row := x.FirstChild(); row != nil; row = row.NextSibling() {
			if _, ok := row.(*east.TableHeader); ok {
				continue
			}
			cell := row.FirstChild()
			if cell == nil {
				continue
			}
			t := strings.Clone(w.plain(cell, md)) // see heading
			if next := cell.NextSibling(); next != nil {
				t += " — " + w.plain(next, md)
			}
			w.addRaw(secIdx, t, w.blockPos(cell))
		}
	}
}

func (w *walker) blockPos(n ast.Node) diag.Pos {
	if lo, _ := span(n); lo >= 0 {
		return w.pos(lo)
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if lo, _ := span(p); lo >= 0 {
			return w.pos(lo)
		}
	}
	return diag.Pos{}
}

func (w *walker) addRaw(sec int, text string, pos diag.Pos) {
	w.body.Timeline = append(w.body.Timeline, TimelineEntry{Text: text, Pos: pos, section: sec})
}

var (
	// A full entry: date and time, optional seconds and zone.
	fullTimeRE = regexp.MustCompile(`^\**\s*(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\**(?:\s|$|[—–:|,-])`)
	// A continuation: time only.
	timeOnlyRE = regexp.MustCompile(`^\**\s*(\d{1,2}:\d{2}(?::\d{2})?)\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\**(?:\s|$|[—–:|,-])`)
	sepRE      = regexp.MustCompile(`^[\s*]*[—–:|,-]?\s*`)
)

// buildTimeline keeps the entries collected in the timeline section and
// reads their times.
func (p *Postmortem) buildTimeline(opts Options) {
	raw := p.Body.Timeline
	p.Body.Timeline = nil
	var entries []TimelineEntry
	for _, e := range raw {
		idx := e.section
		if idx < 0 || idx >= len(p.Body.Sections) || !isTimelineHeading(p.Body.Sections[idx].Title, opts.TimelineSections) {
			continue
		}
		entries = append(entries, TimelineEntry{Pos: e.Pos, Text: e.Text})
	}
	var lastDate time.Time
	haveDate := false
	for i := range entries {
		e := &entries[i]
		txt := e.Text
		if m := fullTimeRE.FindStringSubmatchIndex(txt); m != nil {
			date, clock := txt[m[2]:m[3]], txt[m[4]:m[5]]
			zone := ""
			if m[6] >= 0 {
				zone = txt[m[6]:m[7]]
			}
			e.TimeText = strings.TrimSpace(strings.Trim(txt[:m[1]], "*—–:|,- "))
			if t, ok := readClock(date, clock, zone, opts.Location); ok {
				e.Time, e.OK = t, true
				lastDate, haveDate = t, true
			}
			e.Text = sepRE.ReplaceAllString(txt[m[1]:], "")
		} else if m := timeOnlyRE.FindStringSubmatchIndex(txt); m != nil {
			clock := txt[m[2]:m[3]]
			zone := ""
			if m[4] >= 0 {
				zone = txt[m[4]:m[5]]
			}
			e.TimeText = strings.TrimSpace(strings.Trim(txt[:m[1]], "*—–:|,- "))
			e.Inherited = true
			if haveDate {
				loc := lastDate.Location()
				date := lastDate.In(loc).Format("2006-01-02")
				if t, ok := readClock(date, clock, zone, loc); ok {
					e.Time, e.OK = t, true
				}
			}
			e.Text = sepRE.ReplaceAllString(txt[m[1]:], "")
		}
		if !utf8.ValidString(e.Text) {
			e.Text = strings.ToValidUTF8(e.Text, "\uFFFD")
		}
	}
	p.Body.Timeline = entries
}

func isTimelineHeading(title string, names []string) bool {
	t := strings.ToLower(strings.TrimSpace(title))
	for _, n := range names {
		if t == strings.ToLower(n) {
			return true
		}
	}
	return false
}

func readClock(date, clock, zone string, loc *time.Location) (time.Time, bool) {
	if strings.Count(clock, ":") == 1 {
		clock += ":00"
	}
	if len(clock) == 7 {
		clock = "0" + clock
	}
	s := date + "T" + clock
	switch {
	case zone == "":
		t, err := time.ParseInLocation("2006-01-02T15:04:05", s, loc)
		return t, err == nil
	case zone == "Z" || zone == "UTC" || zone == "GMT":
		t, err := time.ParseInLocation("2006-01-02T15:04:05", s, time.UTC)
		return t, err == nil
	default:
		if !strings.Contains(zone, ":") {
			zone = zone[:3] + ":" + zone[3:]
		}
		t, err := time.Parse(time.RFC3339, s+zone)
		return t, err == nil
	}
}
