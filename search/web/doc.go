// Package web is the HTTP face of package search for `hindsight serve`:
// the /api/search JSON handler (HandlerFor), the Limiter that bounds the
// searches one server runs (how many at once, how long each may wait and
// run), and the data of the server-rendered search page (Page,
// PageData). Every request is checked: a query that cannot be parsed or
// is over the limits gets 400 with its column, a busy or slow search 503.
package web
