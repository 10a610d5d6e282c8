package cli

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli/running"
	"github.com/hindsight-kb/hindsight/site"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/serve"
	"github.com/spf13/cobra"
)

// serveMemoryLimit is serve's soft memory limit (GOMEMLIMIT overrides it):
// the heap may double during a rebuild up to it, no further. The preview
// keeps a compact site (site/serve): about 170 MiB of live heap at 10,000
// postmortems, which never reach the limit, and 1.5–1.7 GiB at 100,000,
// whose peak it holds near 3 GB. A limit below the live heap makes the
// collector run back to back: at 100k under the former 900 MiB an edit
// took 7–11 s and the first load 108 CPU-s, under 3 GiB 2–3 s and 54.
const serveMemoryLimit = 3 << 30

// defaultAddr is serve's address: loopback only, on a port few other
// tools use.
const defaultAddr = "127.0.0.1:1717"

type serveFlags struct {
	addr       string
	allowHosts []string
	watch      bool
	drafts     bool
	poll       time.Duration
	audience   string
	strict     bool
}

func newServeCmd(e *env) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Preview the site locally; with --watch, rebuild and reload as you edit",
		Long: `serve builds the site in memory and serves it on ` + defaultAddr + ` (this
machine only). Drafts are shown, marked as drafts, unless --drafts=false.

With --watch, content/, themes/ and hindsight.yaml are watched (new folders
too). A change re-reads only the files that changed; a config or theme
change rebuilds everything. Open browser tabs reload by themselves and keep
their scroll position; a style sheet change is swapped in without a reload.
When a change breaks a file, its problems (file:line:col, rule, message)
are shown over the page and printed here, and the rest of the site, and
the last good version of that file, go on being served.

--poll INTERVAL watches by scanning the files (size and modification time)
every INTERVAL instead of using file system events: for WSL mounts, network
drives and containers where events do not arrive.

--addr binds another address. Anything else than a loopback address makes
the internal postmortems readable from the network: serve warns about it,
and an address without a host (":1717") is refused: write 0.0.0.0:1717 if
you mean every interface.

serve answers only requests addressed to localhost, 127.0.0.1, [::1], the
IP address a connection arrived at, or the host of --addr, on its port;
any other name gets 421 (a web page cannot read the preview through DNS
rebinding), and requests sent by other sites' pages get 403. To open the
preview under another name (a machine name on the network, a proxy), add
it with --allow-host NAME.

/search/?q=… is answered on the server (works without JavaScript), and
/api/search answers JSON ({"total","hits","facets"}).`,
		Example: `  hindsight serve --watch
  hindsight serve --watch --addr 127.0.0.1:8080
  hindsight serve --watch --poll 1s          # WSL, network drives
  hindsight serve --audience public --drafts=false`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("poll") {
				f.watch = true
			}
			return runServe(e, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", defaultAddr, "HOST:PORT to listen on")
	fl.StringSliceVar(&f.allowHosts, "allow-host", nil, "another host NAME requests may be addressed to (repeat, or a,b); localhost and the --addr host always are")
	fl.BoolVarP(&f.watch, "watch", "w", false, "rebuild on change and reload open browser tabs")
	fl.BoolVar(&f.drafts, "drafts", true, "show draft postmortems (marked as drafts)")
	fl.DurationVar(&f.poll, "poll", 0, "watch by scanning files every INTERVAL (e.g. 1s) instead of file system events; implies --watch")
	fl.StringVar(&f.audience, "audience", site.Internal, "internal or public: preview what a public build would show")
	fl.BoolVar(&f.strict, "strict", false, "treat overdue actions as errors, as check --strict")
	return cmd
}

func runServe(e *env, f serveFlags) error {
	root, err := e.absRoot()
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if err := requireKB(e, root); err != nil {
		return err
	}
	if f.audience != site.Internal && f.audience != site.Public {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--audience %q is not known; use internal or public", f.audience)}
	}
	if f.poll < 0 || (f.poll > 0 && f.poll < 10*time.Millisecond) {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--poll %s is too short; use at least 10ms (1s is a good start)", f.poll)}
	}
	warning, err := checkAddr(f.addr)
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	if warning != "" {
		fmt.Fprintln(e.stderr, "hindsight: warning:", warning)
	}
	// Listen before building, so a busy port is reported at once.
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: listenError(f.addr, err)}
	}
	defer ln.Close()

	if os.Getenv("GOMEMLIMIT") == "" {
		// serve keeps a whole site in memory for hours: ask the garbage
		// collector to work harder rather than let the heap double
		// during a rebuild (see docs/performance.md, "Live preview").
		debug.SetMemoryLimit(serveMemoryLimit)
	}
	opts := site.Options{Root: root, Audience: f.audience, Drafts: f.drafts && f.audience != site.Public,
		Now: e.now(), LiveReload: f.watch, Strict: f.strict,
		// serve answers search on the server: no static search index.
		NoStaticSearch: true}
	start := time.Now()
	ss := serve.NewSiteSearch(opts, e.stderr)
	defer ss.Close()
	srv, err := serve.New(e.ctx, serve.Options{
		Hosts:      allowedHosts(f),
		Root:       root,
		Builder:    serve.SiteBuilder(opts),
		Poll:       f.poll,
		Log:        e.stdout,
		API:        ss.API(),
		Search:     ss.Page,
		OnSnapshot: ss.Index,
	})
	if err != nil {
		if e.ctx.Err() != nil {
			return nil
		}
		return &ExitError{Code: ExitFailure, Err: err}
	}
	s := srv.Snapshot().(serve.SiteSnapshot)
	errs, warns := diag.Count(s.Diagnostics)
	fmt.Fprintf(e.stdout, "Built %s in %s: %d postmortems", s.Config.Title, time.Since(start).Round(time.Millisecond), len(s.Postmortems))
	if opts.Drafts {
		fmt.Fprint(e.stdout, " (drafts shown)")
	}
	if f.audience == site.Public {
		fmt.Fprint(e.stdout, ", public audience")
	}
	fmt.Fprintln(e.stdout)
	if errs+warns > 0 {
		fmt.Fprintf(e.stdout, "The knowledge base has %s and %s; run `hindsight check` to list them.\n",
			countOf(errs, "error"), countOf(warns, "warning"))
	}
	url := "http://" + displayAddr(ln.Addr().String()) + "/"
	fmt.Fprintf(e.stdout, "Serving at %s\n", url)
	// Tell `hindsight search` where to ask while this process holds the
	// search index.
	if remove := running.Record(root, url); remove != nil {
		defer remove()
	}
	if f.watch {
		how := "file system events"
		if f.poll > 0 {
			how = "polling every " + f.poll.String()
		}
		fmt.Fprintf(e.stdout, "Watching content/, themes/ and hindsight.yaml (%s); open tabs reload on change.\n", how)
	}
	fmt.Fprintln(e.stdout, "Press Ctrl-C to stop.")

	watchDone := make(chan struct{})
	if f.watch {
		go func() {
			defer close(watchDone)
			srv.Watch(e.ctx)
		}()
	} else {
		close(watchDone)
	}
	err = srv.Serve(e.ctx, ln)
	<-watchDone
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("serving %s: %w", f.addr, err)}
	}
	fmt.Fprintln(e.stdout, "Stopped.")
	return nil
}

// checkAddr validates --addr: a loopback host is quiet, another explicit
// host gets a warning, and no host at all is refused (it would silently
// mean every interface).
func checkAddr(addr string) (warning string, err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--addr %q is not HOST:PORT (for example %s)", addr, defaultAddr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("--addr %q: port %q is not a number from 0 to 65535", addr, port)
	}
	if host == "" {
		return "", fmt.Errorf("--addr %q has no host, which would listen on every network interface; use 127.0.0.1:%s, or 0.0.0.0:%s if you mean to share the preview", addr, port, port)
	}
	if host == "localhost" {
		return "", nil
	}
	ip := net.ParseIP(host)
	if ip != nil && ip.IsLoopback() {
		return "", nil
	}
	return fmt.Sprintf("listening on %s: anyone who can reach this address can read the knowledge base, internal postmortems and drafts included", addr), nil
}

// allowedHosts returns the host names, besides the loopback ones and the
// address a connection arrives at, that serve answers: --allow-host's and
// the host of --addr when it is a name.
func allowedHosts(f serveFlags) []string {
	out := append([]string(nil), f.allowHosts...)
	if host, _, err := net.SplitHostPort(f.addr); err == nil && host != "" && net.ParseIP(host) == nil {
		out = append(out, host)
	}
	return out
}

// listenError explains why the address could not be bound.
func listenError(addr string, err error) error {
	host, port, _ := net.SplitHostPort(addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		n, _ := strconv.Atoi(port)
		return fmt.Errorf("%s is already in use (another hindsight serve?); stop it or choose another port, e.g. --addr %s",
			addr, net.JoinHostPort(host, strconv.Itoa(n+1)))
	}
	if errors.Is(err, syscall.EACCES) {
		return fmt.Errorf("no permission to listen on %s (ports below 1024 need privileges); choose another port, e.g. --addr %s", addr, defaultAddr)
	}
	return fmt.Errorf("cannot listen on %s: %w; choose another address with --addr", addr, err)
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// countOf formats "1 error", "3 errors".
func countOf(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
