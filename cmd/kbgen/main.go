// Command kbgen writes a generated knowledge base for benchmarks and scale
// tests, or loads one and prints what it holds (for /usr/bin/time -v):
//
//	go run ./cmd/kbgen -n 10000 -out /tmp/kb10k [-seed 1]
//	go run ./cmd/kbgen -load /tmp/kb10k [-html]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/kbgen"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kbgen:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("kbgen", flag.ContinueOnError)
	n := fs.Int("n", 1000, "number of postmortems to generate")
	out := fs.String("out", "", "folder to write the knowledge base into (created if needed)")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same files")
	now := fs.String("now", "", "the generator's today as YYYY-MM-DD (default "+kbgen.DefaultNow.Format("2006-01-02")+")")
	load := fs.String("load", "", "load the knowledge base in this folder with site/kb and print counts instead of generating")
	html := fs.Bool("html", false, "with -load: render every body to HTML too")
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	if *load != "" {
		cfg, ds, err := config.Load(*load)
		if err != nil {
			return err
		}
		if len(ds) > 0 {
			return fmt.Errorf("%s: %d config problems, first: %s", *load, len(ds), ds[0].Message)
		}
		k, err := kb.Load(*load, cfg, kb.Options{RenderHTML: *html})
		if err != nil {
			return err
		}
		problems, sections, timeline := len(k.Problems), 0, 0
		for _, p := range k.Postmortems {
			problems += len(p.Problems)
			sections += len(p.Body.Sections)
			timeline += len(p.Body.Timeline)
		}
		fmt.Fprintf(stdout, "loaded %d postmortems, %d pages, %d sections, %d timeline entries, %d problems in %v\n",
			len(k.Postmortems), len(k.Pages), sections, timeline, problems, time.Since(start).Round(time.Millisecond))
		return nil
	}
	if *out == "" {
		return fmt.Errorf("-out is required: the folder to write the knowledge base into")
	}
	opts := kbgen.Options{N: *n, Seed: *seed}
	if *now != "" {
		t, err := time.Parse("2006-01-02", *now)
		if err != nil {
			return fmt.Errorf("-now %q: write the date as YYYY-MM-DD", *now)
		}
		opts.Now = t
	}
	if err := kbgen.Generate(*out, opts); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d postmortems to %s in %v\n", *n, *out, time.Since(start).Round(time.Millisecond))
	return nil
}
