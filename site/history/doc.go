// Package history owns what git knows about a KB's files: for each file
// under content/, the author date of the last commit that changed it and
// its path in the repository (for "last updated" dates and "edit this
// page" links). A build makes one git log call for every file, not one
// per file; without git or outside a repository there is no history,
// silently.
package history
