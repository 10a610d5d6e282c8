// Package site owns the build pipeline: Load runs the stages load → check
// → link → trend → index once and returns an immutable *Site (the
// published postmortems, filtered by audience once, their graph, trends
// and search data); Render renders any one output page from it on demand;
// RenderAll and Write render every page in parallel and swap the output
// folder in atomically. Pages render with the theme's templates; the
// default postmortem page and the rows and items repeated across pages
// also have Go twins (compiled.go), used while those layouts are the
// embedded defaults and tested to write the same bytes. The contract with
// the theme and with the serve, trends and search packages is
// docs/theme.md.
package site
