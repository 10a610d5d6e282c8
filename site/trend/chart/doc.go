// Package chart draws small, accessible charts as inline SVG at build time:
// stacked or grouped bars, horizontal bars, box plots on a logarithmic time
// axis, lines, and sparklines. Every chart is a value with the numbers to
// draw; its SVG method returns markup ready for html/template.
//
// The markup carries no style attributes and no scripts (the site's CSP is
// style-src 'self'): colours come from CSS classes (series s1…s8 follow the
// Okabe–Ito colour-blind-safe palette, defined in the theme's trends.css
// with light, dark and print variants). Each SVG has role="img" and is
// labelled by its <title> and <desc>; the numbers themselves belong in a
// table beside the chart, which the caller renders.
package chart
