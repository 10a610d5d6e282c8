// Package skeleton holds the files `hindsight init` writes into a new
// knowledge base: hindsight.yaml with every key explained, content/ with an
// about page and the writing guide, .gitignore, the GitHub workflows
// (check with annotations and SARIF, the weekly corrective-action nag,
// publishing to GitHub Pages), a pre-commit configuration and a pull-request
// template.
//
// The files live under files/, embedded, and are Go text/templates with [[
// and ]] as delimiters (GitHub's own ${{ }} expressions pass through).
// Render fills them in; it never touches the disk.
package skeleton
