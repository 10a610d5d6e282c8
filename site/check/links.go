package check

import (
	"fmt"
	"path"
	"strings"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// brokenLink reports a relative Markdown link or image whose target file
// does not exist. Absolute URLs (http:, https:, mailto: …), site-absolute
// paths and #anchors are left alone; targets are resolved against the
// linking file's folder.
type brokenLink struct{}

func (brokenLink) ID() string { return "broken-link" }

func (brokenLink) CheckText(c *Context, d *Doc) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, l := range d.Body.Links {
		target, _, ok := kb.Target(d.Path, l.Dest)
		if !ok || c.files[target] {
			continue
		}
		if target == ".." || strings.HasPrefix(target, "../") {
			// Nothing outside the KB is read, not even to see whether it
			// exists (an answer would tell a pull request about the
			// machine that checks it), and the site could not link there.
			out = append(out, errorf(d.Path, l.Pos, "broken-link",
				fmt.Sprintf("link %q points outside the knowledge base, which the site cannot link to; link with a full https:// URL", l.Dest)))
			continue
		}
		if c.KB.Exists(target) {
			continue
		}
		what := "link"
		if l.Image {
			what = "image"
		}
		hint := "fix the path (it is relative to this file's folder) or remove the " + what
		if ext := strings.ToLower(path.Ext(target)); ext == ".md" || ext == ".markdown" {
			if sug := diag.Suggest(path.Base(target), c.mdList, 1); len(sug) > 0 {
				hint = fmt.Sprintf("did you mean %q? (paths are relative to this file's folder)", relPath(path.Dir(d.Path), c.mdNames[sug[0]]))
			}
		}
		out = append(out, errorf(d.Path, l.Pos, "broken-link",
			fmt.Sprintf("%s %q points to %s, which does not exist; %s", what, l.Dest, target, hint)))
	}
	return out
}

// relPath returns the slash path of to relative to the folder from.
func relPath(from, to string) string {
	f := strings.Split(from, "/")
	t := strings.Split(to, "/")
	i := 0
	for i < len(f) && i < len(t)-1 && f[i] == t[i] {
		i++
	}
	return strings.Repeat("../", len(f)-i) + strings.Join(t[i:], "/")
}
