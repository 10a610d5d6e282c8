package trend

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/kbtest"
	"github.com/hindsight-kb/hindsight/site/postmortem"
	"github.com/hindsight-kb/hindsight/site/render"
)

var bench10k struct {
	once sync.Once
	ps   []*postmortem.Postmortem
	g    *graph.Graph
	cfg  *config.Config
	err  error
}

// load10k loads the generated 10,000-postmortem KB once (generation and
// parsing are not what the benchmarks measure).
func load10k(b *testing.B) ([]*postmortem.Postmortem, *graph.Graph, *config.Config) {
	b.Helper()
	bench10k.once.Do(func() {
		dir, err := kbgen.Cached(10000, 1)
		if err != nil {
			bench10k.err = err
			return
		}
		cfg, _, err := config.Load(dir)
		if err != nil {
			bench10k.err = err
			return
		}
		k, err := kb.Load(dir, cfg, kb.Options{DropSource: true})
		if err != nil {
			bench10k.err = err
			return
		}
		for _, p := range k.Postmortems {
			if !p.IsDraft() {
				bench10k.ps = append(bench10k.ps, p)
			}
		}
		bench10k.cfg = cfg
		bench10k.g = graph.Build(bench10k.ps, cfg)
	})
	if bench10k.err != nil {
		b.Fatal(bench10k.err)
	}
	return bench10k.ps, bench10k.g, bench10k.cfg
}

var benchNow = kbgen.DefaultNow.Add(12 * time.Hour)

// reportCPU adds a cpu-ms/op metric: CPU time (GC included) per
// iteration, which a shared machine distorts less than wall time.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(kbtest.CPUTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkCompute10k is the trend stage of a build of 10,000
// postmortems: every aggregate of both periods and the action rows.
func BenchmarkCompute10k(b *testing.B) {
	ps, g, cfg := load10k(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := kbtest.CPUTime()
	for b.Loop() {
		Compute(ps, g, cfg, benchNow)
	}
	reportCPU(b, start)
}

// BenchmarkPages10k is everything the trends add to a build of 10,000
// postmortems besides template execution: Compute, both trend views with
// their SVG charts, the actions view and the
// trend view of every cause and system page.
func BenchmarkPages10k(b *testing.B) {
	ps, g, cfg := load10k(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := kbtest.CPUTime()
	defer reportCPU(b, start)
	for b.Loop() {
		t := Compute(ps, g, cfg, benchNow)
		for _, p := range t.Periods {
			t.View(p.Key)
		}
		t.Actions()
		for _, kind := range []string{graph.Causes, graph.Systems} {
			for _, term := range g.Taxonomy(kind).Terms {
				t.Term(term)
			}
		}
	}
}

// BenchmarkRender10k adds template execution to BenchmarkPages10k: the
// HTML of both trend pages, /actions/ and the trend block of every cause
// and system page (over the minimal base layout of render_test.go).
func BenchmarkRender10k(b *testing.B) {
	ps, g, cfg := load10k(b)
	th := theme(b, cfg, benchNow)
	info := &render.SiteInfo{Title: cfg.Title, Config: cfg, Audience: "internal"}
	exec := func(path, kind string, v any) int {
		url := strings.TrimSuffix(path, "index.html")
		out, err := th.Bytes(kind, &render.Data{Site: info, Root: rootOf(url), Path: path, URL: url, Kind: kind, Page: v, Now: benchNow})
		if err != nil {
			b.Fatal(err)
		}
		return len(out)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := kbtest.CPUTime()
	defer reportCPU(b, start)
	size := 0
	for b.Loop() {
		size = 0
		t := Compute(ps, g, cfg, benchNow)
		for _, p := range t.Periods {
			size += exec(p.URL+"index.html", "trends", t.View(p.Key))
		}
		size += exec("actions/index.html", "actions", t.Actions())
		for _, kind := range []string{graph.Causes, graph.Systems} {
			for _, term := range g.Taxonomy(kind).Terms {
				size += exec(term.URL()+"index.html", "termtrend", t.Term(term))
			}
		}
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB")
}
