package serve

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hindsight-kb/hindsight/site/browsertest"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// browser starts headless Chromium, or skips the test when it is absent
// (unless HINDSIGHT_E2E=1, when that is a failure).
func browser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.New(t, chromedp.WindowSize(1024, 700))
}

// waitJS polls a JavaScript boolean expression until it is true.
func waitJS(t *testing.T, ctx context.Context, what, expr string, within time.Duration) {
	t.Helper()
	start := time.Now()
	deadline := start.Add(within)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			t.Logf("%s after %s", what, time.Since(start).Round(time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true within %s: %s (last error %v)", what, within, expr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

type console struct {
	mu   sync.Mutex
	msgs []string
}

func watchConsole(ctx context.Context) *console {
	c := &console{}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException ||
				strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Refused to") {
				c.mu.Lock()
				c.msgs = append(c.msgs, string(m.Type)+": "+m.String())
				c.mu.Unlock()
			}
		}
	}()
	return c
}

// TestBrowserLiveReload keeps a page open in headless Chromium while the
// Markdown changes: the page updates by itself, keeps its scroll
// position, shows and hides the error overlay, and swaps a style sheet
// without reloading.
func TestBrowserLiveReload(t *testing.T) {
	ctx := browser(t)
	files := fixtureKB()
	long := strings.Repeat("A long paragraph that makes the page scroll. ", 40)
	summary := strings.Repeat(long+"\n\n", 12)
	files["content/postmortems/2025/a.md"] = pm("Alpha outage", summary)
	h := startSite(t, files)
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	con := watchConsole(tctx)

	if err := chromedp.Do(tctx, chromedp.Navigate(h.url+"/postmortems/a/index.html"), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tctx, "connected", `!!(window.__hindsightLiveReload && window.__hindsightLiveReload.version)`, 10*time.Second)
	y := evalJS[float64](t, tctx, `window.scrollTo(0, 900); window.scrollY`)
	if y < 800 {
		t.Fatalf("the page does not scroll (scrollY %v); make the fixture longer", y)
	}

	// Edit: the page reloads by itself with the new title, at the same
	// place.
	kbtest.WriteFile(t, h.root, "content/postmortems/2025/a.md", pm("Alpha outage, edited live", summary))
	waitJS(t, tctx, "new title", `document.querySelector("main h1").textContent.includes("edited live")`, 10*time.Second)
	waitJS(t, tctx, "scroll kept", `Math.abs(window.scrollY - 900) < 5`, 5*time.Second)

	// Break the front matter: the overlay shows the problem, the page
	// keeps its last good version.
	kbtest.WriteFile(t, h.root, "content/postmortems/2025/a.md", "---\ntitle: [oops\n---\n\n## Summary\n\n<img src=x onerror=alert(1)>\n")
	waitJS(t, tctx, "overlay", `!!document.getElementById("hindsight-overlay")`, 10*time.Second)
	text := evalJS[string](t, tctx, `document.getElementById("hindsight-overlay").textContent`)
	for _, want := range []string{"content/postmortems/2025/a.md:2", "frontmatter-syntax"} {
		if !strings.Contains(text, want) {
			t.Errorf("overlay text %q lacks %q", text, want)
		}
	}
	if n := evalJS[int](t, tctx, `document.querySelectorAll("#hindsight-overlay img, #hindsight-overlay script").length`); n != 0 {
		t.Errorf("the overlay made %d elements from untrusted text", n)
	}
	if h1 := evalJS[string](t, tctx, `document.querySelector("main h1").textContent`); !strings.Contains(h1, "edited live") {
		t.Errorf("broken file shows %q, want its last good version", h1)
	}

	// Fix it: the overlay goes away.
	kbtest.WriteFile(t, h.root, "content/postmortems/2025/a.md", pm("Alpha outage, fixed", summary))
	waitJS(t, tctx, "fixed title", `document.querySelector("main h1").textContent.includes("fixed")`, 10*time.Second)
	waitJS(t, tctx, "overlay hidden", `!document.getElementById("hindsight-overlay")`, 5*time.Second)

	// A style sheet change is swapped in without a reload. (Creating
	// the theme folder reloads: a new folder may hold layouts.)
	code, css := h.get("/assets/style.css")
	if code != 200 {
		t.Fatalf("style.css: %d", code)
	}
	evalJS[bool](t, tctx, `window.__marker = 1; true`)
	kbtest.WriteFile(t, h.root, "themes/default/static/style.css", css)
	waitJS(t, tctx, "reload for the new theme folder", `window.__marker === undefined`, 10*time.Second)
	waitJS(t, tctx, "connected", `!!(window.__hindsightLiveReload && window.__hindsightLiveReload.version)`, 10*time.Second)
	evalJS[bool](t, tctx, `window.__notReloaded = true; true`)
	kbtest.WriteFile(t, h.root, "themes/default/static/style.css", css+"\nbody { outline: 3px solid rgb(1, 2, 3); }\n")
	waitJS(t, tctx, "new style", `getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)"`, 10*time.Second)
	if !evalJS[bool](t, tctx, `window.__notReloaded === true`) {
		t.Error("the page reloaded for a style sheet change")
	}
	if msgs := con.msgs; len(msgs) > 0 {
		t.Errorf("console problems:\n%s", strings.Join(msgs, "\n"))
	}
}
