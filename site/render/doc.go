// Package render owns the theme's templates: it parses a theme's layouts
// once (baseof + partials + one template per page kind), provides the
// template functions (relative links, dates in the config timezone,
// durations, severity classes) and executes a page kind with the common
// Data shape documented in docs/theme.md. It knows nothing about how
// pages are chosen; package site builds the view models.
package render
