package serve

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	pngenc "image/png"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hindsight-kb/hindsight/site"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// TestSecurityRecreatedFolderWatched: a folder deleted and made again
// (and folders made inside it later) is watched like the first one.
func TestSecurityRecreatedFolderWatched(t *testing.T) {
	for _, poll := range []time.Duration{0, 50 * time.Millisecond} {
		t.Run(map[bool]string{true: "poll", false: "events"}[poll > 0], func(t *testing.T) { recreatedFolder(t, poll) })
	}
}

func recreatedFolder(t *testing.T, poll time.Duration) {
	for _, tc := range []struct {
		name string
		dir  string // removed and made again
		fast bool   // made again at once, before the removal is seen
		move bool   // moved away instead of removed
	}{
		{"year folder", "content/postmortems/2025", false, false},
		{"postmortems", "content/postmortems", false, false},
		{"content", "content", false, false},
		{"year folder at once", "content/postmortems/2025", true, false},
		{"postmortems at once", "content/postmortems", true, false},
		{"content at once", "content", true, false},
		{"year folder moved away", "content/postmortems/2025", false, true},
		{"content moved away at once", "content", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := startHarness(t, map[string]string{"content/postmortems/2025/a.md": "alpha", "content/index.md": "x"},
				func(o *Options) { o.Poll = poll })
			// wait polls page until it answers want ("" for a 404): a
			// change may take several rebuilds (the folder, then the file).
			wait := func(step, page, want string) {
				t.Helper()
				var code int
				var body string
				for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
					code, body = h.get(page)
					if want == "" && code == http.StatusNotFound || want != "" && body == want {
						return
					}
				}
				t.Fatalf("%s: GET %s = %d %q, want %q (the change was not seen)", step, page, code, body, want)
			}
			dir := filepath.Join(h.root, filepath.FromSlash(tc.dir))
			if tc.move {
				if err := os.Rename(dir, filepath.Join(t.TempDir(), "away")); err != nil {
					t.Fatal(err)
				}
			} else if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if !tc.fast {
				wait("remove", "/postmortems/2025/a/", "")
			}
			if err := os.MkdirAll(filepath.Join(h.root, "content/postmortems/2025"), 0o755); err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond)
			kbtest.WriteFile(t, h.root, "content/postmortems/2025/a.md", "alpha 2")
			wait("write in the recreated folder", "/postmortems/2025/a/", "alpha 2")
			kbtest.WriteFile(t, h.root, "content/postmortems/2025/a.md", "alpha 3")
			wait("write again", "/postmortems/2025/a/", "alpha 3")
			os.MkdirAll(filepath.Join(h.root, "content/postmortems/2025/q1/deep"), 0o755)
			time.Sleep(100 * time.Millisecond)
			kbtest.WriteFile(t, h.root, "content/postmortems/2025/q1/deep/b.md", "beta")
			wait("write in a new nested folder", "/postmortems/2025/q1/deep/b/", "beta")
			kbtest.WriteFile(t, h.root, "content/postmortems/2025/q1/deep/b.md", "beta 2")
			wait("write again in the nested folder", "/postmortems/2025/q1/deep/b/", "beta 2")
		})
	}
}

// TestSecurityHostAndOrigin: only requests addressed to the server's own
// names are answered (DNS rebinding), and none sent by another site's
// page.
func TestSecurityHostAndOrigin(t *testing.T) {
	h := startHarness(t, map[string]string{"content/postmortems/a.md": "alpha"}, func(o *Options) {
		o.Hosts = []string{"preview.example.org"}
		o.API = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{}")) })
	})
	port := h.url[strings.LastIndex(h.url, ":")+1:]
	tests := []struct {
		host, origin, path string
		fetch              string // Sec-Fetch-Site, -Mode and -Dest, as a browser sends them
		want               int
	}{
		{"localhost:" + port, "", "/postmortems/a/", "", 200},
		{"127.0.0.1:" + port, "", "/postmortems/a/", "", 200},
		{"[::1]:" + port, "", "/postmortems/a/", "", 200},
		{"LocalHost.:" + port, "", "/postmortems/a/", "", 200},
		{"preview.example.org:" + port, "", "/postmortems/a/", "", 200},
		{"attacker.example:" + port, "", "/postmortems/a/", "", http.StatusMisdirectedRequest},
		{"attacker.example", "", "/postmortems/a/", "", http.StatusMisdirectedRequest},
		{"attacker.example:" + port, "", EventsPath, "", http.StatusMisdirectedRequest},
		{"attacker.example:" + port, "", "/api/search?q=x", "", http.StatusMisdirectedRequest},
		{"localhost:1", "", "/postmortems/a/", "", http.StatusMisdirectedRequest},
		{"localhost", "", "/postmortems/a/", "", http.StatusMisdirectedRequest},
		{"127.0.0.2:" + port, "", "/postmortems/a/", "", http.StatusMisdirectedRequest},
		{"localhost:" + port, "http://localhost:" + port, "/api/search?q=x", "", 200},
		{"localhost:" + port, "http://attacker.example", "/api/search?q=x", "", http.StatusForbidden},
		{"localhost:" + port, "http://attacker.example:" + port, EventsPath, "", http.StatusForbidden},
		{"localhost:" + port, "null", EventsPath, "", http.StatusForbidden},
		{"localhost:" + port, "https://localhost:" + port, EventsPath, "", http.StatusForbidden},
		// Fetch Metadata: another site's page has the browser load a
		// file (no Origin) and learns whether it is there; only the
		// user's own opening of a page is answered.
		{"localhost:" + port, "", "/postmortems/a/", "same-origin cors empty", 200},
		{"localhost:" + port, "", "/postmortems/a/", "same-origin no-cors image", 200},
		{"localhost:" + port, "", "/postmortems/a/", "none navigate document", 200},
		{"localhost:" + port, "", "/postmortems/a/", "cross-site navigate document", 200},
		{"localhost:" + port, "", "/postmortems/a/", "cross-site no-cors image", http.StatusForbidden},
		{"localhost:" + port, "", "/postmortems/a/", "cross-site no-cors script", http.StatusForbidden},
		{"localhost:" + port, "", "/postmortems/a/", "cross-site navigate iframe", http.StatusForbidden},
		{"localhost:" + port, "", "/postmortems/a/", "same-site no-cors empty", http.StatusForbidden},
		{"localhost:" + port, "", "/api/search?q=x", "cross-site no-cors empty", http.StatusForbidden},
		{"localhost:" + port, "", EventsPath, "same-site cors empty", http.StatusForbidden},
	}
	for _, tc := range tests {
		req, err := http.NewRequest("GET", h.url+tc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = tc.host
		if tc.origin != "" {
			req.Header.Set("Origin", tc.origin)
		}
		if f := strings.Fields(tc.fetch); len(f) == 3 {
			req.Header.Set("Sec-Fetch-Site", f[0])
			req.Header.Set("Sec-Fetch-Mode", f[1])
			req.Header.Set("Sec-Fetch-Dest", f[2])
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		resp, err := http.DefaultClient.Do(req.WithContext(ctx))
		if err != nil {
			cancel()
			t.Fatalf("Host %q Origin %q: %v", tc.host, tc.origin, err)
		}
		body := make([]byte, 400)
		n, _ := io.ReadFull(resp.Body, body)
		resp.Body.Close()
		cancel()
		if resp.StatusCode != tc.want {
			t.Errorf("Host %q Origin %q %s %s: %d %q, want %d", tc.host, tc.origin, tc.fetch, tc.path, resp.StatusCode, body[:n], tc.want)
		}
		if tc.want == http.StatusMisdirectedRequest && !strings.Contains(string(body[:n]), "DNS rebinding") {
			t.Errorf("Host %q: the refusal does not explain itself: %q", tc.host, body[:n])
		}
	}
}

// TestSecurityConnectionTimeouts: an idle keep-alive connection and one
// that never finishes its headers are closed after their timeouts.
func TestSecurityConnectionTimeouts(t *testing.T) {
	h := startHarness(t, map[string]string{"content/postmortems/a.md": "alpha"}, func(o *Options) {
		o.Limits = Limits{IdleTimeout: 200 * time.Millisecond, ReadHeaderTimeout: 200 * time.Millisecond}
	})
	addr := strings.TrimPrefix(h.url, "http://")
	closedWithin := func(name string, c net.Conn, d time.Duration) {
		t.Helper()
		start := time.Now()
		c.SetReadDeadline(time.Now().Add(d))
		_, err := io.Copy(io.Discard, c)
		if err != nil {
			t.Errorf("%s: the server did not close the connection within %s: %v", name, d, err)
		} else {
			t.Logf("%s: closed after %s", name, time.Since(start).Round(time.Millisecond))
		}
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET /postmortems/a/ HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("first request: %v %v", resp, err)
	}
	resp.Body.Close()
	closedWithin("idle keep-alive", c, 2*time.Second)

	c2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	fmt.Fprintf(c2, "GET /postmortems/a/ HTTP/1.1\r\nHost: %s\r\n", addr) // no end of headers
	closedWithin("unfinished headers", c2, 2*time.Second)

	// Headers over MaxHeaderBytes (64 KiB) are refused.
	req, _ := http.NewRequest("GET", h.url+"/postmortems/a/", nil)
	req.Header.Set("X-Big", strings.Repeat("x", 80<<10))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("80 KiB of headers: %d, want 431", resp.StatusCode)
		}
	}
}

// TestSecurityEventStreamCap: past MaxEventStreams a live-reload stream
// gets 503 saying why; a stream outlives the read and write timeouts.
func TestSecurityEventStreamCap(t *testing.T) {
	h := startHarness(t, map[string]string{"content/postmortems/a.md": "alpha"}, func(o *Options) {
		o.Limits = Limits{MaxEventStreams: 2, ReadTimeout: 150 * time.Millisecond, WriteTimeout: 150 * time.Millisecond}
	})
	first := h.events()
	next(t, first, 2*time.Second)
	second := h.events()
	next(t, second, 2*time.Second)
	resp, err := http.Get(h.url + EventsPath)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(b), "too many live-reload connections") {
		t.Errorf("third stream: %d %q, want 503 saying why", resp.StatusCode, b)
	}
	if n := h.srv.Clients(); n != 2 {
		t.Errorf("%d streams open, want 2", n)
	}
	// Past the read and write timeouts, the open streams still get events.
	time.Sleep(400 * time.Millisecond)
	kbtest.WriteFile(t, h.root, "content/postmortems/a.md", "alpha 2")
	for _, c := range []<-chan Event{first, second} {
		if e := next(t, c, 3*time.Second); e.Kind != "reload" {
			t.Errorf("event %+v, want reload", e)
		}
	}
}

// TestSecurityAttachmentSandbox: a content attachment is served with
// "Content-Security-Policy: sandbox" (not a PDF, which Chrome would not
// show), a generated page or theme file is not.
func TestSecurityAttachmentSandbox(t *testing.T) {
	files := fixtureKB()
	files["content/postmortems/2025/diagram.svg"] = `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>`
	files["content/postmortems/2025/notes.txt"] = "plain notes"
	files["content/postmortems/2025/report.pdf"] = "%PDF-1.4 not really"
	h := startSite(t, files)
	sandboxed := 0
	for _, tc := range []struct {
		path    string
		sandbox bool
	}{
		{"/postmortems/2025/diagram.svg", true},
		{"/postmortems/2025/notes.txt", true},
		{"/postmortems/2025/report.pdf", false},
		{"/postmortems/a/", false},
		{"/", false},
		{"/assets/style.css", false},
		{"/api/postmortems.json", false},
	} {
		resp, err := http.Get(h.url + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound && tc.sandbox {
			continue // refused by the site itself: inert too
		}
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", tc.path, resp.StatusCode)
			continue
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if got := csp == "sandbox"; got != tc.sandbox {
			t.Errorf("%s: Content-Security-Policy %q, want sandbox: %v", tc.path, csp, tc.sandbox)
		}
		if tc.sandbox {
			sandboxed++
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no X-Content-Type-Options: nosniff", tc.path)
		}
	}
	if sandboxed == 0 {
		t.Error("no attachment was served to check")
	}
}

// stuckBuilder is a fakeBuilder whose Update never returns while stick
// is set, whatever its context says (a read blocked in the kernel).
type stuckBuilder struct {
	*fakeBuilder
	stick   atomic.Bool
	release chan struct{}
}

func (b *stuckBuilder) Update(ctx context.Context, prev Snapshot, changed []string) (Snapshot, error) {
	if b.stick.Load() {
		<-b.release
	}
	return b.fakeBuilder.Update(ctx, prev, changed)
}

// TestSecurityStuckRebuild: one rebuild that never ends neither stops
// the next changes from being served nor keeps cancel from stopping the
// server at once.
func TestSecurityStuckRebuild(t *testing.T) {
	root := writeKB(t, map[string]string{"content/postmortems/a.md": "alpha"})
	b := &stuckBuilder{fakeBuilder: &fakeBuilder{root: root}, release: make(chan struct{})}
	defer close(b.release)
	b.stick.Store(true)
	h := runHarness(t, Options{Root: root, Builder: b, Log: &syncBuffer{}, Script: []byte("x"),
		Limits: Limits{StuckRebuild: 300 * time.Millisecond, ShutdownGrace: 200 * time.Millisecond}})
	kbtest.WriteFile(t, root, "content/postmortems/a.md", "alpha 2")
	if !h.log.waitFor("seems stuck") {
		t.Fatalf("no word of the stuck rebuild:\n%s", h.log.String())
	}
	kbtest.WriteFile(t, root, "content/postmortems/b.md", "beta")
	deadline := time.Now().Add(3 * time.Second)
	for {
		_, a := h.get("/postmortems/a/")
		_, bb := h.get("/postmortems/b/")
		if a == "alpha 2" && bb == "beta" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the stuck rebuild, changes are not served: a %q, b %q\n%s", a, bb, h.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Stuck again, then cancel: Serve and Watch end within a second or two.
	kbtest.WriteFile(t, root, "content/postmortems/a.md", "alpha 3")
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	h.cancel()
	select {
	case <-h.done:
		t.Logf("stopped in %s", time.Since(start).Round(time.Millisecond))
	case <-time.After(2 * time.Second):
		t.Fatal("the server did not stop within 2 s of cancel while a rebuild was stuck")
	}
}

// TestSecurityOversizedQuery: a query of 150,000 words is refused by the
// header cap (431), one over the parser's limits with 400 saying the
// limit, each at once, through the real search of the site.
func TestSecurityOversizedQuery(t *testing.T) {
	h := startSite(t, fixtureKB())
	words := func(n int) string { return strings.TrimSuffix(strings.Repeat("outage+", n), "+") }
	for _, tc := range []struct {
		q    string
		want int
		msg  string
	}{
		{words(150000), http.StatusRequestHeaderFieldsTooLarge, ""},
		{words(1000), http.StatusBadRequest, "too long"},
		{words(33), http.StatusBadRequest, "more than 32 terms"},
	} {
		for _, p := range []string{"/api/search?q=", "/search/?q="} {
			start := time.Now()
			code, body := h.get(p + tc.q)
			if took := time.Since(start); code != tc.want || !strings.Contains(body, tc.msg) || took > time.Second {
				t.Errorf("%s%d bytes: %d in %s, %.200q; want %d with %q in well under a second", p, len(tc.q), code, took, body, tc.want, tc.msg)
			}
		}
	}
}

// TestSecurityBrowserAttachmentInert opens an SVG and an HTML attachment
// directly in headless Chromium: their scripts do not run on the
// preview's origin.
func TestSecurityBrowserAttachmentInert(t *testing.T) {
	ctx := browser(t)
	files := fixtureKB()
	const script = `<script>document.documentElement.setAttribute("data-ran", document.domain || "yes")</script>`
	files["content/postmortems/2025/diagram.svg"] = `<svg xmlns="http://www.w3.org/2000/svg">` + script + `</svg>`
	files["content/postmortems/2025/page.html"] = `<!doctype html><title>x</title>` + script
	h := startSite(t, files)
	for _, p := range []string{"/postmortems/2025/diagram.svg", "/postmortems/2025/page.html"} {
		if code, _ := h.get(p); code != 200 {
			t.Logf("%s: %d (refused by the site: inert too)", p, code)
			continue
		}
		tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		if err := chromedp.Do(tctx, chromedp.Navigate(h.url+p)); err != nil {
			cancel()
			t.Fatalf("%s: %v", p, err)
		}
		cancel()
		time.Sleep(200 * time.Millisecond)
		if ran := evalJS[string](t, ctx, `document.documentElement.getAttribute("data-ran") || ""`); ran != "" {
			t.Errorf("%s: the attachment's script ran (%q)", p, ran)
		}
	}
}

// TestSecurityBrowserOtherSiteCannotProbe: a page of another site (here
// http://localhost:N against the preview on 127.0.0.1) cannot learn
// which attachments the preview has by loading them as images: both an
// attachment that exists and one that does not fail to load. A link
// from that page still opens the preview, whose own images load.
func TestSecurityBrowserOtherSiteCannotProbe(t *testing.T) {
	ctx := browser(t)
	var png bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	if err := pngenc.Encode(&png, img); err != nil {
		t.Fatal(err)
	}
	files := fixtureKB()
	files["content/postmortems/2025/diagram.png"] = png.String()
	h := startSite(t, files)
	if code, _ := h.get("/postmortems/2025/diagram.png"); code != 200 {
		t.Fatalf("the attachment itself: %d", code)
	}
	preview := h.url
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>another site</title><script>window.r = {}</script>
<img onload="r.there='load'" onerror="r.there='error'" src="%[1]s/postmortems/2025/diagram.png">
<img onload="r.missing='load'" onerror="r.missing='error'" src="%[1]s/postmortems/2025/missing.png">
<a id="go" href="%[1]s/postmortems/a/">the preview</a>`, preview)
	}))
	t.Cleanup(other.Close)
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) // another site
	tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(otherURL)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "both images settled", `!!(window.r && r.there && r.missing)`, 10*time.Second)
	if got := evalJS[string](t, ctx, `r.there + " " + r.missing`); got != "error error" {
		t.Errorf("another site's page loading the preview's attachments as images: %q, want \"error error\" (it can tell which exist)", got)
	}
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS("#go"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the preview opened from the other site's link", `location.href.startsWith(`+strconv.Quote(preview)+`) && document.title.includes("Alpha outage")`, 10*time.Second)
	evalJS[bool](t, ctx, `(() => { window.own = ""; const i = new Image(); i.onload = () => own = "load"; i.onerror = () => own = "error"; i.src = "/postmortems/2025/diagram.png"; return true })()`)
	waitJS(t, ctx, "the preview's own image request settled", `window.own !== ""`, 10*time.Second)
	if got := evalJS[string](t, ctx, `own`); got != "load" {
		t.Errorf("the preview's own page loading its attachment: %q, want load", got)
	}
}

// TestSecurityPublicServeSearchInternalFields: serve --audience public
// indexes the postmortems the publication policy made, so a field listed
// in internal_fields (here tags and action titles) cannot be found
// through /api/search, while the same words are found internally.
func TestSecurityPublicServeSearchInternalFields(t *testing.T) {
	files := fixtureKB()
	files["hindsight.yaml"] = "title: Test KB\ninternal_fields: [tags, actions.title, authors]\n"
	files["content/postmortems/2025/a.md"] = strings.Replace(
		strings.Replace(pm("Alpha outage", "The alpha certificate expired."), "authors: [ann]", "authors: [ann]\nvisibility: public\ntags: [zebrafish]", 1),
		"title: Automate renewal", "title: Quaggaproof renewal", 1)
	for _, tc := range []struct {
		audience string
		want     bool
	}{{site.Public, false}, {site.Internal, true}} {
		root := writeKB(t, files)
		log := &syncBuffer{}
		opts := site.Options{Root: root, Now: testNow, NoGit: true, Audience: tc.audience, Workers: 2}
		ss := NewSiteSearch(opts, log)
		t.Cleanup(func() { ss.Close() })
		h := runHarness(t, Options{Root: root, Builder: SiteBuilder(opts), Log: log, API: ss.API(), Search: ss.Page, OnSnapshot: ss.Index})
		// Wait until the index holds the postmortem: a word of its
		// summary finds it (the index is built in the background).
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if _, body := h.get("/api/search?q=alpha"); strings.Contains(body, `"id":"a"`) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("audience %v: the index never held postmortem a", tc.audience)
			}
		}
		for _, q := range []string{"zebrafish", "quaggaproof"} {
			code, body := h.get("/api/search?q=" + q)
			found := strings.Contains(body, `"id":"a"`)
			if code != 200 || found != tc.want {
				t.Errorf("audience %v, %q: %d %.300s; want found=%v", tc.audience, q, code, body, tc.want)
			}
		}
	}
}
