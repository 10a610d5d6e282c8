package helptext

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/search/query"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// TestFrontMatterHelpComplete: `hindsight help frontmatter` documents
// exactly the keys the parser knows, impact's and actions' too.
func TestFrontMatterHelpComplete(t *testing.T) {
	same := func(what string, schema []string, documented map[string]bool) {
		for _, k := range schema {
			if !documented[k] {
				t.Errorf("%s key %q is not documented in helptext.go", what, k)
			}
			delete(documented, k)
		}
		for k := range documented {
			t.Errorf("helptext.go documents %s key %q, which the parser does not know", what, k)
		}
	}
	keys := func(m map[string]string) map[string]bool {
		out := map[string]bool{}
		for k := range m {
			out[k] = true
		}
		return out
	}
	fm := map[string]bool{}
	for k := range frontMatterDoc() {
		fm[k] = true
	}
	same("front matter", postmortem.FrontMatterKeys(), fm)
	same("impact", postmortem.ImpactKeys(), keys(impactDoc()))
	same("action", postmortem.ActionKeys(), keys(actionDoc()))

	var b bytes.Buffer
	cfg := config.Default()
	cfg.Severities = []string{"CRIT", "HIGH"}
	cfg.Categories = []string{"ok", "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07", "rtl\u202eexe"}
	WriteFrontMatter(&b, cfg)
	out := b.String()
	for _, want := range []string{"near_miss", "CRIT, HIGH", "users_affected    integer", "required, one of P0, P1, P2, P3", "Root Cause Analysis (or Root Cause, Root Causes, RCA)"} {
		if !strings.Contains(out, want) {
			t.Errorf("help frontmatter lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "{") {
		t.Errorf("a placeholder is left:\n%s", out)
	}
	if strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Errorf("a control character from the config reached the output:\n%q", out)
	}
	if !strings.Contains(out, `rtl\u202eexe`) {
		t.Errorf("the bidi control is not shown escaped:\n%s", out)
	}
}

// TestQueryHelpComplete: every filter the query parser documents is in
// `hindsight help query`.
func TestQueryHelpComplete(t *testing.T) {
	for _, f := range query.FieldNames() {
		if !strings.Contains(Query, f+":") {
			t.Errorf("help query does not mention %s:", f)
		}
	}
}

// TestNoPackageVariables: the package keeps no package-level variables
// (DESIGN.md: no package-level mutable state); its tables are built on
// each call.
func TestNoPackageVariables(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
				t.Errorf("%s: a package-level var; make it a function that returns a fresh value, or a constant", fset.Position(g.Pos()))
			}
		}
	}
}
