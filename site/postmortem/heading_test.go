package postmortem

import "testing"

// TestHeadingIDs: top-level headings get their anchor as id (rendered by
// markdown's heading renderer), nested ones none; the HTML is what goldmark wrote when
// the ids were set as node attributes.
func TestHeadingIDs(t *testing.T) {
	tests := []struct{ body, want string }{
		{"## Summary\n\ntext\n\n## Summary\n\n## Ünïcödé & <Title>!\n",
			"<h2 id=\"summary\">Summary</h2>\n<p>text</p>\n<h2 id=\"summary-1\">Summary</h2>\n<h2 id=\"ünïcödé-title\">Ünïcödé &amp; &lt;Title&gt;!</h2>\n"},
		{"Setext\n======\n\nSub\n---\n\n### Deep `code`\n",
			"<h1 id=\"setext\">Setext</h1>\n<h2 id=\"sub\">Sub</h2>\n<h3 id=\"deep-code\">Deep <code>code</code></h3>\n"},
		{"> ## quoted heading\n\n- ## heading in a list\n\n## After\n",
			"<blockquote>\n<h2>quoted heading</h2>\n</blockquote>\n<ul>\n<li>\n<h2>heading in a list</h2>\n</li>\n</ul>\n<h2 id=\"after\">After</h2>\n"},
		{"#\n\n##\n\n## closing ##\n\n####### not a heading\n",
			"<h1 id=\"section\"></h1>\n<h2 id=\"section-1\"></h2>\n<h2 id=\"closing\">closing</h2>\n<p>####### not a heading</p>\n"},
		{"## Timeline {#custom}\n\n| a |\n|---|\n| 1 |\n",
			"<h2 id=\"timeline-custom\">Timeline {#custom}</h2>\n<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n</tr>\n</tbody>\n</table>\n"},
	}
	ps := NewParser(Options{})
	for _, tc := range tests {
		// Twice: the second parse reuses the first one's buffers.
		for range 2 {
			p := ps.ParseFrontMatter("x.md", []byte("---\ntitle: x\n---\n"+tc.body))
			ps.ParseBody(p, BodyOptions{RenderHTML: true})
			if p.Body.HTML != tc.want {
				t.Errorf("%q:\ngot  %q\nwant %q", tc.body, p.Body.HTML, tc.want)
			}
		}
	}
}
