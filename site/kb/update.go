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
//
// The steps, in order: list the files (list), mark the changed and new
// ones (markChanged), read their front matter (readFrontMatter), mark the
// files that link to a moved one and read those too (markLinkers),
// assemble the new KB from the new and the kept values (assemble), and
// parse the bodies read again (parseBodies).
func (k *KB) Update(changed []string, opts Options) (*KB, error) {
	d, err := k.reopen()
	if err != nil {
		return nil, err
	}
	u := newUpdate(k, d, changed, opts)
	rd := newFolders(d)
	defer rd.close()
	u.rd = rd
	u.list()
	u.markChanged()
	u.readFrontMatter()
	if moved := u.moved(); len(moved) > 0 && opts.RenderHTML && u.markLinkers(moved) {
		u.readFrontMatter()
	}
	nk := u.assemble()
	u.parseBodies(nk)
	return nk, nil
}

// reopen opens k's root again: the folder may have been replaced.
func (k *KB) reopen() (*Dir, error) {
	st, err := os.Stat(k.Root)
	if err != nil {
		return nil, fmt.Errorf("knowledge base folder %s: %w", k.Root, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("knowledge base %s is not a folder any more", k.Root)
	}
	d, err := OpenDir(k.Root)
	if err != nil {
		return nil, fmt.Errorf("knowledge base folder %s: %w", k.Root, err)
	}
	return d, nil
}

// update is one run of Update: the old KB indexed by path, the listing,
// and what each step decides about each listed file.
type update struct {
	k       *KB
	d       *Dir
	rd      *folders
	opts    Options
	ps      *postmortem.Parser
	workers int
	// dirty holds the changed paths (relative); dirtyDirs those of them
	// that are no file of k (folders renamed, removed or created).
	dirty     map[string]bool
	dirtyDirs []string
	// The old KB by path.
	oldPM      map[string]*postmortem.Postmortem
	oldPage    map[string]*postmortem.Page
	oldProblem map[string][]diag.Diagnostic
	// list: the files and assets now, and walk's own problems.
	files        []file
	assets       []string
	walkProblems []diag.Diagnostic
	// reread[i] says whether files[i] is read again; results[i] is what
	// reading it gave.
	reread  []bool
	results []readResult
	// broken: files whose front matter cannot be read now (they do not
	// count as moved, and links to them keep their last good target).
	broken map[string]bool
}

// readResult is what reading one file again gave.
type readResult struct {
	done    bool
	pm      *postmortem.Postmortem
	src     []byte
	problem *diag.Diagnostic
}

func newUpdate(k *KB, d *Dir, changed []string, opts Options) *update {
	u := &update{k: k, d: d, opts: opts, ps: postmortem.NewParser(ParserOptions(k.Config)), workers: opts.Workers,
		dirty:      map[string]bool{},
		oldPM:      make(map[string]*postmortem.Postmortem, len(k.Postmortems)),
		oldPage:    make(map[string]*postmortem.Page, len(k.Pages)),
		oldProblem: map[string][]diag.Diagnostic{},
	}
	if u.workers <= 0 {
		u.workers = runtime.GOMAXPROCS(0)
	}
	for _, c := range changed {
		if rel, ok := k.relPath(c); ok {
			u.dirty[rel] = true
		}
	}
	for _, p := range k.Postmortems {
		u.oldPM[p.Path] = p
	}
	for _, p := range k.Pages {
		u.oldPage[p.Path] = p
	}
	for _, d := range k.Problems {
		u.oldProblem[d.File] = append(u.oldProblem[d.File], d)
	}
	for d := range u.dirty {
		if u.oldPM[d] == nil && u.oldPage[d] == nil && u.oldProblem[d] == nil {
			u.dirtyDirs = append(u.dirtyDirs, d)
		}
	}
	return u
}

// list lists the content folder again, unless every changed path is a
// file k already has that still is a plain file (an edit in place, the
// common case while writing): then k's listing holds.
func (u *update) list() {
	if onlyKnownFiles(u.d, u.dirty, u.oldPM, u.oldPage, u.oldProblem) {
		u.files, u.assets, u.walkProblems = u.k.listing(u.oldProblem)
	} else {
		u.files, u.assets, u.walkProblems = walk(u.d, u.k.Root)
	}
	u.reread = make([]bool, len(u.files))
	u.results = make([]readResult, len(u.files))
}

// isDirty reports whether rel was changed, or is under a changed folder.
func (u *update) isDirty(rel string) bool {
	if u.dirty[rel] {
		return true
	}
	for _, d := range u.dirtyDirs {
		if d == "." || strings.HasPrefix(rel, d+"/") {
			return true
		}
	}
	return false
}

// markChanged marks the files to read again: the new ones and the
// changed ones.
func (u *update) markChanged() {
	for i, f := range u.files {
		_, known := u.oldPM[f.rel]
		if f.page {
			_, known = u.oldPage[f.rel]
		}
		if !known {
			_, known = u.oldProblem[f.rel]
		}
		u.reread[i] = !known || u.isDirty(f.rel)
	}
}

// readFrontMatter reads the files marked and not read yet: a page's
// source, a postmortem's front matter (its body is parsed by
// parseBodies, once the link targets are known).
func (u *update) readFrontMatter() {
	var todo []int
	for i := range u.files {
		if u.reread[i] && !u.results[i].done {
			todo = append(todo, i)
		}
	}
	Parallel(len(todo), u.workers, func(j int) {
		i := todo[j]
		f := u.files[i]
		r := readResult{done: true}
		data, problem := readFile(u.rd, f, u.k.Config.MaxFileSize)
		switch {
		case problem != nil:
			r.problem = problem
		case f.page:
			r.src = data
		default:
			r.pm = u.ps.ParseFrontMatter(f.rel, data)
		}
		u.results[i] = r
	})
}

// moved returns the link targets that now lead somewhere else:
// postmortems whose URL changed, appeared or disappeared, and assets that
// came or went. Only the files read again can have a new URL: the others
// are not compared (a URL is built on each call). A file whose front
// matter cannot be read now does not count as moved, though its id fell
// back to the file name: the live preview goes on showing its last good
// version (site.Update), so links to it keep their target. Sets u.broken.
func (u *update) moved() map[string]bool {
	moved := map[string]bool{}
	u.broken = map[string]bool{}
	listed := 0 // old postmortems still listed
	for i, f := range u.files {
		r, old := u.results[i], u.oldPM[f.rel]
		if old != nil {
			listed++
		}
		switch {
		case !r.done:
			// Not read again: the same value, the same URL.
		case r.pm != nil && frontMatterBroken(r.pm):
			u.broken[f.rel] = true
			if old == nil {
				moved[f.rel] = true // new, under a fallback URL
			}
		case r.pm != nil:
			if old == nil || r.pm.URL() != old.URL() {
				moved[f.rel] = true
			}
		case old != nil:
			moved[f.rel] = true // no longer a postmortem
		}
	}
	if listed < len(u.oldPM) {
		now := make(map[string]bool, len(u.files))
		for _, f := range u.files {
			now[f.rel] = true
		}
		for p := range u.oldPM {
			if !now[p] {
				moved[p] = true // removed
			}
		}
	}
	oldAssets := make(map[string]bool, len(u.k.Assets))
	for _, a := range u.k.Assets {
		oldAssets[a] = true
	}
	newAssets := make(map[string]bool, len(u.assets))
	for _, a := range u.assets {
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
	return moved
}

// markLinkers marks the files not read again whose body links to a moved
// target (their rendered links would point at the old URL), and reports
// whether there was any.
func (u *update) markLinkers(moved map[string]bool) bool {
	more := false
	for i, f := range u.files {
		if u.reread[i] {
			continue
		}
		var body *postmortem.Body
		if p := u.oldPM[f.rel]; p != nil {
			body = &p.Body
		} else if p := u.oldPage[f.rel]; p != nil {
			body = &p.Body
		}
		if body != nil && linksInto(f.rel, body, moved) {
			u.reread[i], more = true, true
		}
	}
	return more
}

// assemble makes the new KB from the values read again and, for the
// other files, k's values and problems (shared, not copied).
func (u *update) assemble() *KB {
	nk := &KB{Root: u.k.Root, Config: u.k.Config, Assets: u.assets, dir: u.d}
	nk.Problems = append(nk.Problems, u.walkProblems...)
	for i, f := range u.files {
		r := u.results[i]
		if !r.done {
			if p := u.oldPM[f.rel]; p != nil && !f.page {
				nk.Postmortems = append(nk.Postmortems, p)
			}
			nk.Problems = append(nk.Problems, u.oldProblem[f.rel]...)
			continue
		}
		if r.problem != nil {
			nk.Problems = append(nk.Problems, *r.problem)
		}
		if r.pm != nil {
			nk.Postmortems = append(nk.Postmortems, r.pm)
		}
	}
	return nk
}

// parseBodies parses the bodies of the files read again, resolving their
// links against nk, and sets nk.Pages (new pages, and k's for the
// others). Links to a file whose front matter broke keep pointing at its
// last good URL (see moved).
func (u *update) parseBodies(nk *KB) {
	target := nk
	if len(u.broken) > 0 {
		cp := *nk
		cp.Postmortems = make([]*postmortem.Postmortem, len(nk.Postmortems))
		for i, p := range nk.Postmortems {
			if old := u.oldPM[p.Path]; u.broken[p.Path] && old != nil {
				p = old
			}
			cp.Postmortems[i] = p
		}
		target = &cp
	}
	resolver := NewResolver(target)
	resolver.IndexFile = u.opts.IndexFile
	pages := make([]*postmortem.Page, len(u.files))
	var todo []int
	for i, f := range u.files {
		if u.results[i].done {
			todo = append(todo, i)
		} else if f.page {
			pages[i] = u.oldPage[f.rel]
		}
	}
	Parallel(len(todo), u.workers, func(j int) {
		i := todo[j]
		r := u.results[i]
		if pg := parseBody(u.ps, resolver, u.files[i], r.pm, r.src, u.opts); pg != nil {
			pages[i] = pg
		}
	})
	for _, pg := range pages {
		if pg != nil {
			nk.Pages = append(nk.Pages, pg)
		}
	}
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
