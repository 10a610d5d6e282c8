// Package site owns the build pipeline: Load runs one declared list of
// named stages (stages.go: load and history → publish → check, link+trend
// and index side by side, or in a one-shot build check and link+trend, then
// the index in the background → pages) and returns an immutable *Site; Update
// runs the incremental list for serve; Write renders every page in
// parallel into a temporary folder and swaps it in atomically. Which
// pages a site has and how each is rendered is site/page's; the stages'
// own work is in the packages they call (site/kb, site/check,
// site/graph, site/trend, search/static, site/similar, site/history).
// The contract with the theme and with serve is docs/theme.md; the stages
// and packages are described in docs/architecture.md.
package site
