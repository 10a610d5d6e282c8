package bounded

import (
	"testing"
	"time"
)

// Within runs f and fails t when f has not returned after d. (f goes on
// running in its goroutine: the test binary ends with the suite.)
func Within(t testing.TB, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("did not finish within %v", d)
	}
}
