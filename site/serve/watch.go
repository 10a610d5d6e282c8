package serve

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// What a changed path means for the site.
type changeKind int

const (
	ignored changeKind = iota
	// content is a file or folder under content/: incremental update.
	content
	// whole is the config or a theme file: everything is rebuilt.
	whole
	// style is a theme style sheet: everything is rebuilt, and tabs swap
	// style sheets instead of reloading.
	style
)

// change is one watched path that changed (or the news that events were
// lost, which calls for a full rebuild).
type change struct {
	path   string
	kind   changeKind
	reason string
}

// configNames are the config files at the KB root.
var configNames = map[string]bool{"hindsight.yaml": true, "hindsight.yml": true}

// classify says what a change of the absolute path p means; wasDir says
// p was a folder the watcher knew (it may be gone now). Editor leftovers
// (swap, backup, lock and temporary files; vim's "4913" write test) are
// ignored anywhere in the path, like the KB loader ignores them.
func (s *Server) classify(p string, wasDir bool) changeKind {
	rel, ok := s.rel(p)
	if !ok || rel == "." {
		return ignored
	}
	parts := strings.Split(rel, "/")
	for _, part := range parts {
		if kb.SkipName(part) {
			return ignored
		}
	}
	if base := parts[len(parts)-1]; isEditorTemp(base) {
		return ignored
	} else if isDigits(base) && !wasDir {
		// vim's write test file "4913" comes and goes at once; a folder
		// named like a year stays (or was known as one: removed or
		// moved away, it still changes the site).
		if st, err := os.Stat(p); err != nil || !st.IsDir() {
			return ignored
		}
	}
	switch {
	case len(parts) == 1 && configNames[rel]:
		return whole
	case parts[0] == "themes":
		if strings.EqualFold(filepath.Ext(rel), ".css") {
			return style
		}
		return whole
	case parts[0] == "content":
		return content
	}
	return ignored
}

// isEditorTemp reports temporary names kb.SkipName does not know:
// "name.ext.tmp.1234" (atomic writers), ".crswap" (Chrome's File System
// API), ".bak" and ".orig" backups, and GNU sed -i's "sedXXXXXX" (sed plus
// six letters or digits, renamed over the file it edits).
func isEditorTemp(name string) bool {
	return name == "" || strings.Contains(name, ".tmp.") || strings.HasSuffix(name, ".crswap") ||
		strings.HasSuffix(name, ".bak") || strings.HasSuffix(name, ".orig") || isSedTemp(name)
}

func isSedTemp(name string) bool {
	if len(name) != 9 || !strings.HasPrefix(name, "sed") {
		return false
	}
	for _, c := range name[3:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// isDigits reports a name made of digits only, like vim's write test
// file "4913" (then 5036, 5159, …).
func isDigits(name string) bool {
	for _, c := range name {
		if c < '0' || c > '9' {
			return false
		}
	}
	return name != ""
}

// errWatchLimit means the system refused more watches (inotify's
// max_user_watches).
var errWatchLimit = errors.New("the system's limit on watched folders is reached")

// Watch watches the KB (content/, themes/ and the config, recursively)
// and rebuilds on change until ctx is cancelled. Bursts of events are
// coalesced: a rebuild starts Debounce after the last event, or MaxWait
// after the first, whichever comes first, and never two at once.
func (s *Server) Watch(ctx context.Context) error {
	in := make(chan change, 256)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.collect(ctx, in)
	}()
	defer func() { <-done }()
	if s.opts.Poll > 0 {
		return s.poll(ctx, s.opts.Poll, in)
	}
	err := s.notify(ctx, in)
	if errors.Is(err, errWatchLimit) {
		fmt.Fprintf(s.opts.Log, "serve: %v: watching by polling every second instead.\n"+
			"  To get instant updates, raise the limit: sudo sysctl fs.inotify.max_user_watches=524288\n", err)
		send(ctx, in, change{kind: whole, reason: "switched to polling"})
		return s.poll(ctx, time.Second, in)
	}
	if err != nil {
		fmt.Fprintf(s.opts.Log, "serve: file events are not available (%v); use --poll 1s to watch by polling\n", err)
	}
	return err
}

// collect coalesces changes into batches and runs one rebuild at a time.
// A rebuild that runs longer than Limits.StuckRebuild is given up (its
// result will be dropped) so one stuck rebuild never stops the next
// ones: the next change rebuilds everything. On cancel, collect waits
// for the running rebuild at most Limits.ShutdownGrace.
func (s *Server) collect(ctx context.Context, in <-chan change) {
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	deadline := time.NewTimer(time.Hour)
	deadline.Stop()
	stuck := time.NewTimer(time.Hour)
	stuck.Stop()
	defer quiet.Stop()
	defer deadline.Stop()
	defer stuck.Stop()
	pending := map[string]bool{}
	var full, onlyCSS, armed, ready bool
	var reason string
	onlyCSS = true
	// running is closed when the running rebuild ends; nil when none
	// runs (or the one running was given up).
	var running chan struct{}
	for {
		select {
		case <-ctx.Done():
			if running != nil {
				select {
				case <-running:
				case <-time.After(s.opts.Limits.ShutdownGrace):
				}
			}
			return
		case c := <-in:
			if c.path != "" {
				pending[c.path] = true
			}
			switch c.kind {
			case whole, style:
				full = true
			}
			if c.kind != style {
				onlyCSS = false
			}
			if c.reason != "" {
				reason = c.reason
			}
			quiet.Reset(s.opts.Debounce)
			if !armed {
				deadline.Reset(s.opts.MaxWait)
				armed = true
			}
			continue
		case <-quiet.C:
			ready = true
		case <-deadline.C:
			ready = true
		case <-running:
			running = nil
			stuck.Stop()
		case <-stuck.C:
			fmt.Fprintf(s.opts.Log, "serve: a rebuild has run for %s and seems stuck (a file that blocks reads? a hung network drive?); "+
				"the next change rebuilds everything\n", s.opts.Limits.StuckRebuild)
			running = nil
			full, onlyCSS, reason = true, false, "the previous rebuild was stuck"
		}
		if !ready || running != nil || (len(pending) == 0 && !full) {
			continue
		}
		quiet.Stop()
		deadline.Stop()
		b := batch{full: full, css: full && onlyCSS && len(pending) > 0, reason: reason}
		for p := range pending {
			b.paths = append(b.paths, p)
		}
		sort.Strings(b.paths)
		pending = map[string]bool{}
		full, onlyCSS, armed, ready, reason = false, true, false, false, ""
		done := make(chan struct{})
		running = done
		gen := s.started.Add(1)
		go func() {
			defer close(done)
			s.rebuild(ctx, b, gen)
		}()
		stuck.Reset(s.opts.Limits.StuckRebuild)
	}
}

// send hands c to collect, unless ctx ends first (collect has stopped
// reading).
func send(ctx context.Context, in chan<- change, c change) {
	select {
	case in <- c:
	case <-ctx.Done():
	}
}

// notify watches with fsnotify. Watches are added to every folder of
// content/ and themes/ at start and to each folder created later
// (fsnotify is not recursive); the root itself is watched for the config
// and for content/ or themes/ appearing.
func (s *Server) notify(ctx context.Context, in chan<- change) error {
	w, err := fsnotify.NewBufferedWatcher(4096)
	if err != nil {
		return err
	}
	defer w.Close()
	// dirs are the folders watched, so that the removal of one named
	// like vim's write test file ("2025") is not taken for it.
	dirs := map[string]bool{}
	add := func(dir string) error {
		return walkDirs(dir, func(d string) error {
			dirs[d] = true
			if err := w.Add(d); err != nil {
				if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) {
					return errWatchLimit
				}
				if !errors.Is(err, fs.ErrNotExist) {
					fmt.Fprintf(s.opts.Log, "serve: cannot watch %s: %v\n", d, err)
				}
			}
			return nil
		})
	}
	if err := w.Add(s.opts.Root); err != nil {
		return err
	}
	for _, d := range []string{"content", "themes"} {
		if err := add(filepath.Join(s.opts.Root, d)); err != nil {
			return err
		}
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				fmt.Fprintln(s.opts.Log, "serve: too many file events at once, some were lost; rebuilding everything")
				send(ctx, in, change{kind: whole, reason: "file events lost (overflow)"})
				continue
			}
			fmt.Fprintf(s.opts.Log, "serve: watching files: %v\n", err)
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Op == fsnotify.Chmod {
				continue
			}
			kind := s.classify(ev.Name, dirs[ev.Name])
			if kind == ignored {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					// Files created in the folder before the watch was
					// added are found by the update's listing.
					if err := add(ev.Name); err != nil {
						return err
					}
				}
			}
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				// A moved folder keeps its inotify watch under the old
				// name; drop it (the new name arrives as a Create).
				_ = w.Remove(ev.Name)
				delete(dirs, ev.Name)
			}
			if rel, _ := s.rel(ev.Name); rel == "content" || rel == "themes" {
				// content/ or themes/ itself appeared or went.
				kind = whole
			}
			send(ctx, in, change{path: ev.Name, kind: kind})
		}
	}
}

// walkDirs calls fn on dir and every folder below it, following folder
// symlinks once per real folder and skipping the folders the KB ignores.
func walkDirs(dir string, fn func(string) error) error {
	seen := map[string]bool{}
	var visit func(string) error
	visit = func(d string) error {
		real, err := filepath.EvalSymlinks(d)
		if err != nil || seen[real] {
			return nil
		}
		seen[real] = true
		if err := fn(d); err != nil {
			return err
		}
		ents, err := os.ReadDir(d)
		if err != nil {
			return nil
		}
		for _, e := range ents {
			name := e.Name()
			if kb.SkipName(name) {
				continue
			}
			p := filepath.Join(d, name)
			isDir := e.IsDir()
			if e.Type()&fs.ModeSymlink != 0 {
				if st, err := os.Stat(p); err == nil {
					isDir = st.IsDir()
				}
			}
			if isDir {
				if err := visit(p); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return visit(dir)
}

// stamp is what polling compares: a file's size, modification time and
// kind.
type stamp struct {
	size  int64
	mtime time.Time
	dir   bool
}

// poll scans the watched files every interval and reports what differs
// from the previous scan (for file systems without events: WSL mounts,
// network drives, some containers).
func (s *Server) poll(ctx context.Context, every time.Duration, in chan<- change) error {
	prev := s.scan()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		cur := s.scan()
		for p, a := range cur {
			if b, ok := prev[p]; !ok || (!a.dir && (a.size != b.size || !a.mtime.Equal(b.mtime))) || a.dir != b.dir {
				if k := s.classify(p, a.dir); k != ignored {
					send(ctx, in, change{path: p, kind: k})
				}
			}
		}
		for p, b := range prev {
			if _, ok := cur[p]; !ok {
				if k := s.classify(p, b.dir); k != ignored {
					send(ctx, in, change{path: p, kind: k})
				}
			}
		}
		prev = cur
	}
}

// scan stats every watched file.
func (s *Server) scan() map[string]stamp {
	out := map[string]stamp{}
	for name := range configNames {
		p := filepath.Join(s.opts.Root, name)
		if st, err := os.Stat(p); err == nil {
			out[p] = stamp{size: st.Size(), mtime: st.ModTime()}
		}
	}
	for _, d := range []string{"content", "themes"} {
		walkDirs(filepath.Join(s.opts.Root, d), func(dir string) error {
			out[dir] = stamp{dir: true}
			ents, err := os.ReadDir(dir)
			if err != nil {
				return nil
			}
			for _, e := range ents {
				if kb.SkipName(e.Name()) || isEditorTemp(e.Name()) || isDigits(e.Name()) {
					continue
				}
				p := filepath.Join(dir, e.Name())
				st, err := os.Stat(p)
				if err != nil || st.IsDir() {
					continue
				}
				out[p] = stamp{size: st.Size(), mtime: st.ModTime()}
			}
			return nil
		})
	}
	return out
}
