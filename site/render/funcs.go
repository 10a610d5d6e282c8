package render

import (
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// FuncOptions fix what the template functions depend on.
type FuncOptions struct {
	// Location is the config timezone dates are shown in.
	Location *time.Location
	// Severities are the configured severities, worst first.
	Severities []string
	// Now is the build clock (for "overdue").
	Now time.Time
}

// Funcs returns the template functions documented in docs/theme.md.
func Funcs(o FuncOptions) template.FuncMap {
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	sevIndex := map[string]int{}
	for i, s := range o.Severities {
		sevIndex[s] = i + 1
	}
	return template.FuncMap{
		"link":  Link,
		"asset": func(root, name string) string { return root + "assets/" + name },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format("2006-01-02")
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format("2006-01-02 15:04 MST")
		},
		"isotime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format(time.RFC3339)
		},
		"month": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format("January 2006")
		},
		"minutes": func(n int64) string { return Minutes(n) },
		"since": func(a, b time.Time) string {
			if a.IsZero() || b.IsZero() {
				return "—"
			}
			return Minutes(int64(b.Sub(a) / time.Minute))
		},
		"sevclass": func(s string) string {
			if i, ok := sevIndex[s]; ok {
				return fmt.Sprintf("sev sev-%d", i)
			}
			return "sev"
		},
		"statusclass": func(s string) string { return "status-" + strings.ToLower(strings.ReplaceAll(s, " ", "-")) },
		"safeHTML":    func(s string) template.HTML { return template.HTML(s) },
		"join":        func(l []string, sep string) string { return strings.Join(l, sep) },
		"lower":       strings.ToLower,
		"upper":       strings.ToUpper,
		"hasPrefix":   strings.HasPrefix,
		"add":         func(a, b int) int { return a + b },
		"plural": func(n int, word string) string {
			if n == 1 {
				return fmt.Sprintf("%d %s", n, word)
			}
			if strings.HasSuffix(word, "y") && !strings.HasSuffix(word, "ey") {
				return fmt.Sprintf("%d %sies", n, word[:len(word)-1])
			}
			return fmt.Sprintf("%d %ss", n, word)
		},
		"techURL": TechniqueURL,
		"overdue": func(a postmortem.Action) bool { return a.Overdue(o.Now, loc) },
		"deref": func(p any) any {
			switch v := p.(type) {
			case *int64:
				if v != nil {
					return *v
				}
			case *float64:
				if v != nil {
					return *v
				}
			}
			return nil
		},
		"thousands": Thousands,
		"int64": func(v any) int64 {
			switch x := v.(type) {
			case int:
				return int64(x)
			case int64:
				return x
			case float64:
				return int64(x + 0.5)
			}
			return 0
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key, value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"first": func(n int, l any) any { return firstN(n, l) },
	}
}

// Link joins the relative root and a site-relative URL, pointing folder
// URLs at their index.html so links work from file:// too.
// Link("../../", "causes/dns/") is "../../causes/dns/index.html";
// Link("", "") is "index.html".
func Link(root, url string) string {
	frag := ""
	if i := strings.IndexByte(url, '#'); i >= 0 {
		url, frag = url[:i], url[i:]
	}
	if url == "" || strings.HasSuffix(url, "/") {
		url += "index.html"
	}
	return root + url + frag
}

// Minutes humanises a duration in minutes: "45 min", "2 h 15 min",
// "3 d 4 h".
func Minutes(n int64) string {
	if n < 0 {
		return "−" + Minutes(-n)
	}
	switch {
	case n < 60:
		return fmt.Sprintf("%d min", n)
	case n < 24*60:
		if n%60 == 0 {
			return fmt.Sprintf("%d h", n/60)
		}
		return fmt.Sprintf("%d h %d min", n/60, n%60)
	default:
		d, h := n/(24*60), (n%(24*60))/60
		if h == 0 {
			return fmt.Sprintf("%d d", d)
		}
		return fmt.Sprintf("%d d %d h", d, h)
	}
}

// TechniqueURL returns the public MITRE ATT&CK page of a technique id:
// T1566.001 → https://attack.mitre.org/techniques/T1566/001/.
func TechniqueURL(id string) string {
	id = strings.ToUpper(strings.TrimSpace(id))
	return "https://attack.mitre.org/techniques/" + strings.ReplaceAll(id, ".", "/") + "/"
}

// Thousands formats an integer with thin separators: 12345 → "12,345".
func Thousands(v any) string {
	var n int64
	switch x := v.(type) {
	case int:
		n = int64(x)
	case int64:
		n = x
	case *int64:
		if x == nil {
			return ""
		}
		n = *x
	case float64:
		whole := Thousands(int64(x))
		if frac := fmt.Sprintf("%.2f", x-float64(int64(x))); frac != "0.00" && frac != "-0.00" {
			return whole + strings.TrimLeft(frac, "-0")
		}
		return whole
	case *float64:
		if x == nil {
			return ""
		}
		return Thousands(*x)
	default:
		return fmt.Sprint(v)
	}
	neg := n < 0
	if neg {
		n = -n
	}
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// firstN returns at most n elements of a slice (any element type).
func firstN(n int, l any) any {
	v := reflect.ValueOf(l)
	if v.Kind() != reflect.Slice || v.Len() <= n {
		return l
	}
	return v.Slice(0, n).Interface()
}
