package markdown

import (
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// taskBox renders a task list item's box ("- [x] …") as goldmark does,
// plus a name: a form control without one is an accessibility error
// (axe-core "label"), even disabled. The name says the state in words;
// the item's text follows the box.
type taskBox struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (taskBox) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTaskCheckBox, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.(*east.TaskCheckBox).IsChecked {
			_, _ = w.WriteString(`<input checked="" disabled="" type="checkbox" aria-label="Done"> `)
		} else {
			_, _ = w.WriteString(`<input disabled="" type="checkbox" aria-label="To do"> `)
		}
		return ast.WalkContinue, nil
	})
}
