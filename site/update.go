package site

import (
	"context"
	"fmt"
	"github.com/hindsight-kb/hindsight/site/page"
	"maps"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// kbOptions are the options Load reads the KB with; Update must read
// changed files the same way.
func kbOptions(opts Options) kb.Options {
	return kb.Options{RenderHTML: true, Workers: opts.Workers, IndexFile: "index.html"}
}

// Update returns a new Site that reflects the files named in changed
// (absolute paths, or slash paths relative to the root; files or folders;
// modified, added or removed). s is not modified and stays valid: `serve`
// keeps answering requests from it while Update runs.
//
// A change of the config (hindsight.yaml) or of anything under themes/
// rebuilds everything with Load. Otherwise only the changed and new files
// are read and parsed again (kb.KB.Update: unchanged postmortems are the
// same values, shared with s), checks run on the changed files only, or on
// the whole KB when ids or paths changed (duplicate ids, related and link
// targets cross files), and the cheap cross-file stages (publish, graph,
// trends, routes) run again; the search data (static export, similar
// incidents) is kept from s (see updateSearch). Git history is kept from s.
// Nothing is rendered: pages render on request.
//
// A postmortem whose new version cannot be read (front matter syntax, an
// unreadable or non-UTF-8 file) keeps its last good version in the site,
// while the diagnostics are those of the new version: the preview goes on
// showing the page, and the author sees what to fix.
func (s *Site) Update(ctx context.Context, changed []string) (*Site, error) {
	opts := s.Options
	rels := make([]string, 0, len(changed))
	for _, c := range changed {
		rel, ok := relTo(opts.Root, c)
		if !ok {
			continue
		}
		if rel == config.FileName || rel == "hindsight.yml" || rel == "themes" || strings.HasPrefix(rel, "themes/") || rel == "." {
			return Load(ctx, opts)
		}
		rels = append(rels, rel)
	}
	ns := &Site{Options: opts, Config: s.Config, loc: s.loc, now: s.now, History: s.History}
	b := &job{ctx: ctx, s: ns, prev: s, rels: rels}
	return b.run(updatePipeline())
}

// reloadChanged is Update's load stage: the changed files and those kept
// in their last good version are read again (kb.KB.Update, copy-on-write:
// unchanged postmortems are shared with the previous Site), and each that
// cannot be read now keeps its last good version (lastGood). Sets
// Site.KB (the preview), b.trueKB, b.kept, b.nowKept.
func reloadChanged(b *job) error {
	s := b.prev
	b.kept = s.keptPaths()
	names := append(append([]string(nil), b.rels...), b.kept...)
	k, err := s.KB.Update(names, kbOptions(s.Options))
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	b.trueKB = k
	b.s.KB, b.nowKept = lastGood(s.KB, k, names)
	return nil
}

// recheckStage is Update's check stage (see updateDiagnostics). Sets
// Site.Diagnostics.
func recheckStage(b *job) error {
	ds, err := b.prev.updateDiagnostics(b.trueKB, b.s.KB, b.rels, b.kept, b.nowKept)
	if err != nil {
		return err
	}
	b.s.Diagnostics = pageURLDiagnostics(ds, b.s.ContentPages)
	return nil
}

// keepSearch is Update's index stage (see updateSearch). Sets
// Site.Search.
func keepSearch(b *job) error {
	b.s.Search = updateSearch(b.prev, b.s, b.rels, b.nowKept)
	return nil
}

// pageURLDiagnostics replaces the page-url warnings of ds (content pages
// whose slug would hide the site's own pages) with those of pages, as
// Load reports them.
func pageURLDiagnostics(ds []diag.Diagnostic, pages []*postmortem.Page) []diag.Diagnostic {
	out := ds[:0:0]
	for _, d := range ds {
		if d.Rule != "page-url" {
			out = append(out, d)
		}
	}
	for _, pg := range pages {
		if page.Reserved(pg.Slug) {
			out = append(out, diag.Diagnostic{File: pg.Path, Severity: diag.Warning, Rule: "page-url",
				Message: fmt.Sprintf("page %q would replace the site's own /%s/ pages, so it is not published; rename the file", pg.Slug, pg.Slug)})
		}
	}
	diag.Sort(out)
	return out
}

// updateSearch is the index stage of Update. Redoing it whole is too
// slow for every save of a large KB:
//
//   - the static search index (search/static.Export, for the JavaScript
//     search of a static host) is kept from s, as of the last full Load:
//     serve answers /search/ on the server from its own incrementally
//     updated bleve index and marks the page so search.js stands aside;
//   - the "similar incidents" lists (TF-IDF over every postmortem) are
//     kept from s, but the list of each postmortem whose file changed (or
//     that is new) is recomputed against the model of the last full Load
//     (similar.Model.ListFor, a few milliseconds), so the postmortem being
//     written shows the past incidents like it (not that of a file kept
//     in its last good version: its list stays). The other postmortems'
//     lists, and the model, wait for the next full Load (a config or
//     theme change, or a restart).
func updateSearch(s, ns *Site, changed []string, kept map[string]bool) *SearchData {
	sd := &SearchData{Files: s.Search.Files, Similar: s.Search.Similar, model: s.Search.model}
	if sd.model == nil {
		return sd
	}
	paths := make(map[string]bool, len(changed))
	for _, c := range changed {
		paths[c] = true
	}
	var lists map[string][]string
	for _, p := range ns.Postmortems {
		if !paths[p.Path] || kept[p.Path] {
			// Not changed, or the last good version of a file that
			// cannot be read now (whose text a compact build let go):
			// its list stays.
			continue
		}
		if lists == nil {
			lists = maps.Clone(sd.Similar)
		}
		lists[p.URLID()] = sd.model.ListFor(p)
	}
	if lists != nil {
		sd.Similar = lists
	}
	return sd
}

// relTo returns p as a clean slash path relative to root (p may be
// absolute or relative to root already).
func relTo(root, p string) (string, bool) {
	if filepath.IsAbs(p) {
		r, err := filepath.Rel(root, p)
		if err != nil {
			return "", false
		}
		p = r
	}
	p = path.Clean(filepath.ToSlash(p))
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", false
	}
	return p, true
}

// unreadable reports a postmortem whose front matter could not be read:
// its page would be empty, so the preview keeps the last good version.
func unreadable(p *postmortem.Postmortem) bool {
	for _, d := range p.Problems {
		if d.Rule == "frontmatter-syntax" && d.Severity == diag.Error {
			return true
		}
	}
	return false
}

// fileRules are the kb problems that keep a file from being read at all.
var fileRules = map[string]bool{"file-unreadable": true, "file-encoding": true, "file-size": true}

// keptPaths lists the postmortems that s shows in their last good
// version: their diagnostics say the file cannot be read, yet s.KB holds
// a readable version. Update reads them again each time, so a fix (or a
// still broken file's diagnostics) is always current.
func (s *Site) keptPaths() []string {
	byPath := make(map[string]*postmortem.Postmortem, len(s.KB.Postmortems))
	for _, p := range s.KB.Postmortems {
		byPath[p.Path] = p
	}
	seen := map[string]bool{}
	var out []string
	for _, d := range s.Diagnostics {
		if d.Severity != diag.Error || seen[d.File] || (d.Rule != "frontmatter-syntax" && !fileRules[d.Rule]) {
			continue
		}
		if p := byPath[d.File]; p != nil && !unreadable(p) {
			seen[d.File] = true
			out = append(out, d.File)
		}
	}
	return out
}

// lastGood returns the KB the preview renders: k, where each of the
// named postmortems that cannot be read now is replaced by its version in
// old, when that one could be read. It also returns the paths replaced.
func lastGood(old, k *kb.KB, names []string) (*kb.KB, map[string]bool) {
	oldBy := make(map[string]*postmortem.Postmortem, len(old.Postmortems))
	for _, p := range old.Postmortems {
		oldBy[p.Path] = p
	}
	newBy := make(map[string]int, len(k.Postmortems))
	for i, p := range k.Postmortems {
		newBy[p.Path] = i
	}
	fileProblem := map[string]bool{}
	for _, d := range k.Problems {
		if fileRules[d.Rule] {
			fileProblem[d.File] = true
		}
	}
	replaced := map[string]bool{}
	var pms []*postmortem.Postmortem
	for _, name := range names {
		prev := oldBy[name]
		if prev == nil || unreadable(prev) {
			continue
		}
		i, present := newBy[name]
		switch {
		case present && unreadable(k.Postmortems[i]):
			if pms == nil {
				pms = append([]*postmortem.Postmortem(nil), k.Postmortems...)
			}
			pms[i] = prev
			replaced[name] = true
		case !present && fileProblem[name]:
			if pms == nil {
				pms = append([]*postmortem.Postmortem(nil), k.Postmortems...)
			}
			pms = append(pms, prev)
			replaced[name] = true
		}
	}
	if len(replaced) == 0 {
		return k, replaced
	}
	sort.Slice(pms, func(i, j int) bool { return pms[i].Path < pms[j].Path })
	preview := *k
	preview.Postmortems = pms
	return &preview, replaced
}

// updateDiagnostics computes the diagnostics of the new true KB k. When
// only the content of files changed (same paths, same ids, none became
// or stopped being unreadable), the diagnostics of the other files cannot
// change, so only the changed files are checked and the rest are kept
// from s. Otherwise the whole KB is checked, as Load does (checkAll).
func (s *Site) updateDiagnostics(k, preview *kb.KB, rels, kept []string, nowKept map[string]bool) ([]diag.Diagnostic, error) {
	oldBy := make(map[string]*postmortem.Postmortem, len(s.KB.Postmortems))
	for _, p := range s.KB.Postmortems {
		oldBy[p.Path] = p
	}
	newBy := make(map[string]*postmortem.Postmortem, len(k.Postmortems))
	for _, p := range k.Postmortems {
		newBy[p.Path] = p
	}
	wasKept := map[string]bool{}
	for _, p := range kept {
		wasKept[p] = true
	}
	// recheck: every path whose value differs between s.KB and k.
	recheck := map[string]bool{}
	for p, np := range newBy {
		if oldBy[p] != np {
			recheck[p] = true
		}
	}
	for p := range oldBy {
		if newBy[p] == nil {
			recheck[p] = true
		}
	}
	oldPages := make(map[string]*postmortem.Page, len(s.KB.Pages))
	for _, p := range s.KB.Pages {
		oldPages[p.Path] = p
	}
	newPages := make(map[string]bool, len(k.Pages))
	for _, p := range k.Pages {
		newPages[p.Path] = true
		if oldPages[p.Path] != p {
			recheck[p.Path] = true
		}
	}
	for p := range oldPages {
		if !newPages[p] {
			recheck[p] = true
		}
	}
	for _, r := range rels {
		recheck[r] = true
	}
	structural := false
	for p := range recheck {
		o, n := oldBy[p], newBy[p]
		switch {
		case wasKept[p] != nowKept[p]:
			structural = true // became unreadable, or was fixed
		case o == nil && n == nil:
			// A content page edited in place changes nothing else; a
			// page, asset or folder that came or went may be a link
			// target.
			if !(oldPages[p] != nil && newPages[p]) {
				structural = true
			}
		case o == nil || n == nil:
			structural = true
		case !nowKept[p] && !strings.EqualFold(o.ID, n.ID):
			structural = true
		}
	}
	if structural {
		all, err := checkAll(k, s.Options)
		if err != nil {
			return nil, err
		}
		out := append(configDiagnostics(s.Diagnostics), all...)
		diag.Sort(out)
		return out, nil
	}
	var out []diag.Diagnostic
	for _, d := range s.Diagnostics {
		if !recheck[d.File] && !under(d.File, rels) {
			out = append(out, d)
		}
	}
	if len(recheck) > 0 {
		only := func(p string) bool { return recheck[p] || under(p, rels) }
		out = append(out, check.Run(k, check.Options{Now: s.Options.Now, Strict: s.Options.Strict, Workers: s.Options.Workers, Only: only})...)
	}
	diag.Sort(out)
	return out, nil
}

// configDiagnostics keeps the diagnostics that are not about content
// files (the config's).
func configDiagnostics(ds []diag.Diagnostic) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range ds {
		if d.File != kb.ContentDir && !strings.HasPrefix(d.File, kb.ContentDir+"/") {
			out = append(out, d)
		}
	}
	return out
}

func under(p string, dirs []string) bool {
	for _, d := range dirs {
		if strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}
