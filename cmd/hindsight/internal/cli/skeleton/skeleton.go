package skeleton

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"text/template"
)

//go:embed all:files
var files embed.FS

// Module is hindsight's module path, for `go install`.
const Module = "github.com/hindsight-kb/hindsight"

// ActionRepo is the GitHub repository whose action.yml the workflows use.
const ActionRepo = "hindsight-kb/hindsight"

// Data is what the templates are filled with.
type Data struct {
	// Title is the site's title.
	Title string
	// Ref is the git ref of hindsight the workflows and pre-commit use:
	// the release tag of the running binary, or "main" for a development
	// build.
	Ref string
	// Version is what the action installs: the same tag, or "latest".
	Version string
	// RepoURL and BaseURL, when known (a GitHub remote), fill repo_url and
	// base_url; empty leaves them commented out.
	RepoURL, BaseURL string
}

// File is one file of the skeleton.
type File struct {
	// Path is slash-separated, relative to the KB root.
	Path string
	Data []byte
}

// Render returns the skeleton's files filled in with d, sorted by path.
func Render(d Data) ([]File, error) {
	if d.Title == "" {
		d.Title = "Postmortems"
	}
	if d.Ref == "" {
		d.Ref = "main"
	}
	if d.Version == "" {
		d.Version = "latest"
	}
	view := struct {
		Data
		Action, Module, GuideURL string
	}{Data: d, Action: ActionRepo, Module: Module, GuideURL: guideURL(d.RepoURL)}
	funcs := template.FuncMap{"quote": strconv.Quote}
	var out []File
	err := fs.WalkDir(files, "files", func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		text, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		rel := p[len("files/"):]
		t, err := template.New(rel).Delims("[[", "]]").Option("missingkey=error").Funcs(funcs).Parse(string(text))
		if err != nil {
			return fmt.Errorf("skeleton %s: %v", rel, err)
		}
		var b bytes.Buffer
		if err := t.Execute(&b, view); err != nil {
			return fmt.Errorf("skeleton %s: %v", rel, err)
		}
		out = append(out, File{Path: rel, Data: b.Bytes()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// guideURL is where the pull-request template points for the writing
// guide: the file on the repository's web pages when known, else a link
// relative to a pull request's page (/owner/repo/pull/N).
func guideURL(repoURL string) string {
	if repoURL != "" {
		return repoURL + "/blob/HEAD/content/writing-guide.md"
	}
	return "../blob/HEAD/content/writing-guide.md"
}
