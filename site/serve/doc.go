// Package serve owns hindsight's live preview (`hindsight serve --watch`):
// an HTTP server that answers every request from one complete, immutable
// snapshot of the site, a watcher (fsnotify, or stat polling) that turns
// file changes into incremental rebuilds, and Server-Sent Events that make
// open browser tabs reload, swap style sheets, or show the diagnostics of a
// broken file in an overlay.
//
// Snapshots: the server holds the current Snapshot in an atomic pointer.
// A request loads it once and renders its page from it (each snapshot has
// its own cache of rendered pages), so a request never sees a half-built
// site, and a rebuild never waits for requests. The cache holds at most
// 128 MiB (pageCacheBytes): past that it starts again empty, and a page
// over a quarter of that (a large KB's api/postmortems.json) is rendered
// for each request, so a crawl of a 100k KB's preview does not keep its
// 2 GB of pages. A rebuild builds a new
// snapshot beside the old one (Builder.Update for content changes, which
// re-parses only the changed files; Builder.Load for a config or theme
// change) and swaps it in.
//
// Rendering is lazy: a rebuild renders nothing; only the pages a browser
// asks for are rendered, once per snapshot (while the cache keeps them).
// This is how "re-render only the pages a change affects" is met without
// tracking which page reads which postmortem: a page nobody looks at
// costs nothing.
//
// Memory: the preview holds its site for hours, so SiteBuilder builds
// compact sites (site.Options.Compact): each postmortem is checked as it
// is read and keeps only what pages, rebuilds and similar incidents need,
// not its source or (internal audience) its plain text. The search index
// (SiteSearch) is kept up to date from the KB's files, as `hindsight
// search` does, and re-reads a hit's file for its snippet: serve holds no
// search document of its own. BenchmarkServeMemory measures the result
// (live heap after load, index and edits; peak RSS).
//
// Only paths the current snapshot lists (Snapshot.Pages) are served; the
// server never opens a file named by a URL, so neither ".." nor symlinks
// can reach outside the site.
//
// Clients are untrusted: any web page a developer opens can send requests
// to the preview. Requests not addressed to the server's own names
// (DNS rebinding) get 421, those other sites' pages send get 403;
// connections, headers and live-reload streams are bounded (Limits);
// attachments from content/ are served sandboxed; and one stuck rebuild
// neither stops the next ones nor the shutdown.
package serve
