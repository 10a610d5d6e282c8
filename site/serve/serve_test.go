package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// fakeSnap is a site made of one page per Markdown file: content/a/b.md
// is served at a/b/index.html with the file's text.
type fakeSnap struct {
	pages    map[string][]byte
	problems []diag.Diagnostic
}

func (f *fakeSnap) Pages() []string {
	out := make([]string, 0, len(f.pages))
	for p := range f.pages {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func (f *fakeSnap) Render(p string) ([]byte, string, error) {
	b, ok := f.pages[p]
	if !ok {
		return nil, "", fs.ErrNotExist
	}
	if strings.HasSuffix(p, ".css") {
		return b, "text/css; charset=utf-8", nil
	}
	return b, "text/html; charset=utf-8", nil
}

func (f *fakeSnap) Problems() []diag.Diagnostic { return f.problems }

// fakeBuilder reads every Markdown file under content/; a file containing
// BROKEN gets an error and keeps its previous text (the last good
// version), like the real site does.
type fakeBuilder struct {
	root    string
	loads   atomic.Int32
	updates atomic.Int32
	delay   time.Duration
	mu      sync.Mutex
	changed [][]string
}

func (b *fakeBuilder) Load(ctx context.Context) (Snapshot, error) {
	b.loads.Add(1)
	return b.build(nil)
}

func (b *fakeBuilder) Update(ctx context.Context, prev Snapshot, changed []string) (Snapshot, error) {
	b.updates.Add(1)
	b.mu.Lock()
	b.changed = append(b.changed, changed)
	b.mu.Unlock()
	return b.build(prev.(*fakeSnap))
}

func (b *fakeBuilder) build(prev *fakeSnap) (Snapshot, error) {
	time.Sleep(b.delay)
	s := &fakeSnap{pages: map[string][]byte{"index.html": []byte("home"), "404.html": []byte("not here")}}
	if data, err := os.ReadFile(filepath.Join(b.root, "themes/default/static/style.css")); err == nil {
		s.pages["assets/style.css"] = data
	}
	if data, err := os.ReadFile(filepath.Join(b.root, "hindsight.yaml")); err == nil && strings.Contains(string(data), "BROKEN") {
		return nil, diag.List{{File: "hindsight.yaml", Pos: diag.Pos{Line: 1, Col: 1}, Severity: diag.Error, Rule: "config", Message: "broken config"}}
	}
	dir := filepath.Join(b.root, "content")
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if kb.SkipName(d.Name()) && p != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || filepath.Ext(p) != ".md" {
			return nil
		}
		rel, _ := filepath.Rel(b.root, p)
		rel = filepath.ToSlash(rel)
		page := strings.TrimSuffix(strings.TrimPrefix(rel, "content/"), ".md") + "/index.html"
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		if strings.Contains(string(data), "BROKEN") {
			s.problems = append(s.problems, diag.Diagnostic{File: rel, Pos: diag.Pos{Line: 2, Col: 3}, Severity: diag.Error,
				Rule: "frontmatter-syntax", Message: "front matter is <broken>"})
			if prev != nil && prev.pages[page] != nil {
				s.pages[page] = prev.pages[page]
			}
			return nil
		}
		s.pages[page] = data
		return nil
	})
	return s, err
}

// harness runs a Server with Watch on a temp KB.
type harness struct {
	t       *testing.T
	root    string
	srv     *Server
	builder *fakeBuilder
	url     string
	log     *syncBuffer
	cancel  context.CancelFunc
	done    chan struct{}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// waitFor waits up to 2 s for text to be written: the terminal report
// follows the browser event.
func (s *syncBuffer) waitFor(text string) bool {
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if strings.Contains(s.String(), text) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// writeKB writes files (slash paths relative to the KB root) into a new
// temporary KB folder.
func writeKB(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		kbtest.WriteFile(t, root, name, text)
	}
	return root
}

func startHarness(t *testing.T, files map[string]string, mod func(*Options)) *harness {
	t.Helper()
	root := writeKB(t, files)
	b := &fakeBuilder{root: root}
	opts := Options{Root: root, Builder: b, Log: &syncBuffer{}, Script: []byte("// script")}
	if mod != nil {
		mod(&opts)
	}
	h := runHarness(t, opts)
	h.builder = b
	return h
}

// runHarness starts a Server with opts (opts.Log must be a *syncBuffer)
// on a 127.0.0.1 port with Serve and Watch, and stops it when the test
// ends.
func runHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := New(ctx, opts)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	h := &harness{t: t, root: opts.Root, srv: srv, url: "http://" + ln.Addr().String(), log: opts.Log.(*syncBuffer), cancel: cancel, done: make(chan struct{})}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); srv.Serve(ctx, ln) }()
	go func() { defer wg.Done(); srv.Watch(ctx) }()
	go func() { wg.Wait(); close(h.done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.done:
		case <-time.After(10 * time.Second):
			t.Error("server did not stop within 10 s of cancel")
		}
	})
	// Let the watcher add its watches before the test changes files.
	time.Sleep(100 * time.Millisecond)
	return h
}

func (h *harness) get(p string) (int, string) {
	h.t.Helper()
	resp, err := http.Get(h.url + p)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// events connects an event stream and returns its events.
func (h *harness) events() <-chan Event {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h.t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", h.url+EventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		h.t.Fatalf("events: Content-Type %q", ct)
	}
	out := make(chan Event, 64)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		var kind string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				kind = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				var e Event
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &e); err == nil {
					if e.Kind != kind {
						e.Kind = "MISMATCH " + kind + "/" + e.Kind
					}
					out <- e
				}
			}
		}
	}()
	return out
}

func next(t *testing.T, c <-chan Event, within time.Duration) Event {
	t.Helper()
	select {
	case e, ok := <-c:
		if !ok {
			t.Fatal("event stream closed")
		}
		return e
	case <-time.After(within):
		t.Fatalf("no event within %s", within)
	}
	return Event{}
}

func TestReloadOnWriteAddRenameDelete(t *testing.T) {
	h := startHarness(t, map[string]string{"content/postmortems/a.md": "alpha"}, nil)
	ev := h.events()
	if e := next(t, ev, 2*time.Second); e.Kind != "hello" || len(e.Problems) != 0 {
		t.Fatalf("first event %+v, want hello without problems", e)
	}
	steps := []struct {
		name  string
		do    func()
		check map[string]string // path → body; "" means 404
	}{
		{"write", func() { kbtest.WriteFile(t, h.root, "content/postmortems/a.md", "alpha 2") },
			map[string]string{"/postmortems/a/": "alpha 2"}},
		{"add", func() { kbtest.WriteFile(t, h.root, "content/postmortems/b.md", "beta") },
			map[string]string{"/postmortems/b/": "beta", "/postmortems/a/": "alpha 2"}},
		{"add folder", func() { kbtest.WriteFile(t, h.root, "content/postmortems/2025/q1/c.md", "gamma") },
			map[string]string{"/postmortems/2025/q1/c/": "gamma"}},
		{"write in new folder", func() { kbtest.WriteFile(t, h.root, "content/postmortems/2025/q1/c.md", "gamma 2") },
			map[string]string{"/postmortems/2025/q1/c/": "gamma 2"}},
		{"rename", func() {
			os.Rename(filepath.Join(h.root, "content/postmortems/b.md"), filepath.Join(h.root, "content/postmortems/b2.md"))
		}, map[string]string{"/postmortems/b/": "", "/postmortems/b2/": "beta"}},
		{"delete", func() { os.Remove(filepath.Join(h.root, "content/postmortems/b2.md")) },
			map[string]string{"/postmortems/b2/": ""}},
		{"rename folder", func() {
			os.Rename(filepath.Join(h.root, "content/postmortems/2025"), filepath.Join(h.root, "content/postmortems/2026"))
		}, map[string]string{"/postmortems/2025/q1/c/": "", "/postmortems/2026/q1/c/": "gamma 2"}},
		{"write in renamed folder", func() { kbtest.WriteFile(t, h.root, "content/postmortems/2026/q1/c.md", "gamma 3") },
			map[string]string{"/postmortems/2026/q1/c/": "gamma 3"}},
	}
	for _, st := range steps {
		st.do()
		e := next(t, ev, 3*time.Second)
		if e.Kind != "reload" {
			t.Fatalf("%s: event %+v, want reload", st.name, e)
		}
		for p, want := range st.check {
			code, body := h.get(p)
			if want == "" && code != http.StatusNotFound {
				t.Errorf("%s: GET %s = %d %q, want 404", st.name, p, code, body)
			}
			if want != "" && (code != 200 || body != want) {
				t.Errorf("%s: GET %s = %d %q, want %q", st.name, p, code, body, want)
			}
		}
	}
}

func TestBrokenFileOverlayAndLastGood(t *testing.T) {
	h := startHarness(t, map[string]string{"content/postmortems/a.md": "alpha", "content/postmortems/b.md": "beta"}, nil)
	ev := h.events()
	next(t, ev, 2*time.Second)
	kbtest.WriteFile(t, h.root, "content/postmortems/a.md", "BROKEN")
	e := next(t, ev, 3*time.Second)
	if e.Kind != "reload" || len(e.Problems) != 1 {
		t.Fatalf("event %+v, want reload with one problem", e)
	}
	want := Problem{File: "content/postmortems/a.md", Line: 2, Column: 3, Severity: "error", Rule: "frontmatter-syntax", Message: "front matter is <broken>"}
	if e.Problems[0] != want {
		t.Errorf("problem %+v, want %+v", e.Problems[0], want)
	}
	if _, body := h.get("/postmortems/a/"); body != "alpha" {
		t.Errorf("broken page serves %q, want the last good version", body)
	}
	if _, body := h.get("/postmortems/b/"); body != "beta" {
		t.Errorf("other page serves %q", body)
	}
	if !h.log.waitFor("content/postmortems/a.md:2:3: error: front matter is <broken> [frontmatter-syntax]") {
		t.Errorf("terminal did not show the diagnostic:\n%s", h.log.String())
	}
	// A new tab sees the overlay at once.
	if e := next(t, h.events(), 2*time.Second); e.Kind != "hello" || len(e.Problems) != 1 {
		t.Errorf("hello on a broken site: %+v", e)
	}
	kbtest.WriteFile(t, h.root, "content/postmortems/a.md", "alpha fixed")
	e = next(t, ev, 3*time.Second)
	if e.Kind != "reload" || len(e.Problems) != 0 {
		t.Fatalf("event after fix %+v, want reload without problems", e)
	}
	if _, body := h.get("/postmortems/a/"); body != "alpha fixed" {
		t.Errorf("fixed page serves %q", body)
	}
	if !h.log.waitFor("content/postmortems/a.md: fixed") {
		t.Errorf("terminal did not say the file is fixed:\n%s", h.log.String())
	}
}

func TestConfigAndTheme(t *testing.T) {
	h := startHarness(t, map[string]string{"content/postmortems/a.md": "alpha", "hindsight.yaml": "title: x\n",
		"themes/default/static/style.css": "body{}", "themes/default/layouts/home.html": "home"}, nil)
	ev := h.events()
	next(t, ev, 2*time.Second)
	loads := h.builder.loads.Load()
	kbtest.WriteFile(t, h.root, "themes/default/static/style.css", "body{color:red}")
	if e := next(t, ev, 3*time.Second); e.Kind != "css" {
		t.Errorf("style sheet change: event %+v, want css", e)
	}
	if _, body := h.get("/assets/style.css"); body != "body{color:red}" {
		t.Errorf("style sheet %q", body)
	}
	kbtest.WriteFile(t, h.root, "themes/default/layouts/home.html", "home 2")
	if e := next(t, ev, 3*time.Second); e.Kind != "reload" {
		t.Errorf("layout change: event %+v, want reload", e)
	}
	kbtest.WriteFile(t, h.root, "hindsight.yaml", "BROKEN")
	e := next(t, ev, 3*time.Second)
	if e.Kind != "status" || len(e.Problems) != 1 || e.Problems[0].File != "hindsight.yaml" || e.Failure == "" {
		t.Errorf("broken config: event %+v, want status with the config error", e)
	}
	if code, body := h.get("/postmortems/a/"); code != 200 || body != "alpha" {
		t.Errorf("with a broken config: %d %q, want the last good site", code, body)
	}
	kbtest.WriteFile(t, h.root, "hindsight.yaml", "title: y\n")
	if e := next(t, ev, 3*time.Second); e.Kind != "reload" || len(e.Problems) != 0 || e.Failure != "" {
		t.Errorf("fixed config: event %+v", e)
	}
	if got := h.builder.loads.Load() - loads; got != 4 {
		t.Errorf("%d full loads for 4 config/theme changes", got)
	}
}

// TestEditorSavePatterns replays how editors save, as seen by the file
// system: each must give one reload with the new text, and temporary
// files must never show up as pages.
func TestEditorSavePatterns(t *testing.T) {
	const target = "content/postmortems/a.md"
	patterns := []struct {
		name string
		save func(root, text string) error
	}{
		{"write in place", func(root, text string) error {
			return os.WriteFile(filepath.Join(root, target), []byte(text), 0o644)
		}},
		{"vim (4913, backup~, write)", func(root, text string) error {
			dir := filepath.Join(root, "content/postmortems")
			test := filepath.Join(dir, "4913")
			if err := os.WriteFile(test, nil, 0o644); err != nil {
				return err
			}
			os.Remove(test)
			if err := os.Rename(filepath.Join(dir, "a.md"), filepath.Join(dir, "a.md~")); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte(text), 0o644); err != nil {
				return err
			}
			return os.Remove(filepath.Join(dir, "a.md~"))
		}},
		{"vim swap file", func(root, text string) error {
			dir := filepath.Join(root, "content/postmortems")
			if err := os.WriteFile(filepath.Join(dir, ".a.md.swp"), []byte("swap"), 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte(text), 0o644); err != nil {
				return err
			}
			return os.Remove(filepath.Join(dir, ".a.md.swp"))
		}},
		{"atomic rename from a temp file", func(root, text string) error {
			dir := filepath.Join(root, "content/postmortems")
			tmp := filepath.Join(dir, ".a.md.tmp.12345")
			if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
				return err
			}
			return os.Rename(tmp, filepath.Join(dir, "a.md"))
		}},
		{"sed -i (sedXXXXXX renamed over the file)", func(root, text string) error {
			dir := filepath.Join(root, "content/postmortems")
			tmp := filepath.Join(dir, "sedq3ZrT9")
			if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
				return err
			}
			return os.Rename(tmp, filepath.Join(dir, "a.md"))
		}},
		{"JetBrains safe write", func(root, text string) error {
			dir := filepath.Join(root, "content/postmortems")
			tmp := filepath.Join(dir, "a.md___jb_tmp___")
			old := filepath.Join(dir, "a.md___jb_old___")
			if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
				return err
			}
			if err := os.Rename(filepath.Join(dir, "a.md"), old); err != nil {
				return err
			}
			if err := os.Rename(tmp, filepath.Join(dir, "a.md")); err != nil {
				return err
			}
			return os.Remove(old)
		}},
		{"emacs (lock, backup)", func(root, text string) error {
			dir := filepath.Join(root, "content/postmortems")
			lock := filepath.Join(dir, ".#a.md")
			if err := os.Symlink("user@host.1234", lock); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, "#a.md#"), []byte(text), 0o644); err != nil {
				return err
			}
			if err := os.Rename(filepath.Join(dir, "a.md"), filepath.Join(dir, "a.md~")); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte(text), 0o644); err != nil {
				return err
			}
			os.Remove(filepath.Join(dir, "#a.md#"))
			return os.Remove(lock)
		}},
		{"VS Code (truncate then write)", func(root, text string) error {
			f, err := os.OpenFile(filepath.Join(root, target), os.O_WRONLY|os.O_TRUNC, 0o644)
			if err != nil {
				return err
			}
			if _, err := f.WriteString(text[:len(text)/2]); err != nil {
				return err
			}
			if _, err := f.WriteString(text[len(text)/2:]); err != nil {
				return err
			}
			return f.Close()
		}},
	}
	for _, poll := range []bool{false, true} {
		for _, pt := range patterns {
			name := pt.name
			if poll {
				name += " (poll)"
			}
			t.Run(name, func(t *testing.T) {
				h := startHarness(t, map[string]string{target: "old"}, func(o *Options) {
					if poll {
						o.Poll = 50 * time.Millisecond
						o.Debounce = 60 * time.Millisecond
					}
				})
				ev := h.events()
				next(t, ev, 2*time.Second)
				if err := pt.save(h.root, "new text"); err != nil {
					t.Fatal(err)
				}
				// A save is one rebuild; on a very busy machine the steps
				// of a save can be split by more than the debounce, so
				// wait for the state the save leads to.
				for {
					if e := next(t, ev, 3*time.Second); e.Kind != "reload" {
						t.Fatalf("event %+v", e)
					}
					if code, body := h.get("/postmortems/a/"); code == 200 && body == "new text" {
						break
					}
				}
				// Let stray events settle, then count.
				time.Sleep(300 * time.Millisecond)
				if n := h.srv.Rebuilds(); n > 2 {
					t.Errorf("%d rebuilds for one save, want 1 (2 on a busy machine)", n)
				} else if n == 2 {
					t.Logf("2 rebuilds for one save")
				}
				for _, p := range h.srv.Snapshot().Pages() {
					if strings.Contains(p, "4913") || strings.Contains(p, "jb_") || strings.Contains(p, "~") || strings.Contains(p, "#") {
						t.Errorf("temporary file became a page: %s", p)
					}
				}
				h.builder.mu.Lock()
				defer h.builder.mu.Unlock()
				for _, batch := range h.builder.changed {
					for _, c := range batch {
						if base := filepath.Base(c); base != "a.md" {
							t.Errorf("rebuild was told about %s", c)
						}
					}
				}
			})
		}
	}
}

func TestBurstCoalesced(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 500; i++ {
		files[fmt.Sprintf("content/postmortems/p%03d.md", i)] = "v1"
	}
	h := startHarness(t, files, func(o *Options) { o.MaxWait = 2 * time.Second })
	ev := h.events()
	next(t, ev, 2*time.Second)
	// Like a git checkout: many files rewritten in a short burst.
	for i := 0; i < 500; i++ {
		kbtest.WriteFile(t, h.root, fmt.Sprintf("content/postmortems/p%03d.md", i), "v2")
	}
	next(t, ev, 5*time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, body := h.get("/postmortems/p499/")
		if body == "v2" || time.Now().After(deadline) {
			break
		}
		next(t, ev, 5*time.Second)
	}
	time.Sleep(300 * time.Millisecond)
	if n := h.srv.Rebuilds(); n < 1 || n > 2 {
		t.Errorf("%d rebuilds for a burst of 500 changes, want 1 or 2", n)
	}
	for _, i := range []int{0, 250, 499} {
		if _, body := h.get(fmt.Sprintf("/postmortems/p%03d/", i)); body != "v2" {
			t.Errorf("p%03d: %q after the burst", i, body)
		}
	}
}

func TestPathTraversal(t *testing.T) {
	h := startHarness(t, map[string]string{"content/postmortems/a.md": "alpha", "secret.txt": "SECRET"}, nil)
	outside := t.TempDir()
	kbtest.WriteFile(t, outside, "passwd", "SECRET")
	os.Symlink(outside, filepath.Join(h.root, "content", "link"))
	for _, p := range []string{
		"/../secret.txt", "/%2e%2e/secret.txt", "/postmortems/../../secret.txt", "/..%2fsecret.txt",
		"/postmortems/a/..%2f..%2f..%2fsecret.txt", "/link/passwd", "/content/link/passwd", "/secret.txt",
		"/hindsight.yaml", "/..\\secret.txt", "/postmortems/%00", "//etc/passwd", "/postmortems/a/index.html/..%5c..%5csecret.txt",
	} {
		req, err := http.NewRequest("GET", h.url+"/", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Opaque = p // send the path exactly as written
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "SECRET") || resp.StatusCode == 200 && string(b) != "home" {
			t.Errorf("GET %s = %d %q", p, resp.StatusCode, b)
		}
	}
	if code, _ := h.get("/postmortems/a/"); code != 200 {
		t.Errorf("a page: %d", code)
	}
	if code, body := h.get("/postmortems/a"); code != 200 || body != "alpha" {
		t.Errorf("folder without slash: %d %q (want a redirect to the folder)", code, body)
	}
	resp, err := http.Post(h.url+"/postmortems/a/", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
	if code, body := h.get("/assets/livereload.js"); code != 200 || body != "// script" {
		t.Errorf("live reload script: %d %q", code, body)
	}
}

// TestLoadDuringRebuilds hammers the server from 8 goroutines for 2 s
// while the site is rebuilt again and again: every answer must be a
// complete page from one snapshot.
func TestLoadDuringRebuilds(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 50; i++ {
		files[fmt.Sprintf("content/postmortems/p%02d.md", i)] = "v0"
	}
	h := startHarness(t, files, func(o *Options) { o.Debounce = 5 * time.Millisecond })
	h.builder.delay = 5 * time.Millisecond
	stop := make(chan struct{})
	var writers sync.WaitGroup
	writers.Add(1)
	go func() {
		defer writers.Done()
		for v := 1; ; v++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			// Every page of one version says the same version.
			// Atomic saves: a reader never sees a half-written file, so
			// an empty page can only come from the server.
			for i := 0; i < 50; i += 7 {
				kbtest.WriteFile(t, h.root, "content/postmortems/.tmp", fmt.Sprintf("v%d", v))
				os.Rename(filepath.Join(h.root, "content/postmortems/.tmp"), filepath.Join(h.root, fmt.Sprintf("content/postmortems/p%02d.md", i)))
			}
		}
	}()
	var failures atomic.Int64
	var requests atomic.Int64
	var wg sync.WaitGroup
	end := time.Now().Add(2 * time.Second)
	client := &http.Client{Timeout: 5 * time.Second}
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; time.Now().Before(end); i++ {
				resp, err := client.Get(fmt.Sprintf("%s/postmortems/p%02d/", h.url, i%50))
				if err != nil {
					failures.Add(1)
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				requests.Add(1)
				if resp.StatusCode != 200 || !strings.HasPrefix(string(b), "v") {
					failures.Add(1)
					t.Logf("GET p%02d: %d %q", i%50, resp.StatusCode, b)
				}
			}
		}(g)
	}
	wg.Wait()
	close(stop)
	writers.Wait()
	if f := failures.Load(); f > 0 {
		t.Errorf("%d failed requests of %d", f, requests.Load())
	}
	if h.srv.Rebuilds() < 5 {
		t.Errorf("only %d rebuilds during the load test", h.srv.Rebuilds())
	}
	t.Logf("%d requests, %d rebuilds", requests.Load(), h.srv.Rebuilds())
}

func TestShutdownWithOpenStreams(t *testing.T) {
	root := t.TempDir()
	b := &fakeBuilder{root: root}
	srv, err := New(context.Background(), Options{Root: root, Builder: b, Script: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + EventsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	if _, err := br.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Serve did not return after cancel with an open event stream")
	}
	if _, err := io.ReadAll(br); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Logf("stream ended with %v", err)
	}
}

func TestClassify(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "content/postmortems/2024"), 0o755)
	s := &Server{opts: Options{Root: root}}
	tests := []struct {
		rel  string
		want changeKind
	}{
		{"content/postmortems/a.md", content},
		{"content/postmortems/2024", content},
		{"content/postmortems/4913", ignored},
		{"content/postmortems/a.md~", ignored},
		{"content/postmortems/.a.md.swp", ignored},
		{"content/postmortems/#a.md#", ignored},
		{"content/postmortems/.#a.md", ignored},
		{"content/postmortems/a.md___jb_tmp___", ignored},
		{"content/postmortems/a.md___jb_old___", ignored},
		{"content/postmortems/a.md.tmp.1234", ignored},
		{"content/postmortems/sedAb12Xy", ignored},
		{"content/postmortems/sed.md", content},
		{"content/postmortems/sedation.md", content},
		{"content/_drafts/a.md", ignored},
		{"hindsight.yaml", whole},
		{"themes/default/layouts/home.html", whole},
		{"themes/default/static/style.css", style},
		{"public/index.html", ignored},
		{".hindsight/search/x", ignored},
		{".git/index", ignored},
		{"README.md", ignored},
	}
	for _, tt := range tests {
		if got := s.classify(filepath.Join(root, filepath.FromSlash(tt.rel)), false); got != tt.want {
			t.Errorf("classify(%s) = %d, want %d", tt.rel, got, tt.want)
		}
	}
}

// TestLostEventsRebuildEverything: when the kernel drops events (inotify
// overflow) or polling takes over, the watcher asks for a full rebuild;
// collect must run Load, not Update, and say why.
func TestLostEventsRebuildEverything(t *testing.T) {
	root := t.TempDir()
	kbtest.WriteFile(t, root, "content/postmortems/a.md", "alpha")
	b := &fakeBuilder{root: root}
	log := &syncBuffer{}
	srv, err := New(context.Background(), Options{Root: root, Builder: b, Log: log, Script: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	in := make(chan change, 4)
	done := make(chan struct{})
	go func() { defer close(done); srv.collect(ctx, in) }()
	kbtest.WriteFile(t, root, "content/postmortems/a.md", "alpha 2")
	in <- change{kind: whole, reason: "file events lost (overflow)"}
	deadline := time.Now().Add(3 * time.Second)
	for srv.Rebuilds() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if b.loads.Load() != 2 || b.updates.Load() != 0 {
		t.Errorf("loads %d, updates %d; want a second full Load", b.loads.Load(), b.updates.Load())
	}
	if !log.waitFor("file events lost (overflow): rebuilt everything") {
		t.Errorf("terminal:\n%s", log.String())
	}
	if body, _, _ := srv.Snapshot().Render("postmortems/a/index.html"); string(body) != "alpha 2" {
		t.Errorf("after the full rebuild: %q", body)
	}
}
