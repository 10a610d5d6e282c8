package relevance

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// Case is one query of a relevance set, with the ids it must and must
// not return.
type Case struct {
	// KB names the knowledge base of the [kb] line above the query.
	KB    string
	Query string
	Must  []string
	Never []string
	// Line is the query's 1-based line in the file.
	Line int
}

// Read parses a relevance set: [kb] lines naming one of kbs, then
// "QUERY => +id -id …" lines; blank lines and # comments are skipped.
func Read(path string, kbs map[string]string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Case
	kb := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			kb = line[1 : len(line)-1]
			if _, ok := kbs[kb]; !ok {
				return nil, fmt.Errorf("%s:%d: unknown KB %q", path, n, kb)
			}
			continue
		}
		q, ids, ok := strings.Cut(line, "=>")
		if !ok || kb == "" {
			return nil, fmt.Errorf("%s:%d: want QUERY => +id -id … after a [kb] line, got %q", path, n, line)
		}
		c := Case{KB: kb, Query: strings.TrimSpace(q), Line: n}
		for _, id := range strings.Fields(ids) {
			switch id[0] {
			case '+':
				c.Must = append(c.Must, id[1:])
			case '-':
				c.Never = append(c.Never, id[1:])
			default:
				return nil, fmt.Errorf("%s:%d: %q must start with + (must return) or - (must not)", path, n, id)
			}
		}
		out = append(out, c)
	}
	return out, sc.Err()
}
