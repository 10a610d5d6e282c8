package frontmatter

import (
	"bytes"
	"testing"

	adrg "github.com/adrg/frontmatter"
)

// referenceSplit is what Split computed before it bounded the
// input handed to adrg/frontmatter: the library run on the whole file.
func referenceSplit(src []byte) (format string, data []byte, bodyOff int, err error) {
	capture := func(f string) adrg.UnmarshalFunc {
		return func(d []byte, _ any) error { format, data = f, d; return nil }
	}
	formats := []*adrg.Format{
		adrg.NewFormat("---", "---", capture("yaml")),
		adrg.NewFormat("---yaml", "---", capture("yaml")),
		adrg.NewFormat("+++", "+++", capture("toml")),
		adrg.NewFormat("---toml", "---", capture("toml")),
		adrg.NewFormat(";;;", ";;;", capture("json")),
		adrg.NewFormat("---json", "---", capture("json")),
		{Start: "{", End: "}", Unmarshal: capture("json"), UnmarshalDelims: true, RequiresNewLine: true},
	}
	rest, err := adrg.Parse(bytes.NewReader(src), nil, formats...)
	return format, data, len(src) - len(rest), err
}

var splitSeeds = []string{
	"---\ntitle: a\n---\nbody\n---\nmore\n",
	"---\r\ntitle: a\r\n---\r\nbody\r\n",
	"---\ntitle: a\n",
	"\n\n---  \ntitle: a\n  ---  \n\n## S\n",
	"+++\ntitle = \"a\"\n+++\nx\n",
	"{\n\"title\": \"a\"\n}\n\nbody\n",
	"---json\n{\"title\": \"a\"}\n---\nx",
	"---\ntitle: a\n---",
	"---\n---\n",
	"---\ntitle: a\n...\n---\n",
	";;;\n{\"title\":\"a\"}\n;;;\nbody",
	"no front matter\n",
	"",
}

// FuzzSplitFrontMatter checks that bounding the input changes nothing:
// same format, same front matter bytes, same body offset, for any file.
func FuzzSplitFrontMatter(f *testing.F) {
	for _, s := range splitSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		b, problem := Split(src)
		format, data, off, err := referenceSplit(src)
		if err != nil {
			if problem == nil {
				t.Fatalf("reference failed (%v) but split did not", err)
			}
			return
		}
		if problem != nil {
			// Unclosed blocks: the reference finds no front matter.
			if format != "" {
				t.Fatalf("split reported %q, reference found %s front matter", problem.Message, format)
			}
			return
		}
		if b.Format != format || !bytes.Equal(b.Data, data) {
			t.Fatalf("split found %q %q, reference %q %q", b.Format, b.Data, format, data)
		}
		if format != "" && b.BodyOff != off {
			t.Fatalf("body offset %d, reference %d", b.BodyOff, off)
		}
	})
}
