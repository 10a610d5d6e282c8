package site

import (
	"context"
	"encoding/json"
	"fmt"
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
)

// The accessibility test of issue 17 item 5: axe-core, injected into
// each page type of the sample KB in light and dark mode, must report no
// violation. .ci/run installs axe-core with npm and points HINDSIGHT_AXE
// at its axe.min.js (docs/theme.md, "Accessibility").

// axeScript returns the source of axe.min.js: $HINDSIGHT_AXE, else the
// folder .ci/run installs into. Without it the test skips, or fails
// under HINDSIGHT_E2E=1.
func axeScript(t *testing.T) string {
	t.Helper()
	p := os.Getenv("HINDSIGHT_AXE")
	if p == "" {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, ".cache", "hindsight-axe", "node_modules", "axe-core", "axe.min.js") // where .ci/run installs it
		}
	}
	b, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("HINDSIGHT_E2E") == "1" {
			t.Fatalf("HINDSIGHT_E2E=1 but axe-core is missing (%v): npm install --no-save --prefix DIR axe-core@4 and set HINDSIGHT_AXE=DIR/node_modules/axe-core/axe.min.js", err)
		}
		t.Skipf("axe-core not found (%v); set HINDSIGHT_AXE to axe.min.js", err)
	}
	return string(b)
}

// axeViolation is the part of an axe-core result the failure lists.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for i, n := range v.Nodes {
		if i == 5 {
			fmt.Fprintf(&b, "\n      … and %d more", len(v.Nodes)-i)
			break
		}
		fmt.Fprintf(&b, "\n      %v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

// a11yPages are the pages axe checks, named: one of each page type, or
// with every set, every postmortem, term and content page too. Pages are
// found in the output folder out by their paths.
func a11yPages(t *testing.T, s *Site, out string, every bool) [][2]string {
	t.Helper()
	pages := [][2]string{
		{"home", "index.html"},
		{"postmortem list", "postmortems/index.html"},
		{"postmortem list by severity", "postmortems/by-severity/index.html"},
		{"taxonomy list", "causes/index.html"},
		{"trends", "trends/index.html"},
		{"actions", "actions/index.html"},
		{"search, no query", "search/index.html"},
		{"404", "404.html"},
	}
	if len(s.Postmortems) > 0 {
		// A word of the newest title, so that there are hits to highlight.
		q := "incident"
		for _, w := range strings.Fields(s.Postmortems[0].Title) {
			if len(w) > 4 && strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
				q = strings.ToLower(w)
				break
			}
		}
		pages = append(pages, [2]string{"search", "search/index.html?q=" + q})
	}
	if !every && len(s.Postmortems) > 0 {
		pages = append(pages, [2]string{"postmortem", s.Postmortems[0].URL() + "index.html"})
		// The one with the longest table of contents too.
		long := s.Postmortems[0]
		for _, p := range s.Postmortems {
			if len(p.Body.Sections) > len(long.Body.Sections) {
				long = p
			}
		}
		if long != s.Postmortems[0] {
			pages = append(pages, [2]string{"long postmortem", long.URL() + "index.html"})
		}
	}
	top := map[string]bool{"postmortems": true, "causes": true, "systems": true, "data": true, "techniques": true,
		"trends": true, "actions": true, "search": true, "assets": true, "api": true}
	term, content := false, false
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "index.html" {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		seg := strings.Split(rel, "/")
		switch {
		case len(seg) == 3 && seg[0] == "postmortems" && seg[1] != "by-severity" && seg[1] != "page":
			if every {
				pages = append(pages, [2]string{"postmortem", rel})
			}
		case len(seg) == 3 && top[seg[0]] && seg[0] != "trends" && seg[0] != "postmortems":
			if every || !term && seg[0] == "causes" {
				pages = append(pages, [2]string{"term", rel})
				term = true
			}
		case len(seg) == 2 && !top[seg[0]]:
			if every || !content {
				pages = append(pages, [2]string{"content page", rel})
				content = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func TestBrowserA11y(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	axe := axeScript(t)
	ctx := browser(t)
	sample := ".."
	if _, err := os.Stat(filepath.Join(sample, "content", "postmortems")); err != nil {
		sample = writeTxtar(t, fixtureKB)
	}
	for _, c := range []struct {
		name  string
		root  string
		opts  Options
		modes []a11yMode
		every bool // every postmortem and term page, not one of each
	}{
		{"sample", sample, Options{Audience: Internal}, a11yModes, false},
		// The public build differs in content only (no owners column,
		// fewer rows), not in styles.
		{"sample public", sample, Options{Audience: Public}, a11yModes[:2], false},
		{"testdata/a11y.txtar", writeTxtar(t, "testdata/a11y.txtar"), Options{Audience: Internal, Drafts: true}, a11yModes[:2], true},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			opts := c.opts
			opts.Root, opts.Now, opts.NoGit = c.root, time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC), true
			s, err := Load(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Write(context.Background(), s, out, opts); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(staticHandler(out))
			defer srv.Close()
			pages := a11yPages(t, s, out, c.every)
			kinds := map[string]bool{}
			for _, pg := range pages {
				kinds[pg[0]] = true
			}
			for _, k := range []string{"postmortem", "term", "content page", "search"} {
				if !kinds[k] {
					t.Errorf("no %s page found in the build", k)
				}
			}
			t.Logf("%d pages, %d modes", len(pages), len(c.modes))
			// Each mode in a tab of its own, up to three at once (axe spends
			// about a second on a page); the problems are listed in order.
			problems := make([][]string, len(c.modes))
			var wg sync.WaitGroup
			sem := make(chan struct{}, 3)
			for i, m := range c.modes {
				wg.Go(func() {
					sem <- struct{}{}
					defer func() { <-sem }()
					tab, cancel := chromedp.NewContext(ctx)
					defer cancel()
					// Open the tab now: a tab opened by the first axeRun would
					// close with that run's timeout context.
					if err := chromedp.Do(tab); err != nil {
						problems[i] = append(problems[i], fmt.Sprintf("%s: opening a tab: %v", m.name, err))
						return
					}
					for _, pg := range pages {
						vs, err := axeRun(tab, srv.URL+"/"+pg[1], m, axe)
						if err != nil {
							problems[i] = append(problems[i], fmt.Sprintf("%s, %s (%s): %v", pg[0], m.name, pg[1], err))
							continue
						}
						for _, v := range vs {
							problems[i] = append(problems[i], fmt.Sprintf("%s, %s (%s): %s", pg[0], m.name, pg[1], v))
						}
					}
				})
			}
			wg.Wait()
			for _, l := range problems {
				for _, p := range l {
					t.Error(p)
				}
			}
		})
	}
}

// a11yMode is how a page is shown to axe: the reader's colour scheme,
// the theme toggle's choice (data-theme on <html>, as site.js sets it; ""
// for none) and the window width.
type a11yMode struct {
	name, scheme, theme string
	width               int64
}

var a11yModes = []a11yMode{
	{"light mode", "light", "", 1280},
	{"dark mode", "dark", "", 1280},
	{"dark by the toggle", "light", "dark", 1280},
	{"light by the toggle", "dark", "light", 1280},
	{"light mode, phone width", "light", "", 390},
}

// axeRun opens url in mode, waits for the page (and the search results,
// on the search page), injects axe-core and returns its violations.
func axeRun(ctx context.Context, url string, m a11yMode, axe string) ([]axeViolation, error) {
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	setup := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: m.scheme}}}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: m.width, Height: 900, DeviceScaleFactor: 1, Mobile: m.width < 600})
		return err
	})
	if err := chromedp.Do(tctx, setup, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
		return nil, err
	}
	if m.theme != "" {
		if err := chromedp.Do(tctx, chromedp.Evaluate[chromedp.Void](`document.documentElement.setAttribute("data-theme", "`+m.theme+`")`)); err != nil {
			return nil, err
		}
	}
	if strings.Contains(url, "search/index.html?q=") { // the results are drawn by search.js
		if err := chromedp.Do(tctx, chromedp.WaitReady(chromedp.CSS("#search-results[data-done]"))); err != nil {
			return nil, fmt.Errorf("waiting for the search results: %w", err)
		}
	}
	if err := chromedp.Do(tctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		return nil, fmt.Errorf("injecting axe-core: %w", err)
	}
	// Every rule axe enables by default (WCAG 2.0-2.2 A and AA and best
	// practices), and target-size (WCAG 2.2 AA) in case a version leaves
	// it off.
	raw, err := chromedp.Run(tctx, chromedp.Evaluate[[]byte](
		`axe.run(document, {resultTypes: ["violations"], rules: {"target-size": {enabled: true}}}).then(r => r.violations)`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("running axe-core: %w", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal(raw, &vs); err != nil {
		return nil, fmt.Errorf("axe-core's result: %w", err)
	}
	return vs, nil
}
