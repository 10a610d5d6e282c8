// Package browsertest starts headless Chromium (Debian's /usr/bin/chromium)
// for the browser tests of every package, the one way: a missing browser
// skips the test on a developer's machine and fails it when
// HINDSIGHT_E2E=1, as in CI.
package browsertest
