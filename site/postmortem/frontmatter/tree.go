package frontmatter

import (
	"errors"
	"strings"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/tree"
)

// Parse decodes the data of b, which has a format, into a tree whose
// root is a mapping; yp parses YAML (its memory reused from one file to
// the next: the tree lives until the next Parse with it). A syntax error
// or a root that is not a mapping is returned as a frontmatter-syntax
// diagnostic without its File.
func Parse(b *Block, yp *tree.YAMLParser) (*tree.Node, *diag.Diagnostic) {
	var root *tree.Node
	var err error
	switch b.Format {
	case "yaml":
		root, err = yp.Parse(b.Data, b.Line)
	case "toml":
		root, err = tree.FromTOML(b.Data, b.Line)
	case "json":
		root, err = tree.FromJSON(b.Data, b.Line)
	}
	if err != nil {
		var se *tree.SyntaxError
		pos := b.Open
		msg := err.Error()
		if errors.As(err, &se) {
			pos, msg = se.Pos, se.Msg
		}
		format := strings.ToUpper(b.Format)
		return nil, &diag.Diagnostic{Pos: pos, Severity: diag.Error,
			Rule: "frontmatter-syntax", Message: "front matter is not valid " + format + ": " + strings.TrimPrefix(msg, format+": ")}
	}
	if root.Kind != tree.Map {
		return nil, &diag.Diagnostic{Pos: root.Pos, Severity: diag.Error,
			Rule: "frontmatter-syntax", Message: "front matter must be a mapping of keys to values, got " + root.Describe()}
	}
	return root, nil
}
