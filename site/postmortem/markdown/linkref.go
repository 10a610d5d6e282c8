package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// linkRefFilter runs goldmark's link reference definition transformer only
// on paragraphs that can hold a definition: those whose first character
// that is not a space is '['. For the others the transformer reads that
// character, finds no definition and changes nothing, after making a
// block reader (an allocation per paragraph).
type linkRefFilter struct {
	next parser.ParagraphTransformer
}

// Transform implements parser.ParagraphTransformer.
func (t linkRefFilter) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	src := reader.Source()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		for _, c := range src[seg.Start:seg.Stop] {
			if util.IsSpace(c) {
				continue
			}
			if c == '[' {
				t.next.Transform(node, reader, pc)
			}
			return
		}
	}
	// Blank: let the transformer decide.
	t.next.Transform(node, reader, pc)
}

// newGoldmarkParser is goldmark's default parser with linkRefFilter in
// front of the link reference transformer.
func newGoldmarkParser() parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(util.Prioritized(linkRefFilter{parser.LinkReferenceParagraphTransformer}, 100)),
	)
}
