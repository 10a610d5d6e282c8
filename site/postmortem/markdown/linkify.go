package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// gfm is extension.GFM with fastLinkify in place of extension.Linkify, or
// without linkify when noLinkify is set.
type gfm struct {
	noLinkify bool
}

// Extend implements goldmark.Extender, as extension.GFM does.
func (g gfm) Extend(m goldmark.Markdown) {
	if !g.noLinkify {
		m.Parser().AddOptions(parser.WithInlineParsers(
			util.Prioritized(fastLinkify{extension.NewLinkifyParser()}, 999),
		))
	}
	extension.Table.Extend(m)
	extension.Strikethrough.Extend(m)
	extension.TaskList.Extend(m)
}

// fastLinkify is goldmark's linkify parser, asked only where it can find
// something. It is tried at every space of every text: where the word
// does not start with the h, f or w of "http:", "https:", "ftp:" or
// "www.", only an email address can be linked, and that needs an '@'
// further on the line (goldmark's check reads the word first). Where it
// returns nil it has changed nothing, so the AST is the same.
type fastLinkify struct {
	parser.InlineParser
}

// Parse implements parser.InlineParser.
func (p fastLinkify) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) > 0 {
		// As goldmark's: skip the trigger character.
		switch line[0] {
		case ' ', '*', '_', '~', '(':
			line = line[1:]
		}
		if len(line) == 0 {
			return nil
		}
		switch line[0] {
		case 'h', 'f', 'w':
		default:
			if util.IsPunct(line[0]) || bytes.IndexByte(line, '@') < 0 {
				return nil
			}
		}
	}
	return p.InlineParser.Parse(parent, block, pc)
}
