// Package running owns the record a running `hindsight serve` leaves in
// the KB (.hindsight/serve.json: its URL and process id), so that
// `hindsight search` asks that server, whose index is warm, instead of
// opening the index the server holds. A record whose process is gone is
// ignored (alive_unix.go, alive_other.go).
package running
