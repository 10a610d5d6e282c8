package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// tableCellRenderer writes the tags of plain table cells (no alignment,
// no attributes) directly: goldmark's table renderer formats them with
// fmt.Fprintf, two allocations per cell, and an incident's tables have
// dozens of cells. Other cells go to goldmark's renderer, so the HTML is
// the same either way.
type tableCellRenderer struct {
	// table is a table renderer as the GFM extension makes it (GFM is
	// used without table options); it gets the renderer's options too.
	table    renderer.NodeRenderer
	fallback renderer.NodeRendererFunc
}

func newTableCellRenderer() *tableCellRenderer {
	r := &tableCellRenderer{table: extension.NewTableHTMLRenderer()}
	r.table.RegisterFuncs(funcCapture{kind: east.KindTableCell, fn: &r.fallback})
	return r
}

// SetOption implements renderer.SetOptioner: the options (XHTML, …) are
// the table renderer's.
func (r *tableCellRenderer) SetOption(name renderer.OptionName, value any) {
	if so, ok := r.table.(renderer.SetOptioner); ok {
		so.SetOption(name, value)
	}
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *tableCellRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTableCell, r.render)
}

func (r *tableCellRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*east.TableCell)
	if n.Alignment != east.AlignNone || n.Attributes() != nil {
		return r.fallback(w, source, node, entering)
	}
	header := n.Parent() != nil && n.Parent().Kind() == east.KindTableHeader
	switch {
	case entering && header:
		_, _ = w.WriteString("<th>")
	case entering:
		_, _ = w.WriteString("<td>")
	case header:
		_, _ = w.WriteString("</th>\n")
	default:
		_, _ = w.WriteString("</td>\n")
	}
	return ast.WalkContinue, nil
}
