package kb

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Folders of a KB, relative to its root.
const (
	ContentDir     = "content"
	PostmortemsDir = "content/postmortems"
)

// KB is a loaded knowledge base.
type KB struct {
	// Root is the KB's folder (absolute).
	Root   string
	Config *config.Config
	// Postmortems holds every postmortem that could be read, drafts
	// included, sorted by path.
	Postmortems []*postmortem.Postmortem
	// Pages holds content/*.md, sorted by path.
	Pages []*postmortem.Page
	// Assets are the other files under content/ (images, attachments),
	// slash paths relative to the root, copied to the site as they are.
	Assets []string
	// Problems are file-level diagnostics: unreadable, too large, not
	// UTF-8, not a regular file, a symlink out of the KB.
	Problems []diag.Diagnostic

	// dir reads the files of Root (nil in a KB made by hand: ReadAsset
	// then opens one).
	dir *Dir
}

// Options say what Load produces.
type Options struct {
	// RenderHTML renders every body to HTML (for build and serve); check
	// leaves it off to save time and memory.
	RenderHTML bool
	// DropSource frees each file's text once parsed (check keeps it for
	// the secret rule).
	DropSource bool
	// Workers is the number of parallel parsers; 0 means GOMAXPROCS.
	Workers int
	// IndexFile, when set (e.g. "index.html"), is appended to rewritten
	// links that point at a page folder, so the site works from file://.
	IndexFile string
	// Prepare, when set, is called once every front matter has been read
	// and before any body is parsed. The KB then holds every postmortem
	// (front matter, path, problems), the assets and the file problems;
	// markdown lists the paths of every Markdown file found (postmortems
	// and pages).
	Prepare func(k *KB, markdown []string)
	// Visit, when set, is called for each postmortem right after its body
	// is parsed, from the parsing goroutines (so it must be safe for
	// concurrent use).
	Visit func(p *postmortem.Postmortem)
	// DropBody frees each postmortem's source and body after Visit: a
	// streaming consumer (check) has what it needs by then, and memory
	// stays flat however large the KB.
	DropBody bool
	// SkipBody, when set, is called for each postmortem, from the parsing
	// goroutines (so it must be safe for concurrent use), after Prepare
	// and before its body would be parsed; p holds its front matter and
	// its file's bytes (p.Source). When it returns true the body is not
	// parsed (p.Body stays empty but for Body.Line, Body.Text is "") and
	// Visit is not called for p; DropSource and DropBody apply as usual.
	// A consumer that needs only some bodies (review: the changed files'
	// and those it has no cached word counts for) saves the parse.
	SkipBody func(p *postmortem.Postmortem) bool
	// RereadFrom is the number of Markdown files from which a load that
	// frees each source once its body is parsed reads each file twice
	// instead of holding every file's bytes between its two passes (see
	// parse); 0 means RereadFrom (the constant), a negative number any
	// number.
	RereadFrom int
	// Found, when set, is called with the number of Markdown files found
	// (postmortems and pages) before any is read, so a caller can size
	// what it does (check: its memory limit).
	Found func(markdown int)
	// Bodies, when set, says whose bodies to parse (by slash path); the
	// other postmortems keep their front matter alone: their source goes
	// as soon as the front matter is read, no body is parsed (p.Body
	// stays empty but for Body.Line) and Visit is not called for them.
	// For a consumer of front matter alone (`hindsight actions`: none)
	// or of a few files' bodies against every front matter (`check
	// FILE`, `check --since`). Content pages are parsed as usual.
	Bodies func(rel string) bool
}

// Load reads the KB at root with cfg. It fails only when root itself cannot
// be read; every problem with a file is a diagnostic in KB.Problems or in
// the file's Problems.
func Load(root string, cfg *config.Config, opts Options) (*KB, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("knowledge base folder %s: %w", root, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("knowledge base %s is not a folder; pass --root with the folder that holds content/", root)
	}
	d, err := OpenDir(abs)
	if err != nil {
		return nil, fmt.Errorf("knowledge base folder %s: %w", root, err)
	}
	k := &KB{Root: abs, Config: cfg, dir: d}
	files, assets, problems := walk(d, abs)
	if opts.Found != nil {
		opts.Found(len(files))
	}
	k.Problems = append(k.Problems, problems...)
	k.Assets = assets
	ps := postmortem.NewParser(ParserOptions(cfg))
	k.parse(ps, files, opts)
	return k, nil
}

// ReadPostmortems reads the postmortem files of the KB in d as Load
// reads them (found by the same walk; each a regular file inside the KB,
// of at most max bytes, UTF-8, opened without blocking) on all cores, and
// calls fn with each one's slash path and content, from the reading
// goroutines; a file Load would refuse is left out. d must have been
// opened with an absolute path. For a caller that needs the front matter
// alone (shell completion of ids) and none of the rest of Load.
func (d *Dir) ReadPostmortems(max int64, fn func(rel string, src []byte)) {
	files, _, _ := walk(d, d.path)
	rd := newFolders(d)
	defer rd.close()
	Parallel(len(files), 0, func(i int) {
		if f := files[i]; !f.page {
			if src, problem := readFile(rd, f, max); problem == nil {
				fn(f.rel, src)
			}
		}
	})
}

// ParserOptions derives the parser's options from the config.
func ParserOptions(cfg *config.Config) postmortem.Options {
	names := []string{"Timeline"}
	for _, s := range cfg.RequiredSections {
		if strings.EqualFold(s.Name, "Timeline") {
			names = append(names, s.Aliases...)
		}
	}
	return postmortem.Options{Location: cfg.Location, TimelineSections: names}
}

// file is one Markdown file found by walk.
type file struct {
	rel  string // slash path relative to root
	page bool   // content/*.md rather than a postmortem
	// listed is set when the folder's listing said regular file (not a
	// symlink): readFile then opens it without a stat of its own (see
	// folders.readListed).
	listed bool
}

// IsPostmortemPath reports whether a slash path relative to the root names
// a postmortem file.
func IsPostmortemPath(rel string) bool {
	return strings.HasPrefix(rel, PostmortemsDir+"/") && isMarkdown(rel) && !skipName(path.Base(rel))
}

func isMarkdown(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".md" || ext == ".markdown"
}

// skipName reports editor leftovers and hidden files: dotfiles, vim swap
// files, emacs lock and backup files, JetBrains and VS Code temporaries.
func skipName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasPrefix(name, "_") ||
		strings.HasSuffix(name, "~") || strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") ||
		strings.HasSuffix(name, ".tmp") || strings.HasSuffix(name, "___jb_tmp___") || strings.HasSuffix(name, "___jb_old___")
}

// SkipName reports whether a file name is an editor's temporary or hidden
// file that the KB ignores.
func SkipName(name string) bool { return skipName(name) }

func walk(d *Dir, root string) ([]file, []string, []diag.Diagnostic) {
	var files []file
	var assets []string
	var problems []diag.Diagnostic
	if _, err := d.Stat(ContentDir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	visited := map[string]bool{}
	var visit func(rel string)
	visit = func(rel string) {
		// The real path only tells folders apart (a symlink looping
		// back); every read goes through d.
		real, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			problems = append(problems, diag.Diagnostic{File: rel, Severity: diag.Error, Rule: "file-unreadable",
				Message: fmt.Sprintf("folder cannot be read: %v", unwrapPath(err))})
			return
		}
		if visited[real] {
			problems = append(problems, diag.Diagnostic{File: rel, Severity: diag.Error, Rule: "file-unreadable",
				Message: "folder symlink loops back to a folder already read; remove the symlink or point it elsewhere"})
			return
		}
		visited[real] = true
		ents, err := d.ReadDir(rel)
		if err != nil {
			problems = append(problems, fileProblem(rel, "folder", err))
			return
		}
		for _, e := range ents {
			name := e.Name()
			if skipName(name) {
				continue
			}
			r := rel + "/" + name
			// The listing of an os.Root folder has read each entry's
			// file information (lstat): its type is enough, since the
			// open file's type and size are checked (folders.readListed).
			mode := e.Type()
			listed := mode.IsRegular()
			if mode&fs.ModeSymlink != 0 {
				st, err := d.Stat(r)
				if err != nil {
					problems = append(problems, fileProblem(r, "symlink", err))
					continue
				}
				mode = st.Mode().Type()
			}
			if mode.IsDir() {
				visit(r)
				continue
			}
			if !mode.IsRegular() {
				problems = append(problems, fileProblem(r, "file", &NotRegularError{Mode: mode}))
				continue
			}
			switch {
			case strings.HasPrefix(r, PostmortemsDir+"/") && isMarkdown(name):
				files = append(files, file{rel: r, listed: listed})
			case rel == ContentDir && isMarkdown(name):
				files = append(files, file{rel: r, page: true, listed: listed})
			case isMarkdown(name):
				// Markdown elsewhere under content/ is neither a
				// postmortem nor a page; leave it alone.
			default:
				assets = append(assets, r)
			}
		}
	}
	visit(ContentDir)
	sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
	sort.Strings(assets)
	return files, assets, problems
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// readFile reads one file through d and rejects it with a diagnostic
// when it is not a regular file inside the KB, too large, unreadable or
// not UTF-8.
func readFile(d *folders, f file, max int64) ([]byte, *diag.Diagnostic) {
	var data []byte
	var err error
	if f.listed {
		data, err = d.readListed(f.rel, max)
	} else {
		data, err = d.readFile(f.rel, max)
	}
	if err != nil {
		p := fileProblem(f.rel, "file", err)
		return nil, &p
	}
	if !utf8.Valid(data) {
		off := firstInvalid(data)
		pos := postmortem.PosAt(postmortem.LineStarts(data[:off+1]), off)
		return nil, &diag.Diagnostic{File: f.rel, Pos: pos, Severity: diag.Error, Rule: "file-encoding",
			Message: fmt.Sprintf("file is not UTF-8 (byte 0x%02x at offset %d); re-save it as UTF-8", data[off], off)}
	}
	return data, nil
}

// fileProblem is the diagnostic for a file (or folder, or symlink: what)
// at rel that Dir refused or could not read.
func fileProblem(rel, what string, err error) diag.Diagnostic {
	d := diag.Diagnostic{File: rel, Severity: diag.Error, Rule: "file-unreadable"}
	inner := unwrapPath(err)
	var size *SizeError
	switch {
	case errors.As(err, &size):
		d.Rule = "file-size"
		d.Message = size.Error() + "; split it, move attachments out of the Markdown, or raise max_file_size in hindsight.yaml"
	case errors.Is(err, ErrOutside), errors.Is(err, ErrAbsoluteLink), errors.Is(err, ErrHidden), errors.Is(err, ErrNotRegular):
		d.Message = inner.Error()
	case errors.Is(err, fs.ErrNotExist) && what == "symlink":
		d.Message = "symlink cannot be followed: its target does not exist; fix or remove the symlink"
	case errors.Is(err, fs.ErrNotExist):
		d.Message = fmt.Sprintf("%s cannot be read: %v", what, inner)
	default:
		d.Message = fmt.Sprintf("%s cannot be read: %v; check its permissions", what, inner)
	}
	return d
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

// HumanSize formats a byte count as "1.5 MiB", "12.0 KiB" or "512 B".
func HumanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// parse reads and parses files in parallel: front matter first (so every
// id is known), then bodies, whose links may point at other postmortems.
func (k *KB) parse(ps *postmortem.Parser, files []file, opts Options) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type result struct {
		pm      *postmortem.Postmortem
		src     []byte
		problem *diag.Diagnostic
		sum     uint32 // the file's CRC-32C, when its source was dropped
		fmOnly  bool   // not in Options.Bodies: front matter alone
	}
	// A consumer that lets each source go once its body is parsed (check:
	// DropBody; DropSource) has no use for every file's bytes at once: in
	// a large KB a postmortem's source goes as soon as its front matter
	// is read, and the file is read again for its body (reread). At
	// 100,000 postmortems that is ~0.8 GB less between the two passes;
	// at 10,000 only ~75 MB, for ~8 % more time, so not below
	// RereadFrom files. Not with SkipBody either, which sees each source
	// and skips most bodies (review): the second read would be for
	// nothing.
	from := opts.RereadFrom
	if from == 0 {
		from = RereadFrom
	}
	drop := (opts.DropSource || opts.DropBody) && opts.SkipBody == nil && len(files) >= from
	results := make([]result, len(files))
	rd := newFolders(k.dir)
	defer rd.close()
	Parallel(len(files), workers, func(i int) {
		f := files[i]
		data, problem := readFile(rd, f, k.Config.MaxFileSize)
		if problem != nil {
			results[i].problem = problem
			return
		}
		if f.page {
			results[i].src = data
			return
		}
		pm := ps.ParseFrontMatter(f.rel, data)
		if opts.Bodies != nil && !opts.Bodies(f.rel) {
			// Its positions are in Fields and Body.Line: nothing reads
			// the line starts again (~78 MB at 100,000 postmortems).
			pm.Source, pm.Lines = nil, nil
			results[i].fmOnly = true
		} else if drop {
			results[i].sum = crc32.Checksum(data, castagnoli)
			pm.Source = nil
		}
		results[i].pm = pm
	})
	for _, r := range results {
		if r.problem != nil {
			k.Problems = append(k.Problems, *r.problem)
		}
		if r.pm != nil {
			k.Postmortems = append(k.Postmortems, r.pm)
		}
	}
	if opts.Prepare != nil {
		md := make([]string, len(files))
		for i, f := range files {
			md[i] = f.rel
		}
		opts.Prepare(k, md)
	}
	resolver := NewResolver(k)
	resolver.IndexFile = opts.IndexFile
	pages := make([]*postmortem.Page, len(files))
	Parallel(len(files), workers, func(i int) {
		r := &results[i]
		if r.fmOnly {
			return
		}
		if drop && r.pm != nil {
			reread(ps, rd, files[i], r.pm, r.sum, k.Config.MaxFileSize)
		}
		pages[i] = parseBody(ps, resolver, files[i], r.pm, r.src, opts)
	})
	for _, pg := range pages {
		if pg != nil {
			k.Pages = append(k.Pages, pg)
		}
	}
}

// RereadFrom is Options.RereadFrom's default: from 20,000 files (~150 MB
// of Markdown), as the build holds its search export back from 20,000
// postmortems (site.holdSearchFrom).
const RereadFrom = 20000

// castagnoli is the CRC-32C table (one instruction a word on amd64 and
// arm64).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// reread gives pm back the source parse let go (see parse): the file read
// a second time, which must be the one its front matter came from (the
// same CRC-32C, sum). A file changed in between (an editor saving it, a
// hostile swap) is parsed again as it is now, front matter too, so a
// postmortem is always one version of its file. One that can no longer
// be read keeps its front matter and gets the diagnostic of why, and no
// body (Body.Line 0: ParseBody does nothing).
func reread(ps *postmortem.Parser, rd *folders, f file, pm *postmortem.Postmortem, sum uint32, max int64) {
	data, problem := readFile(rd, f, max)
	switch {
	case problem != nil:
		pm.Problems = append(pm.Problems, *problem)
		pm.Body.Line = 0
	case crc32.Checksum(data, castagnoli) == sum:
		pm.Source = postmortem.TrimBOM(data)
	default:
		*pm = *ps.ParseFrontMatter(f.rel, data)
	}
}

// parseBody completes one file after every front matter is known: a
// postmortem's body (pm), or a content page (src), which it returns.
func parseBody(ps *postmortem.Parser, resolver *Resolver, f file, pm *postmortem.Postmortem, src []byte, opts Options) *postmortem.Page {
	bo := postmortem.BodyOptions{RenderHTML: opts.RenderHTML}
	switch {
	case pm != nil:
		if opts.SkipBody == nil || !opts.SkipBody(pm) {
			if opts.RenderHTML {
				bo.ResolveLink = resolver.For(f.rel, 2)
			}
			ps.ParseBody(pm, bo)
			if opts.Visit != nil {
				opts.Visit(pm)
			}
		}
		if opts.DropSource || opts.DropBody {
			pm.Source = nil
		}
		if opts.DropBody {
			pm.Lines = nil
			pm.Body = postmortem.Body{Line: pm.Body.Line}
			pm.Fields = nil
		}
	case src != nil:
		slug := strings.ToLower(strings.TrimSuffix(path.Base(f.rel), path.Ext(f.rel)))
		if opts.RenderHTML {
			bo.ResolveLink = resolver.For(f.rel, 1)
		}
		if !postmortem.IsID(slug) {
			// The slug is the page's URL: a name that is not a URL
			// segment gets no page, whatever the rule settings.
			pg := ps.ParsePage(f.rel, "", src, bo)
			pg.Problems = append(pg.Problems, diag.Diagnostic{File: f.rel, Severity: diag.Error, Rule: "invalid-value",
				Message: fmt.Sprintf("the file name gives the page URL %q, which is not a URL segment (letters, digits, '.', '_' and '-' only, at most %d characters); rename the file, e.g. to %q", slug, postmortem.MaxIDLen, config.Slugify(slug)+path.Ext(f.rel))})
			return pg
		}
		return ps.ParsePage(f.rel, slug, src, bo)
	}
	return nil
}

// Parallel runs fn(0..n-1) on workers goroutines (GOMAXPROCS when
// workers <= 0), handing out indexes one at a time so uneven files balance.
// Every stage that fans out over postmortems uses it.
func Parallel(n, workers int, fn func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > n {
		workers = n
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}
