package postmortem

import (
	"bytes"
	"sort"

	"github.com/yuin/goldmark/ast"
)

// Rendering a body without the linkify parser.
//
// goldmark tries linkify at every space and '(' of every text: before each
// try it closes the text run read so far (ast.MergeOrAppendTextSegment),
// and that costs about a fifth of the parse, for bodies that rarely hold a
// bare URL. Where linkify cannot link anything the HTML is the same
// without it, and so is the AST but for one thing: the last text node of
// each line. With linkify, the run that ends a line starts at the last
// space or '(' of the line (the last place linkify was tried), and what
// came before it was merged into the node before, when that was a text
// node ending where the run starts; without linkify, the run starts at
// the last inline node or failed trigger. Body.Prose is made of text
// nodes, so the walker (resplitText) splits those runs again as linkify
// would have: the model and the HTML are the same either way
// (TestNoLinkifySame and FuzzNoLinkify compare both parses).
//
// noLinkify admits only bodies whose lines the split is known for; the
// walker gives up (walker.bail) on anything else it meets, and the body is
// parsed again with linkify.

// noLinkify reports whether linkify can link nothing in md, and md keeps
// to what resplitText handles: no '@' (e-mail addresses), no "http",
// "www." or "ftp:" (URLs), no backslash escapes, '<', '!', '~' (raw HTML
// and autolinks, image labels, strikethrough: text nodes made from other
// nodes), no tabs, vertical tabs, form feeds or carriage returns, and no
// line ending in two spaces or more.
func noLinkify(md []byte) bool {
	// One vectorized pass per byte (bytes.IndexByte) is much faster than
	// one loop testing each byte against the set.
	for _, c := range []byte("@\\<!~\t\v\f\r") {
		if bytes.IndexByte(md, c) >= 0 {
			return false
		}
	}
	if n := len(md); bytes.Contains(md, []byte("  \n")) || n >= 2 && md[n-1] == ' ' && md[n-2] == ' ' {
		return false
	}
	return !bytes.Contains(md, []byte("http")) && !bytes.Contains(md, []byte("www.")) &&
		!bytes.Contains(md, []byte("ftp:"))
}

// lineRun is a text node that may end its line, waiting for the next text
// node to tell (a text node after it on its line means it does not).
type lineRun struct {
	node *ast.Text
	// lineEnd is the end of the node's line in its block (its segment's
	// stop); nl whether the line ends with a line break.
	lineEnd int
	nl      bool
	// split is where linkify's last try was on the line.
	split int
}

// resplitText adds the prose span of t, splitting runs that end a line as
// linkify would (see above).
func (w *walker) resplitText(t *ast.Text) {
	seg := t.Segment
	if seg.Padding != 0 {
		w.bail = true
		return
	}
	s, e := seg.Start, seg.Stop
	if r := &w.pending; r.node != nil {
		if s >= r.node.Segment.Stop && (s < r.lineEnd || s == r.lineEnd && !r.nl) {
			// Another text node on the line: r does not end it.
			r.node = nil
		} else {
			w.finishPending()
		}
	}
	if e > s {
		w.prose = append(w.prose, Span{Text: w.mds[s:e], Pos: w.pos(s), Offset: w.base + s})
	}
	// The line of t in its block.
	var blk ast.Node = t.Parent()
	for blk != nil && blk.Type() != ast.TypeBlock {
		blk = blk.Parent()
	}
	if blk == nil {
		w.bail = true
		return
	}
	// The line is found by binary search: the lines are in order, and a
	// paragraph of many lines has as many text nodes (a scan from the
	// first line for each was quadratic: seconds for a 1 MiB paragraph).
	ls := blk.Lines()
	lineEnd := -1
	if n := ls.Len(); n > 0 {
		i := sort.Search(n, func(i int) bool { return ls.At(i).Stop > s })
		if i == n {
			i = n - 1 // s at the end of the last line
		}
		g := ls.At(i)
		if g.Padding != 0 {
			w.bail = true
			return
		}
		if s >= g.Start && (s < g.Stop || s == g.Stop && i == n-1) {
			lineEnd = g.Stop
		}
	}
	if lineEnd < 0 || e > lineEnd {
		w.bail = true
		return
	}
	md := w.src[w.base:]
	rawEnd := lineEnd
	nl := rawEnd > 0 && md[rawEnd-1] == '\n'
	if nl {
		rawEnd--
	}
	if e > rawEnd {
		w.bail = true
		return
	}
	// A run that ends its line is followed by spaces only (noLinkify
	// allows at most one).
	split := -1
	switch rest := md[e:rawEnd]; {
	case len(rest) == 0:
	case len(rest) == 1 && rest[0] == ' ':
		if e > s {
			split = e // tried at the trailing space
		}
	case len(bytes.Trim(rest, " ")) != 0:
		return // not the end of its line
	default:
		w.bail = true
		return
	}
	// The run of a line has no trigger of another inline parser after
	// its start (it would have ended the run there): a text node that
	// does is a delimiter or a link label opener turned into text and
	// merged into the node before it, which ended a line that had no run
	// of its own.
	if s+1 < e && bytes.ContainsAny(md[s+1:e], "*_[]`") {
		return
	}
	if split < 0 {
		for p := e - 1; p > s; p-- {
			if md[p] == ' ' || md[p] == '(' {
				split = p
				break
			}
		}
	}
	if split < 0 {
		return
	}
	w.pending = lineRun{node: t, lineEnd: lineEnd, nl: nl, split: split}
}

// finishPending splits the pending run, which ends its line: the part
// before the split joins the text node before it when linkify would have
// merged it there.
func (w *walker) finishPending() {
	r := w.pending
	if r.node == nil {
		return
	}
	w.pending.node = nil
	md := w.src[w.base:]
	s, e, split := r.node.Segment.Start, r.node.Segment.Stop, r.split
	// The run's own span is the last one (when it is not empty).
	n := len(w.prose)
	if e > s && (n == 0 || w.prose[n-1].Offset != w.base+s) {
		w.bail = true
		return
	}
	merge := false
	prev, _ := r.node.PreviousSibling().(*ast.Text)
	if prev != nil && prev.Segment.Stop == s && prev.Segment.Start < s && !prev.SoftLineBreak() && !prev.HardLineBreak() {
		// prev was a text node while the line was read, unless its end
		// is an emphasis delimiter or a link label opener, which
		// became text only once the block (or, for a "[" closed by a
		// failed "]" right after it, that "]") was read.
		switch md[s-1] {
		case '*', '_':
		case '[':
			merge = md[s] == ']'
		default:
			merge = true
		}
	}
	if merge {
		j := n - 1
		if e > s {
			j = n - 2
		}
		if j < 0 || w.prose[j].Offset != w.base+prev.Segment.Start {
			w.bail = true
			return
		}
		w.prose[j].Text = w.mds[prev.Segment.Start:split]
		if e > s {
			w.prose = w.prose[:n-1]
		}
	} else if e > s {
		w.prose[n-1].Text = w.mds[s:split]
	} else {
		w.prose = append(w.prose, Span{Text: w.mds[s:split], Pos: w.pos(s), Offset: w.base + s})
	}
	if split < e {
		w.prose = append(w.prose, Span{Text: w.mds[split:e], Pos: w.pos(split), Offset: w.base + split})
	}
}
