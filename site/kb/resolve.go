package kb

import (
	"net/url"
	"path"
	"strings"
)

// Resolver maps relative links written in Markdown (to another
// postmortem's .md file, a page, or an asset under content/) to the URL of
// what they point at in the built site.
type Resolver struct {
	// byPath maps a KB-relative slash path to its site URL (relative to the
	// site root, e.g. "postmortems/edge-cert/").
	byPath map[string]string
	// IndexFile is appended to URLs of page folders ("x/" → "x/index.html")
	// when set.
	IndexFile string
}

// NewResolver indexes the postmortems, pages and assets of k. Pages are
// known by path alone, so it can be built before their bodies are parsed.
func NewResolver(k *KB) *Resolver {
	r := &Resolver{byPath: map[string]string{}}
	for _, p := range k.Postmortems {
		r.byPath[p.Path] = p.URL()
	}
	for _, a := range k.Assets {
		r.byPath[a] = strings.TrimPrefix(a, ContentDir+"/")
	}
	return r
}

// Target returns the KB path a link written in file from points at, and
// the fragment; ok is false for absolute URLs, anchors and mail links.
func Target(from, dest string) (target, frag string, ok bool) {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "//") {
		return "", "", false
	}
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
		return "", "", false
	}
	return path.Join(path.Dir(from), u.Path), u.Fragment, true
}

// For returns a link rewriter for a page written from file from whose URL
// is depth folders below the site root.
func (r *Resolver) For(from string, depth int) func(string) (string, bool) {
	prefix := strings.Repeat("../", depth)
	return func(dest string) (string, bool) {
		target, frag, ok := Target(from, dest)
		if !ok {
			return "", false
		}
		u, ok := r.byPath[target]
		if !ok && isMarkdown(target) && path.Dir(target) == ContentDir {
			slug := strings.ToLower(strings.TrimSuffix(path.Base(target), path.Ext(target)))
			u, ok = slug+"/", true
		}
		if !ok {
			return "", false
		}
		if r.IndexFile != "" && strings.HasSuffix(u, "/") {
			u += r.IndexFile
		}
		if frag != "" {
			u += "#" + frag
		}
		return prefix + u, true
	}
}
