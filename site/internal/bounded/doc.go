// Package bounded helps the tests that guard against unbounded work on
// hostile input (alias bombs, quadratic Markdown, many keys): Within fails
// such a test when the work has not finished in time, so a regression
// fails the suite instead of hanging it.
package bounded
