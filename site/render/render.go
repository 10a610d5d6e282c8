package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
)

// Data is what every template receives (docs/theme.md).
type Data struct {
	Site *SiteInfo
	// Root is the relative prefix to the site root: "", "../", "../../".
	Root string
	// Path is the output file, e.g. "causes/dns/index.html".
	Path string
	// URL is the page's folder URL, e.g. "causes/dns/" ("" for the home
	// page).
	URL string
	// Section is the first folder of URL with its slash ("causes/" for
	// "causes/dns/"; "" for the home page): the navigation entry the page
	// belongs to. Templates cached per section use it instead of URL.
	Section string
	// Kind is the page kind: home, list, postmortem, taxonomy, term, page,
	// 404, search, trends, actions.
	Kind  string
	Title string
	// Page is the kind-specific view model.
	Page any
	Now  time.Time
}

// SiteInfo is the part of Data shared by every page.
type SiteInfo struct {
	Title   string
	BaseURL string
	Nav     []NavItem
	Config  *config.Config
	// Audience is "internal" or "public".
	Audience   string
	LiveReload bool
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Title string
	// URL is a site-relative folder URL such as "causes/".
	URL string
}

// Theme is a parsed theme: one template set per page kind. It is safe for
// concurrent use.
type Theme struct {
	kinds map[string]*template.Template
	// base holds baseof and the partials, for Partial.
	base *template.Template
}

// Load parses the layouts of fsys (layouts/baseof.html, layouts/*.html,
// layouts/partials/*.html) with funcs. Errors name the file.
func Load(fsys fs.FS, funcs template.FuncMap) (*Theme, error) {
	return LoadWith(fsys, funcs, nil)
}

// LoadWith is Load with extra kind templates given as source text, which
// take the place of the theme's file of the same kind.
func LoadWith(fsys fs.FS, funcs template.FuncMap, extra map[string]string) (*Theme, error) {
	base := template.New("baseof.html").Funcs(funcs)
	src, err := fs.ReadFile(fsys, "layouts/baseof.html")
	if err != nil {
		return nil, fmt.Errorf("theme: layouts/baseof.html: %w", err)
	}
	if _, err := base.Parse(string(src)); err != nil {
		return nil, fmt.Errorf("theme: layouts/baseof.html: %w", err)
	}
	partials, _ := fs.Glob(fsys, "layouts/partials/*.html")
	sort.Strings(partials)
	for _, p := range partials {
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("theme: %s: %w", p, err)
		}
		name := strings.TrimPrefix(p, "layouts/")
		if _, err := base.New(name).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("theme: %s: %w", p, err)
		}
	}
	kinds, _ := fs.Glob(fsys, "layouts/*.html")
	t := &Theme{kinds: map[string]*template.Template{}}
	pb, err := base.Clone()
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	t.base = pb
	for _, k := range kinds {
		name := path.Base(k)
		if name == "baseof.html" {
			continue
		}
		src, err := fs.ReadFile(fsys, k)
		if err != nil {
			return nil, fmt.Errorf("theme: %s: %w", k, err)
		}
		c, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("theme: %s: %w", k, err)
		}
		if _, err := c.New(name).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("theme: %s: %w", k, err)
		}
		t.kinds[strings.TrimSuffix(name, ".html")] = c
	}
	for kind, src := range extra {
		c, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("theme: %s: %w", kind, err)
		}
		if _, err := c.New(kind + ".html").Parse(src); err != nil {
			return nil, fmt.Errorf("theme: built-in %s template: %w", kind, err)
		}
		t.kinds[kind] = c
	}
	return t, nil
}

// Has reports whether the theme has a template for kind.
func (t *Theme) Has(kind string) bool { return t.kinds[kind] != nil }

// Execute renders kind with d to w.
func (t *Theme) Execute(w io.Writer, kind string, d *Data) error {
	tpl := t.kinds[kind]
	if tpl == nil {
		return fmt.Errorf("theme has no layouts/%s.html", kind)
	}
	if err := tpl.ExecuteTemplate(w, "baseof.html", d); err != nil {
		return fmt.Errorf("theme: layouts/%s.html: %w", kind, err)
	}
	return nil
}

// Partial executes the partial template name (e.g. "partials/pmrow.html")
// with data, for template functions that cache fragments.
func (t *Theme) Partial(name string, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := t.base.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("theme: layouts/%s: %w", name, err)
	}
	return template.HTML(buf.String()), nil
}

// Bytes renders kind with d and returns the page.
func (t *Theme) Bytes(kind string, d *Data) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := t.Execute(&buf, kind, d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
