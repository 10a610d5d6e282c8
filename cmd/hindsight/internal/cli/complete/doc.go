// Package complete owns shell completion of hindsight's command line
// (Register): the values of flags that take one of a fixed list (given by
// the CLI, from where they are defined), the configured priorities,
// severities and categories, folders, and for search the filter names
// and values, postmortem ids among them.
//
// The ids are those a build gives: each postmortem file is read through
// kb.Dir (regular files inside the KB only, opened without blocking, so a
// named pipe cannot hang a TAB) and its front matter by the parser
// (postmortem.Parser.ParseFrontMatter), never by a copy of its rules.
// Values from the KB or hindsight.yaml reach the shell only when they
// are safe: ids that postmortem.IsID accepts, other values made of
// graphic characters. A completion never prints an error.
package complete
