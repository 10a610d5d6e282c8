// Package page makes a site's output pages from the results of the
// stages before it (package site runs them): the routes (pages.go: which
// output path shows what), the view model of each page kind (views.go),
// rendering with the theme's templates (site/render), the Go twins of the
// default postmortem layout and of the rows repeated across pages
// (compiled.go, written with render.HTMLWriter and tested to write the
// same bytes), the cache of rendered rows and items (frags.go), and the
// Atom feed, sitemaps and api/postmortems.json (feeds.go).
//
// A Set never changes once made: Render makes any one page from it, on
// any goroutine, and RenderAll every page. The contract with the theme is
// docs/theme.md.
package page
