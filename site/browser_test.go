package site

import (
	"context"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/hindsight-kb/hindsight/site/browsertest"
)

var screenshots = flag.Bool("screenshots", false, "save screenshots of the sample site into docs/screenshots")

// browser starts headless Chromium, or skips the test when it is absent
// (unless HINDSIGHT_E2E=1, when that is a failure).
func browser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.New(t, chromedp.WindowSize(1280, 900))
}

// sampleOrFixture builds the repository's sample KB (or the test fixture
// when there is none) into a temporary folder, ignoring check errors: this
// tests rendering.
func buildForBrowser(t *testing.T) string {
	t.Helper()
	root := ".."
	if _, err := os.Stat(filepath.Join(root, "content", "postmortems")); err != nil {
		root = writeTxtar(t, fixtureKB)
	}
	out := filepath.Join(t.TempDir(), "public")
	opts := Options{Root: root, Now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC), NoGit: true}
	s, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(context.Background(), s, out, opts); err != nil {
		t.Fatal(err)
	}
	return out
}

// consoleLog collects console messages (errors, CSP violations) of a tab.
type consoleLog struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
}

func watchConsole(ctx context.Context) *consoleLog {
	l := &consoleLog{}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			l.mu.Lock()
			l.msgs = append(l.msgs, m)
			l.mu.Unlock()
		}
	}()
	return l
}

func (l *consoleLog) problems() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, m := range l.msgs {
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleWarning ||
			strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Refused to") {
			out = append(out, string(m.Type)+": "+m.String())
		}
	}
	return out
}

// staticHandler serves a folder like a plain static host: a folder URL
// gets its index.html, and x/index.html is served as it is (no redirect).
func staticHandler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(dir, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			p = filepath.Join(p, "index.html")
		}
		f, err := os.Open(p)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, p, st.ModTime(), f)
	})
}

func TestBrowserNavigation(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	out := buildForBrowser(t)
	srv := httptest.NewServer(staticHandler(out))
	defer srv.Close()
	ctx := browser(t)
	console := watchConsole(ctx)
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	shot := func(name string, full bool) {
		if !*screenshots {
			return
		}
		var b []byte
		var err error
		if full {
			b, err = chromedp.Run(tctx, chromedp.FullScreenshot(100))
		} else {
			b, err = chromedp.Run(tctx, chromedp.CaptureScreenshot())
		}
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		dir := filepath.Join("..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	media := func(m string, features ...*emulation.MediaFeature) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m, Features: features})
			return err
		})
	}

	if err := chromedp.Do(tctx, chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatal(err)
	}
	shot("home", true)
	// Follow a cause link to its term page, then a postmortem.
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(`.term-counts a[href^="causes/"]`)), chromedp.WaitVisible(chromedp.CSS(".kind-term main h1"))); err != nil {
		t.Fatalf("following a cause link: %v", err)
	}
	loc, _ := chromedp.Run(tctx, chromedp.Location())
	if !strings.Contains(loc, "/causes/") || !strings.HasSuffix(loc, "/index.html") {
		t.Errorf("cause link led to %s", loc)
	}
	shot("cause", true)
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(`.pm-table tbody a[href*="postmortems/"]`)), chromedp.WaitVisible(chromedp.CSS(".kind-postmortem .pm-meta"))); err != nil {
		t.Fatalf("following a postmortem link: %v", err)
	}
	loc, _ = chromedp.Run(tctx, chromedp.Location())
	if !strings.Contains(loc, "/postmortems/") {
		t.Errorf("postmortem link led to %s", loc)
	}
	shot("postmortem", true)
	// The toggle is visible with JavaScript and switches to dark.
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS("#theme-toggle"))); err != nil {
		t.Fatalf("dark mode toggle: %v", err)
	}
	theme, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.documentElement.getAttribute("data-theme")`))
	if err != nil || theme != "dark" {
		t.Errorf("after the toggle data-theme = %q, %v; want dark", theme, err)
	}
	shot("postmortem-dark", false)
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS("#theme-toggle"))); err != nil {
		t.Fatal(err)
	}
	// Print view.
	if err := chromedp.Do(tctx, media("print")); err != nil {
		t.Fatal(err)
	}
	hidden, err := chromedp.Run(tctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".site-header")).display`))
	if err != nil || hidden != "none" {
		t.Errorf("print view: header display = %q, %v; want none", hidden, err)
	}
	shot("postmortem-print", true)
	if err := chromedp.Do(tctx, media("", &emulation.MediaFeature{Name: "prefers-color-scheme", Value: "dark"}),
		chromedp.Evaluate[chromedp.Void](`localStorage.removeItem("hindsight-theme")`),
		chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatal(err)
	}
	shot("home-dark", false)
	if err := chromedp.Do(tctx, media(""), chromedp.Navigate(srv.URL+"/causes/index.html"), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatal(err)
	}
	shot("causes", true)
	if err := chromedp.Do(tctx, chromedp.Navigate(srv.URL+"/postmortems/index.html"), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatal(err)
	}
	shot("list", false)
	time.Sleep(300 * time.Millisecond) // let late console messages arrive
	if p := console.problems(); len(p) > 0 {
		t.Errorf("console errors or CSP violations:\n%s", strings.Join(p, "\n"))
	}
	if errors.Is(tctx.Err(), context.DeadlineExceeded) {
		t.Fatal("timed out")
	}
}

// TestBrowserFileURL opens the built site from disk (file://), as a reader
// who double-clicks public/index.html does: styles and scripts load under
// the CSP, and links lead to pages, not directory listings.
func TestBrowserFileURL(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	out := buildForBrowser(t)
	ctx := browser(t)
	console := watchConsole(ctx)
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate("file://"+filepath.ToSlash(out)+"/index.html"), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatal(err)
	}
	// The stylesheet applied: the skip link is moved off screen.
	top, err := chromedp.Run(tctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".skip-link")).position`))
	if err != nil || top != "absolute" {
		t.Errorf("style.css not applied from file:// (skip link position %q, %v)", top, err)
	}
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(`.site-nav a[href$="causes/index.html"]`)), chromedp.WaitVisible(chromedp.CSS(".kind-taxonomy main h1"))); err != nil {
		t.Fatalf("following the causes link from file://: %v", err)
	}
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(`.term-table a`)), chromedp.WaitVisible(chromedp.CSS(".kind-term main h1"))); err != nil {
		t.Fatalf("following a cause from file://: %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	if p := console.problems(); len(p) > 0 {
		t.Errorf("console errors or CSP violations from file://:\n%s", strings.Join(p, "\n"))
	}
}
