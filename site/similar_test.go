package site

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbtest"
)

// TestSimilarFromExport: a build's similar incidents, counted from the
// static search export's analysis, are those a site without the export
// (serve) counts on its own, for both audiences (the public one leaves
// internal sections out of the texts), full and lean builds.
func TestSimilarFromExport(t *testing.T) {
	for _, root := range []string{writeTxtar(t, fixtureKB), kbtest.Cached(t, 300, 3)} {
		for _, audience := range []string{Internal, Public} {
			opts := Options{Root: root, Now: testNow, NoGit: true, Audience: audience}
			own := opts
			own.NoStaticSearch = true
			lean := opts
			lean.Lean = true
			var lists []string
			for _, o := range []Options{own, opts, lean} {
				s, err := Load(context.Background(), o)
				if err != nil {
					t.Fatal(err)
				}
				sd, err := s.WaitSearch()
				if err != nil {
					t.Fatal(err)
				}
				if len(sd.Similar) == 0 {
					t.Fatalf("%s, %s: no similar incidents", root, audience)
				}
				lists = append(lists, fmt.Sprint(sd.Similar))
			}
			if lists[0] != lists[1] || lists[0] != lists[2] {
				t.Errorf("%s, %s: similar incidents differ:\nown analysis: %s\nfrom the export: %s\nlean: %s", root, audience, lists[0], lists[1], lists[2])
			}
		}
	}
}

// BenchmarkIndexStage10k runs the index stage of a build (similar
// incidents and the static search export, from one analysis) on a
// generated 10,000-postmortem KB, reporting CPU seconds and the time
// until similar incidents are ready (the postmortem pages wait for them).
func BenchmarkIndexStage10k(b *testing.B) {
	cfg, k := kbtest.Load(b, kbtest.Cached(b, 10000, 1), kb.Options{})
	ps := k.Postmortems
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = p.Body.Text
	}
	opts := Options{Workers: runtime.GOMAXPROCS(0), Lean: true}
	c0 := kbtest.CPUTime().Seconds()
	var simTook time.Duration
	for b.Loop() {
		for i, p := range ps {
			p.Body.Text = texts[i] // a lean index stage lets them go
		}
		ix := &indexStage{done: make(chan struct{}), similarDone: make(chan struct{})}
		t0 := time.Now()
		go ix.run(context.Background(), cfg, opts, ps, ps, nil)
		<-ix.similarDone
		simTook += time.Since(t0)
		<-ix.done
		if ix.err != nil {
			b.Fatal(ix.err)
		}
	}
	b.ReportMetric((kbtest.CPUTime().Seconds()-c0)/float64(b.N), "cpu-s/op")
	b.ReportMetric(simTook.Seconds()/float64(b.N), "similar-s/op")
}
