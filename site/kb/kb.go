package kb

import (
	"errors"
	"fmt"
	"io"
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
	"github.com/hindsight-kb/hindsight/site/internal/sysfile"
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
	// UTF-8.
	Problems []diag.Diagnostic
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
	k := &KB{Root: abs, Config: cfg}
	files, assets, problems := walk(abs)
	k.Problems = append(k.Problems, problems...)
	k.Assets = assets
	ps := postmortem.NewParser(ParserOptions(cfg))
	k.parse(ps, files, opts)
	return k, nil
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
	abs  string
	page bool // content/*.md rather than a postmortem
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

func walk(root string) ([]file, []string, []diag.Diagnostic) {
	var files []file
	var assets []string
	var problems []diag.Diagnostic
	content := filepath.Join(root, ContentDir)
	if _, err := os.Stat(content); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	visited := map[string]bool{}
	var visit func(dir, rel string)
	visit = func(dir, rel string) {
		real, err := filepath.EvalSymlinks(dir)
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
		ents, err := os.ReadDir(dir)
		if err != nil {
			problems = append(problems, diag.Diagnostic{File: rel, Severity: diag.Error, Rule: "file-unreadable",
				Message: fmt.Sprintf("folder cannot be read: %v; check its permissions", unwrapPath(err))})
			return
		}
		for _, e := range ents {
			name := e.Name()
			if skipName(name) {
				continue
			}
			abs := filepath.Join(dir, name)
			r := rel + "/" + name
			isDir := e.IsDir()
			if e.Type()&fs.ModeSymlink != 0 {
				st, err := os.Stat(abs)
				if err != nil {
					problems = append(problems, diag.Diagnostic{File: r, Severity: diag.Error, Rule: "file-unreadable",
						Message: fmt.Sprintf("symlink cannot be followed: %v", unwrapPath(err))})
					continue
				}
				isDir = st.IsDir()
			}
			if isDir {
				visit(abs, r)
				continue
			}
			switch {
			case strings.HasPrefix(r, PostmortemsDir+"/") && isMarkdown(name):
				files = append(files, file{rel: r, abs: abs})
			case rel == ContentDir && isMarkdown(name):
				files = append(files, file{rel: r, abs: abs, page: true})
			case isMarkdown(name):
				// Markdown elsewhere under content/ is neither a
				// postmortem nor a page; leave it alone.
			default:
				assets = append(assets, r)
			}
		}
	}
	visit(content, ContentDir)
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

// readFile reads one file and rejects it with a diagnostic when it is too
// large, unreadable or not UTF-8. It opens the file once and asks the open
// file for its size (one path lookup, one exact-size buffer).
func readFile(f file, max int64) ([]byte, *diag.Diagnostic) {
	fh, openErr := sysfile.Open(f.abs)
	var size int64
	var err error
	if openErr == nil {
		defer fh.Close()
		size, err = fh.Size()
	} else {
		// Say what a stat says (missing, a broken symlink); a file that
		// exists but cannot be opened is checked for its size first.
		var st fs.FileInfo
		if st, err = os.Stat(f.abs); err == nil {
			size = st.Size()
		}
	}
	if err != nil {
		return nil, &diag.Diagnostic{File: f.rel, Severity: diag.Error, Rule: "file-unreadable",
			Message: fmt.Sprintf("file cannot be read: %v", unwrapPath(err))}
	}
	if size > max {
		return nil, &diag.Diagnostic{File: f.rel, Severity: diag.Error, Rule: "file-size",
			Message: fmt.Sprintf("file is %s, over the %s limit; split it, move attachments out of the Markdown, or raise max_file_size in hindsight.yaml", HumanSize(size), HumanSize(max))}
	}
	if openErr != nil {
		return nil, &diag.Diagnostic{File: f.rel, Severity: diag.Error, Rule: "file-unreadable",
			Message: fmt.Sprintf("file cannot be read: %v; check its permissions", unwrapPath(openErr))}
	}
	data, err := readAll(fh, size, max)
	if err != nil {
		return nil, &diag.Diagnostic{File: f.rel, Severity: diag.Error, Rule: "file-unreadable",
			Message: fmt.Sprintf("file cannot be read: %v; check its permissions", unwrapPath(err))}
	}
	if int64(len(data)) > max {
		return nil, &diag.Diagnostic{File: f.rel, Severity: diag.Error, Rule: "file-size",
			Message: fmt.Sprintf("file is %s, over the %s limit", HumanSize(int64(len(data))), HumanSize(max))}
	}
	if !utf8.Valid(data) {
		off := firstInvalid(data)
		pos := postmortem.PosAt(postmortem.LineStarts(data[:off+1]), off)
		return nil, &diag.Diagnostic{File: f.rel, Pos: pos, Severity: diag.Error, Rule: "file-encoding",
			Message: fmt.Sprintf("file is not UTF-8 (byte 0x%02x at offset %d); re-save it as UTF-8", data[off], off)}
	}
	return data, nil
}

// readAll reads r to its end into a buffer of size bytes (the size stat
// gave), growing it only if the file grew meanwhile; it stops once more
// than max bytes were read.
func readAll(r io.Reader, size, max int64) ([]byte, error) {
	// One byte more than the size, so that the read that reports the
	// end of the file does not need a larger buffer.
	data := make([]byte, 0, size+1)
	for {
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if int64(len(data)) > max {
			return data, nil
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
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
	}
	results := make([]result, len(files))
	Parallel(len(files), workers, func(i int) {
		f := files[i]
		data, problem := readFile(f, k.Config.MaxFileSize)
		if problem != nil {
			results[i].problem = problem
			return
		}
		if f.page {
			results[i].src = data
			return
		}
		results[i].pm = ps.ParseFrontMatter(f.rel, data)
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
		pages[i] = parseBody(ps, resolver, files[i], results[i].pm, results[i].src, opts)
	})
	for _, pg := range pages {
		if pg != nil {
			k.Pages = append(k.Pages, pg)
		}
	}
}

// parseBody completes one file after every front matter is known: a
// postmortem's body (pm), or a content page (src), which it returns.
func parseBody(ps *postmortem.Parser, resolver *Resolver, f file, pm *postmortem.Postmortem, src []byte, opts Options) *postmortem.Page {
	bo := postmortem.BodyOptions{RenderHTML: opts.RenderHTML}
	switch {
	case pm != nil:
		if opts.RenderHTML {
			bo.ResolveLink = resolver.For(f.rel, 2)
		}
		ps.ParseBody(pm, bo)
		if opts.Visit != nil {
			opts.Visit(pm)
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
