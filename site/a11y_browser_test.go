package site

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
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
			p = filepath.Join(home, ".cache", "hindsight-axe", "node_modules", "axe-core", "axe.min.js")
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

// a11yPages are the pages axe checks: one of each page type, named.
func a11yPages(s *Site) [][2]string {
	pages := [][2]string{
		{"home", "index.html"},
		{"postmortem list", "postmortems/index.html"},
		{"taxonomy list", "causes/index.html"},
		{"trends", "trends/index.html"},
		{"actions", "actions/index.html"},
		{"search", "search/index.html?q=certificate"},
		{"404", "404.html"},
	}
	if len(s.Postmortems) > 0 {
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
	for _, tx := range s.Graph.Taxonomies {
		if tx.Kind == "causes" && len(tx.Terms) > 0 {
			pages = append(pages, [2]string{"term", tx.Terms[0].URL() + "index.html"})
		}
	}
	for _, pg := range s.ContentPages {
		if _, ok := s.routes[pg.URL()+"index.html"]; ok {
			pages = append(pages, [2]string{"content page", pg.URL() + "index.html"})
			break
		}
	}
	return pages
}

func TestBrowserA11y(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	axe := axeScript(t)
	ctx := browser(t)
	for _, aud := range []string{Internal, Public} {
		t.Run(aud, func(t *testing.T) {
			root := ".."
			if _, err := os.Stat(filepath.Join(root, "content", "postmortems")); err != nil {
				root = writeTxtar(t, fixtureKB)
			}
			out := filepath.Join(t.TempDir(), "public")
			opts := Options{Root: root, Audience: aud, Now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC), NoGit: true}
			s, err := Load(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Write(context.Background(), s, out, opts); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(staticHandler(out))
			defer srv.Close()
			pages := a11yPages(s)
			modes := a11yModes
			if aud == Public {
				modes = modes[:2] // the same styles; public pages differ in content only
			}
			for _, m := range modes {
				for _, pg := range pages {
					vs, err := axeRun(ctx, srv.URL+"/"+pg[1], m, axe)
					if err != nil {
						t.Errorf("%s, %s (%s): %v", pg[0], m.name, pg[1], err)
						continue
					}
					for _, v := range vs {
						t.Errorf("%s, %s (%s): %s", pg[0], m.name, pg[1], v)
					}
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
	if strings.Contains(url, "search/index.html?q=") {
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
