package trend_test

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/hindsight-kb/hindsight/site"
	"github.com/hindsight-kb/hindsight/site/browsertest"
)

var screenshots = flag.Bool("screenshots", false, "write docs/screenshots/trends-*.png from the browser test")

// browser starts headless Chromium, or skips the test when it is missing
// (unless HINDSIGHT_E2E=1, when a missing browser is a failure).
func browser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() && os.Getenv("HINDSIGHT_E2E") != "1" {
		t.Skip("browser test skipped in -short mode")
	}
	ctx := browsertest.New(t, chromedp.Flag("hide-scrollbars", true), chromedp.Flag("force-color-profile", "srgb"))
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// sampleSite loads the repository's sample KB (../../content) through the
// site package and serves it on 127.0.0.1.
func sampleSite(t *testing.T) (*site.Site, string) {
	t.Helper()
	root, _ := filepath.Abs("../..")
	if _, err := os.Stat(filepath.Join(root, "content", "postmortems")); err != nil {
		t.Skip("no sample KB in the repository")
	}
	s, err := site.Load(context.Background(), site.Options{Root: root, NoGit: true, Now: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/")
		if p == "" || strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		b, mime, err := s.Render(p)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", mime)
		w.Write(b)
	}))
	l, err := netListen()
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return s, srv.URL
}

// pageCheck is what the browser reports about a page.
type pageCheck struct {
	Charts    int      `json:"charts"`
	Small     []string `json:"small"`
	Tables    int      `json:"tables"`
	BarFill   string   `json:"barFill"`
	TextFill  string   `json:"textFill"`
	Switch    string   `json:"switch"`
	Unlabeled []string `json:"unlabeled"`
}

const inspect = `(() => {
  const svgs = [...document.querySelectorAll('svg.chart-svg')];
  const small = svgs.filter(s => { const r = s.getBoundingClientRect(); return r.width < 100 || r.height < 40; }).map(s => s.id || s.getAttribute('aria-labelledby'));
  const unlabeled = svgs.filter(s => { const ids = (s.getAttribute('aria-labelledby') || '').split(' '); return s.getAttribute('role') !== 'img' || ids.length < 2 || ids.some(id => !document.getElementById(id)); }).map(s => s.getAttribute('aria-labelledby'));
  const bar = document.querySelector('#chart-severity .swatch.s1');
  const text = document.querySelector('svg.chart-svg text');
  const sw = document.querySelector('.period-switch');
  return {charts: svgs.length, small, unlabeled, tables: document.querySelectorAll('.trend-numbers table').length,
    barFill: bar ? getComputedStyle(bar).fill : '', textFill: text ? getComputedStyle(text).fill : '',
    switch: sw ? getComputedStyle(sw).display : ''};
})()`

// media emulates a media type ("print", "" for screen) and a colour
// scheme ("light", "dark", "" for none).
func media(typ, scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		p := emulation.SetEmulatedMediaParams{Media: typ}
		if scheme != "" {
			p.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
		}
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, p)
		return err
	})
}

// TestBrowserTrends loads /trends/ of the sample KB in headless Chromium:
// every chart renders with a size, is labelled, has its numbers table,
// takes its colours from trends.css (light, dark, print), and the page
// logs no console errors (CSP violations and failed loads included).
func TestBrowserTrends(t *testing.T) {
	ctx := browser(t)
	_, base := sampleSite(t)
	messages := chromedp.Console(ctx)
	var errs []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				errs = append(errs, m.String()+" "+m.URL)
			}
		}
	}()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900)); err != nil {
		t.Fatal(err)
	}
	shot := func(name string) {
		if !*screenshots {
			return
		}
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// clips writes viewport-sized slices of the page to
	// $HINDSIGHT_SHOT_DIR, for looking at details.
	clips := func(name string) {
		dir := os.Getenv("HINDSIGHT_SHOT_DIR")
		if dir == "" {
			return
		}
		for i := 0; i < 8; i++ {
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](fmt.Sprintf("window.scrollTo(0, %d)", i*900))); err != nil {
				t.Fatal(err)
			}
			b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, i)), b, 0o644)
		}
	}
	check := func(what string) pageCheck {
		c, err := chromedp.Run(ctx, chromedp.Evaluate[pageCheck](inspect))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return c
	}
	for _, path := range []string{"/trends/index.html", "/trends/12m/index.html"} {
		if err := chromedp.Do(ctx, media("", "light"), chromedp.Navigate(base+path)); err != nil {
			t.Fatal(err)
		}
		c := check(path)
		if c.Charts < 11 || len(c.Small) > 0 || len(c.Unlabeled) > 0 || c.Tables < 11 {
			t.Errorf("%s: %d charts (small %v, unlabeled %v), %d tables", path, c.Charts, c.Small, c.Unlabeled, c.Tables)
		}
		// Okabe–Ito vermillion from trends.css, not the browser's black.
		if c.BarFill != "rgb(213, 94, 0)" {
			t.Errorf("%s: light bar fill %q", path, c.BarFill)
		}
	}
	if err := chromedp.Do(ctx, media("", "light"), chromedp.Navigate(base+"/trends/index.html")); err != nil {
		t.Fatal(err)
	}
	shot("trends-light.png")
	clips("light")
	if err := chromedp.Do(ctx, media("", "dark")); err != nil {
		t.Fatal(err)
	}
	c := check("dark")
	if c.BarFill != "rgb(255, 127, 63)" || c.TextFill == "rgb(31, 35, 40)" {
		t.Errorf("dark: bar fill %q text fill %q", c.BarFill, c.TextFill)
	}
	shot("trends-dark.png")
	clips("dark")
	if err := chromedp.Do(ctx, media("print", "dark")); err != nil {
		t.Fatal(err)
	}
	c = check("print")
	if c.BarFill != "rgb(213, 94, 0)" || c.Switch != "none" {
		t.Errorf("print: bar fill %q, period switch display %q", c.BarFill, c.Switch)
	}
	if err := chromedp.Do(ctx, media("print", "light")); err != nil {
		t.Fatal(err)
	}
	shot("trends-print.png")
	if err := chromedp.Do(ctx, media("", "")); err != nil {
		t.Fatal(err)
	}
	for i, path := range []string{"/actions/index.html", "/causes/expired-certificate/index.html", "/systems/index.html"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatal(err)
		}
		clips(fmt.Sprintf("page%d", i))
	}
	if err := chromedp.Do(ctx, chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	cancelCtx(ctx)
	<-done
	if len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
