// Package kbtest helps the tests and benchmarks that need a generated
// knowledge base loaded: it generates one (site/kbgen) into a temporary
// folder and loads its config and postmortems, failing the test on any
// error. (site/kb's own tests cannot use it: it imports site/kb.)
package kbtest
