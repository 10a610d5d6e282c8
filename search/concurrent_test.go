package search

import (
	"context"
	"testing"
)

// TestConcurrentUpdateSearch: serve updates its index while requests
// search it (run with -race).
func TestConcurrentUpdateSearch(t *testing.T) {
	docs := fixtureDocs(t)
	ix := memIndex(t, docs)
	ctx := context.Background()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20; i++ {
			d2 := append([]Doc(nil), docs...)
			d2[i%len(d2)].Body += " change"
			if _, err := ix.Update(ctx, d2); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; i < 50; i++ {
		if _, err := ix.Search(ctx, "certificate severity:SEV1,SEV2", SearchOptions{Facets: true}); err != nil {
			t.Fatal(err)
		}
	}
	<-done
}
