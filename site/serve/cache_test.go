package serve

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestPageCache: a page renders once while it is kept; what the cache
// holds never passes its bound (a crawl of a 100k KB's preview does not
// keep every page), and a page over a quarter of the bound is rendered
// for each request.
func TestPageCache(t *testing.T) {
	c := newPageCache(1000)
	var renders atomic.Int32
	page := func(n int) func() ([]byte, string, error) {
		return func() ([]byte, string, error) {
			renders.Add(1)
			return []byte(strings.Repeat("x", n)), "text/html", nil
		}
	}
	// Concurrent requests for one page: one render.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { c.get("a", page(100)) })
	}
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Fatalf("8 requests for a page rendered it %d times", n)
	}
	if e := c.get("a", page(100)); len(e.data) != 100 || renders.Load() != 1 {
		t.Fatalf("a kept page rendered again (%d renders, %d bytes)", renders.Load(), len(e.data))
	}
	// A crawl: the cache stays within its bound.
	for i := range 50 {
		c.get(strings.Repeat("p", i+1), page(200))
		c.mu.Lock()
		held := 0
		for _, e := range c.m {
			held += len(e.data)
		}
		if held != c.bytes || held > c.max {
			t.Fatalf("after %d pages the cache holds %d bytes (counted %d), over its bound %d", i+1, held, c.bytes, c.max)
		}
		c.mu.Unlock()
	}
	// A page over a quarter of the bound is not kept.
	renders.Store(0)
	for range 2 {
		if e := c.get("api/postmortems.json", page(300)); len(e.data) != 300 {
			t.Fatalf("the large page: %d bytes", len(e.data))
		}
	}
	if n := renders.Load(); n != 2 {
		t.Errorf("a page over a quarter of the bound rendered %d times for 2 requests, want 2 (not kept)", n)
	}
}
