package postmortem_test

import (
	"reflect"
	"testing"

	"github.com/hindsight-kb/hindsight/site/kbgen"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// TestParserReuse: a Parser reuses buffers and trees from one file to the
// next; each result must be what a fresh Parser gives, whatever was parsed
// before (larger, smaller, other formats, broken), with and without HTML.
func TestParserReuse(t *testing.T) {
	opts := kbgen.Options{N: 40, Seed: 7}
	var names []string
	var srcs []string
	for i := 0; i < opts.N; i++ {
		p, src := kbgen.GenerateFile(i, opts)
		names, srcs = append(names, p), append(srcs, string(src))
	}
	odd := []string{
		"+++\ntitle = \"t\"\n+++\n## Timeline\n- 09:00 — a\n",
		"{\n\"title\": \"j\"\n}\n\n# H\n",
		"---\ntitle: [\n---\n",
		"---\ntitle: x\n",
		"",
		"## Timeline\n| t | w |\n|---|---|\n| 2025-01-01 10:00 | x |\n```go\nx := 1\n```\n```text\n<b>\n```\n",
	}
	for i, s := range odd {
		names, srcs = append(names, "content/postmortems/odd"+string(rune('a'+i))+".md"), append(srcs, s)
	}
	parse := func(ps *postmortem.Parser, i int, html bool) *postmortem.Postmortem {
		p := ps.ParseFrontMatter(names[i], []byte(srcs[i]))
		ps.ParseBody(p, postmortem.BodyOptions{RenderHTML: html})
		return p
	}
	for _, html := range []bool{false, true} {
		shared := postmortem.NewParser(postmortem.Options{})
		// Forward, then backward: each file follows different ones.
		order := make([]int, 0, 2*len(srcs))
		for i := range srcs {
			order = append(order, i)
		}
		for i := len(srcs) - 1; i >= 0; i-- {
			order = append(order, i)
		}
		for _, i := range order {
			got := parse(shared, i, html)
			want := parse(postmortem.NewParser(postmortem.Options{}), i, html)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s (html %v): the reused parser gives\n%+v\nwant\n%+v", names[i], html, got, want)
			}
		}
	}
}
