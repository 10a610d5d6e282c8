package kb

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Update returns a new KB that reflects the files named in changed, which
// may have been modified, added or removed since k was loaded. k is not
// modified: the new KB shares every unchanged *postmortem.Postmortem and
// *postmortem.Page with k (copy-on-write), so both stay valid for readers
// that still hold k.
//
// changed holds paths of files or folders, either absolute or slash paths
// relative to k.Root; a folder stands for everything under it (a renamed or
// removed folder). The content folder is listed again (names only, no
// reading), so files that appeared or disappeared without being named in
// changed are picked up too, except when every changed path is a file k
// has and still a plain file on disk (an edit in place: k's listing is
// reused, which saves a walk of the whole folder). A file is read and parsed again when it is
// named in changed (or under a named folder), when it is new, or when its
// body links to a file whose URL changed (added, removed, or a new id),
// since its rendered HTML would otherwise point at the old URL. (A file
// whose front matter cannot be read does not count as moved: the live
// preview keeps showing its last good version.)
//
// opts must be the options k was loaded with; the parser options come from
// k.Config, as in Load. Update fails only when the root cannot be read;
// problems with files are diagnostics, as in Load.
func (k *KB) Update(changed []string, opts Options) (*KB, error) {
	st, err := os.Stat(k.Root)
	if err != nil {
		return nil, fmt.Errorf("knowledge base folder %s: %w", k.Root, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("knowledge base %s is not a folder any more", k.Root)
	}
	// A fresh root each time: the folder may have been replaced.
	d, err := OpenDir(k.Root)
	if err != nil {
		return nil, fmt.Errorf("knowledge base folder %s: %w", k.Root, err)
	}
	dirty := map[string]bool{}
	for _, c := range changed {
		if rel, ok := k.relPath(c); ok {
			dirty[rel] = true
		}
	}

	oldPM := make(map[string]*postmortem.Postmortem, len(k.Postmortems))
	for _, p := range k.Postmortems {
		oldPM[p.Path] = p
	}
	oldPage := make(map[string]*postmortem.Page, len(k.Pages))
	for _, p := range k.Pages {
		oldPage[p.Path] = p
	}
	oldProblem := map[string][]diag.Diagnostic{}
	for _, d := range k.Problems {
		oldProblem[d.File] = append(oldProblem[d.File], d)
	}

	// The content folder is listed again unless every changed path is a
	// file k already has that still is a plain file (an edit in place,
	// the common case while writing): then k's listing holds.
	var files []file
	var assets []string
	var walkProblems []diag.Diagnostic
	if onlyKnownFiles(d, dirty, oldPM, oldPage, oldProblem) {
		files, assets, walkProblems = k.listing(oldProblem)
	} else {
		files, assets, walkProblems = walk(d, k.Root)
	}
	// Changed folders (renamed, removed, created) stand for what is
	// under them.
	var dirtyDirs []string
	for d := range dirty {
		if oldPM[d] == nil && oldPage[d] == nil && oldProblem[d] == nil {
			dirtyDirs = append(dirtyDirs, d)
		}
	}
	isDirty := func(rel string) bool {
		if dirty[rel] {
			return true
		}
		for _, d := range dirtyDirs {
			if d == "." || strings.HasPrefix(rel, d+"/") {
				return true
			}
		}
		return false
	}

	// reread[i] says whether files[i] is read again.
	reread := make([]bool, len(files))
	for i, f := range files {
		_, known := oldPM[f.rel]
		if f.page {
			_, known = oldPage[f.rel]
		}
		if !known {
			_, known = oldProblem[f.rel]
		}
		reread[i] = !known || isDirty(f.rel)
	}

	ps := postmortem.NewParser(ParserOptions(k.Config))
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type result struct {
		done    bool
		pm      *postmortem.Postmortem
		src     []byte
		problem *diag.Diagnostic
	}
	results := make([]result, len(files))
	rd := newFolders(d)
	defer rd.close()
	readFrontMatter := func() {
		var todo []int
		for i := range files {
			if reread[i] && !results[i].done {
				todo = append(todo, i)
			}
		}
		Parallel(len(todo), workers, func(j int) {
			i := todo[j]
			f := files[i]
			r := result{done: true}
			data, problem := readFile(rd, f, k.Config.MaxFileSize)
			switch {
			case problem != nil:
				r.problem = problem
			case f.page:
				r.src = data
			default:
				r.pm = ps.ParseFrontMatter(f.rel, data)
			}
			results[i] = r
		})
	}
	readFrontMatter()

	// Which link targets now lead somewhere else: postmortems whose URL
	// changed, appeared or disappeared, and assets that came or went.
	newURL := map[string]string{}
	for i, f := range files {
		switch {
		case results[i].done && results[i].pm != nil:
			newURL[f.rel] = results[i].pm.URL()
		case !results[i].done && oldPM[f.rel] != nil:
			newURL[f.rel] = oldPM[f.rel].URL()
		}
	}
	// A file whose front matter cannot be read now does not count as
	// moved, though its id fell back to the file name: the live preview
	// goes on showing its last good version (site.Update), so links to it
	// keep their target.
	broken := map[string]bool{}
	for i, f := range files {
		if r := results[i]; r.done && r.pm != nil && frontMatterBroken(r.pm) {
			broken[f.rel] = true
		}
	}
	moved := map[string]bool{}
	for p, old := range oldPM {
		if newURL[p] != old.URL() && !broken[p] {
			moved[p] = true
		}
	}
	for p := range newURL {
		if _, ok := oldPM[p]; !ok {
			moved[p] = true
		}
	}
	oldAssets := make(map[string]bool, len(k.Assets))
	for _, a := range k.Assets {
		oldAssets[a] = true
	}
	newAssets := make(map[string]bool, len(assets))
	for _, a := range assets {
		newAssets[a] = true
		if !oldAssets[a] {
			moved[a] = true
		}
	}
	for a := range oldAssets {
		if !newAssets[a] {
			moved[a] = true
		}
	}
	if len(moved) > 0 && opts.RenderHTML {
		more := false
		for i, f := range files {
			if reread[i] {
				continue
			}
			var body *postmortem.Body
			if p := oldPM[f.rel]; p != nil {
				body = &p.Body
			} else if p := oldPage[f.rel]; p != nil {
				body = &p.Body
			}
			if body != nil && linksInto(f.rel, body, moved) {
				reread[i], more = true, true
			}
		}
		if more {
			readFrontMatter()
		}
	}

	nk := &KB{Root: k.Root, Config: k.Config, Assets: assets, dir: d}
	nk.Problems = append(nk.Problems, walkProblems...)
	for i, f := range files {
		r := results[i]
		if !r.done {
			if p := oldPM[f.rel]; p != nil && !f.page {
				nk.Postmortems = append(nk.Postmortems, p)
			}
			nk.Problems = append(nk.Problems, oldProblem[f.rel]...)
			continue
		}
		if r.problem != nil {
			nk.Problems = append(nk.Problems, *r.problem)
		}
		if r.pm != nil {
			nk.Postmortems = append(nk.Postmortems, r.pm)
		}
	}

	// Links to a file whose front matter broke keep pointing at its
	// last good URL, as above.
	target := nk
	if len(broken) > 0 {
		cp := *nk
		cp.Postmortems = make([]*postmortem.Postmortem, len(nk.Postmortems))
		for i, p := range nk.Postmortems {
			if old := oldPM[p.Path]; broken[p.Path] && old != nil {
				p = old
			}
			cp.Postmortems[i] = p
		}
		target = &cp
	}
	resolver := NewResolver(target)
	resolver.IndexFile = opts.IndexFile
	pages := make([]*postmortem.Page, len(files))
	var todo []int
	for i, f := range files {
		if results[i].done {
			todo = append(todo, i)
		} else if f.page {
			pages[i] = oldPage[f.rel]
		}
	}
	Parallel(len(todo), workers, func(j int) {
		i := todo[j]
		if pg := parseBody(ps, resolver, files[i], results[i].pm, results[i].src, opts); pg != nil {
			pages[i] = pg
		}
	})
	for _, pg := range pages {
		if pg != nil {
			nk.Pages = append(nk.Pages, pg)
		}
	}
	return nk, nil
}

// onlyKnownFiles reports whether every changed path is a file of k that
// is still a plain file on disk, so no file can have appeared or gone.
func onlyKnownFiles(d *Dir, dirty map[string]bool, pms map[string]*postmortem.Postmortem, pages map[string]*postmortem.Page, problems map[string][]diag.Diagnostic) bool {
	if len(dirty) == 0 {
		return false
	}
	for rel := range dirty {
		if pms[rel] == nil && pages[rel] == nil && (problems[rel] == nil || !isListed(rel)) {
			return false
		}
		st, err := d.root.Lstat(filepath.FromSlash(rel))
		if err != nil || !st.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// isListed reports whether walk lists a file at rel (as a postmortem or
// a page).
func isListed(rel string) bool {
	return strings.HasPrefix(rel, PostmortemsDir+"/") && isMarkdown(rel) ||
		path.Dir(rel) == ContentDir && isMarkdown(rel)
}

// listing rebuilds walk's result from k: its postmortems, pages, the files
// that could not be read, its assets, and the problems walk found (the
// ones about other paths than listed files).
func (k *KB) listing(problems map[string][]diag.Diagnostic) ([]file, []string, []diag.Diagnostic) {
	var files []file
	seen := map[string]bool{}
	add := func(rel string) {
		if seen[rel] {
			return
		}
		seen[rel] = true
		files = append(files, file{rel: rel, page: !strings.HasPrefix(rel, PostmortemsDir+"/")})
	}
	for _, p := range k.Postmortems {
		add(p.Path)
	}
	for _, p := range k.Pages {
		add(p.Path)
	}
	for rel := range problems {
		if isListed(rel) {
			add(rel)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
	var walkProblems []diag.Diagnostic
	for _, d := range k.Problems {
		if !seen[d.File] {
			walkProblems = append(walkProblems, d)
		}
	}
	return files, k.Assets, walkProblems
}

// relPath turns a changed path (absolute, or relative to the root) into a
// clean slash path relative to the root; ok is false for paths outside it.
func (k *KB) relPath(p string) (string, bool) {
	if filepath.IsAbs(p) {
		rel, err := filepath.Rel(k.Root, p)
		if err != nil {
			return "", false
		}
		p = rel
	}
	p = path.Clean(filepath.ToSlash(p))
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", false
	}
	return p, true
}

// frontMatterBroken reports a postmortem whose front matter could not be
// read.
func frontMatterBroken(p *postmortem.Postmortem) bool {
	for _, d := range p.Problems {
		if d.Rule == "frontmatter-syntax" && d.Severity == diag.Error {
			return true
		}
	}
	return false
}

// linksInto reports whether a body written in file from has a relative
// link to one of the paths in targets.
func linksInto(from string, b *postmortem.Body, targets map[string]bool) bool {
	for _, l := range b.Links {
		if t, _, ok := Target(from, l.Dest); ok && targets[t] {
			return true
		}
	}
	return false
}
