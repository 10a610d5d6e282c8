// Package render is the theme engine: it parses a theme's layouts once
// (baseof + partials + one template per page kind), provides the template
// functions (relative links, dates in the config timezone, durations,
// severity classes) and executes a page kind with the common Data shape
// documented in docs/theme.md. HTMLWriter is html/template's escaping for
// Go code that writes the same bytes as a template; ChromaCSS is the code
// highlighting stylesheet. It knows nothing about which pages a site has:
// site/page builds the routes and view models.
package render
