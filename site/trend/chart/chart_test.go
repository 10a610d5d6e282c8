package chart

import (
	"encoding/xml"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// all returns one chart of each kind, with data and empty.
func all() map[string]string {
	f := func(id string) Frame { return Frame{ID: id, Title: "Title <" + id + ">", Desc: "Desc & more"} }
	return map[string]string{
		"bars-stacked": string(Bars{Frame: f("bars"), Labels: []string{"2025-01", "2025-02", "2025-03"}, Stacked: true, YLabel: "incidents", Integer: true,
			Series: []Series{{Name: "SEV1", Class: "s1", Values: []float64{1, 0, 2}}, {Name: "SEV2", Class: "s2", Values: []float64{0, 3, 1}}}}.SVG()),
		"bars-grouped": string(Bars{Frame: f("grouped"), Labels: []string{"a", "b"}, Series: []Series{{Name: "x", Values: []float64{1, 2}}, {Name: "y", Values: []float64{3, math.NaN()}}}}.SVG()),
		"bars-empty":   string(Bars{Frame: f("be")}.SVG()),
		"hbars":        string(HBars{Frame: f("hb"), Labels: []string{"DNS", "A very long cause title that will be truncated somewhere"}, Values: []float64{5, 2}, Notes: []string{"+1"}, NoteClasses: []string{"up"}}.SVG()),
		"hbars-empty":  string(HBars{Frame: f("hbe")}.SVG()),
		"boxes": string(Boxes{Frame: f("bx"), Labels: []string{"2025-Q1", "2025-Q2", "2025-Q3"}, YLabel: "minutes",
			Boxes: []Box{{N: 3, Min: 0.5, P25: 5, Median: 30, P75: 120, P90: 600, Max: 20000}, {}, {N: 1, Min: 60, P25: 60, Median: 60, P75: 60, P90: 60, Max: 60}}}.SVG()),
		"boxes-empty": string(Boxes{Frame: f("bxe")}.SVG()),
		"lines":       string(Lines{Frame: f("ln"), Labels: []string{"q1", "q2", "q3"}, Series: []Series{{Name: "open", Values: []float64{1, math.NaN(), 4}}}}.SVG()),
		"lines-empty": string(Lines{Frame: f("lne")}.SVG()),
		"spark":       string(Spark{Frame: f("sp"), Labels: []string{"2024-Q1", "2024-Q2"}, Values: []float64{0, 3}}.SVG()),
		"spark-empty": string(Spark{Frame: f("spe")}.SVG()),
	}
}

// TestWellFormed: every chart is well-formed XML, labelled for screen
// readers, with no style attributes, scripts or NaN.
func TestWellFormed(t *testing.T) {
	for name, svg := range all() {
		t.Run(name, func(t *testing.T) {
			d := xml.NewDecoder(strings.NewReader(svg))
			ids := map[string]bool{}
			var root *xml.StartElement
			for {
				tok, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("not well-formed: %v\n%s", err, svg)
				}
				if se, ok := tok.(xml.StartElement); ok {
					if root == nil {
						c := se.Copy()
						root = &c
					}
					if se.Name.Local == "script" || se.Name.Local == "style" {
						t.Errorf("<%s> in chart", se.Name.Local)
					}
					for _, a := range se.Attr {
						if a.Name.Local == "style" || strings.HasPrefix(a.Name.Local, "on") {
							t.Errorf("attribute %s in chart", a.Name.Local)
						}
						if a.Name.Local == "id" {
							ids[a.Value] = true
						}
					}
				}
			}
			attr := map[string]string{}
			for _, a := range root.Attr {
				attr[a.Name.Local] = a.Value
			}
			if root.Name.Local != "svg" || attr["role"] != "img" || attr["viewBox"] == "" {
				t.Errorf("root %v", root)
			}
			for _, id := range strings.Fields(attr["aria-labelledby"]) {
				if !ids[id] {
					t.Errorf("aria-labelledby names missing id %q", id)
				}
			}
			if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") {
				t.Errorf("NaN/Inf in %s", svg)
			}
			if !strings.Contains(svg, "Title &lt;") {
				t.Error("title not escaped")
			}
		})
	}
}

// TestGolden compares the stacked bar chart and the box plot with
// testdata/*.svg; go test -update rewrites them.
func TestGolden(t *testing.T) {
	a := all()
	for _, name := range []string{"bars-stacked", "boxes"} {
		got := []byte(a[name] + "\n")
		path := filepath.Join("testdata", name+".svg")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s (go test -update to accept):\n%s", name, path, got)
		}
	}
}

func TestNiceScale(t *testing.T) {
	for _, c := range []struct {
		max       float64
		integer   bool
		top, step float64
	}{
		{0, true, 1, 1}, {1, true, 1, 1}, {3, true, 3, 1}, {7, true, 8, 2}, {10, true, 10, 2.5 + 0.5}, {97, true, 100, 25}, {0.3, false, 0.3, 0.1},
	} {
		top, step := niceScale(c.max, 4, c.integer)
		if top < c.max || step <= 0 || (c.integer && step != math.Trunc(step)) {
			t.Errorf("niceScale(%v) = %v, %v", c.max, top, step)
		}
	}
}

func TestMinutes(t *testing.T) {
	for m, want := range map[float64]string{0.5: "30 s", 5: "5 min", 90: "1.5 h", 1440: "1 d", 2160: "1.5 d"} {
		if got := Minutes(m); got != want {
			t.Errorf("Minutes(%v) = %q, want %q", m, got, want)
		}
	}
}
