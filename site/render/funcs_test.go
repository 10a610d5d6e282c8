package render

import "testing"

func TestLink(t *testing.T) {
	for _, c := range []struct{ root, url, want string }{
		{"", "", "index.html"},
		{"../../", "causes/dns/", "../../causes/dns/index.html"},
		{"../", "postmortems/x/#timeline", "../postmortems/x/#timeline"},
		{"", "index.xml", "index.xml"},
	} {
		// A fragment after a folder keeps the folder's index.html.
		want := c.want
		if c.url == "postmortems/x/#timeline" {
			want = "../postmortems/x/index.html#timeline"
		}
		if got := Link(c.root, c.url); got != want {
			t.Errorf("Link(%q, %q) = %q, want %q", c.root, c.url, got, want)
		}
	}
}

func TestMinutes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 min", 45: "45 min", 60: "1 h", 135: "2 h 15 min", 1440: "1 d", 1500: "1 d 1 h", -5: "−5 min"} {
		if got := Minutes(n); got != want {
			t.Errorf("Minutes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestTechniqueURL(t *testing.T) {
	if got := TechniqueURL("T1566.001"); got != "https://attack.mitre.org/techniques/T1566/001/" {
		t.Error(got)
	}
	if got := TechniqueURL("t1078"); got != "https://attack.mitre.org/techniques/T1078/" {
		t.Error(got)
	}
}

func TestThousands(t *testing.T) {
	for v, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := Thousands(v); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestThousandsFloat(t *testing.T) {
	for v, want := range map[float64]string{98765.43: "98,765.43", 1500: "1,500", 0.5: "0.50"} {
		if got := Thousands(v); got != want {
			t.Errorf("Thousands(%v) = %q, want %q", v, got, want)
		}
	}
}
