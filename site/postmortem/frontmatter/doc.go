// Package frontmatter owns the front matter of a file before it meets
// the postmortem schema: finding the block at the top of the file (YAML
// between "---" lines, TOML between "+++", JSON; Split, which handles
// the common case itself and the rest through adrg/frontmatter, checked
// against it by FuzzSplitFrontMatter), decoding it into a positioned
// tree (Parse, through site/tree), and reading typed values out of that
// tree with their positions and a clear problem for each value that
// cannot be read (Decoder: text, booleans, counts, dates and datetimes).
//
// Which keys exist and which field each one fills is site/postmortem's
// (frontmatter.go there).
package frontmatter
