package search

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// Handler serves /api/search for `hindsight serve`:
//
//	GET /api/search?q=QUERY[&limit=N][&offset=N][&facets=1]
//
// answers 200 with the Result JSON ({"total","hits","facets"}), 400 with
// {"error","column"} for a query that cannot be parsed (column 0 for
// other bad parameters) and 500 when the search fails. An empty q gives
// an empty result.
func Handler(ix *Index) http.Handler {
	return HandlerFor(func() *Index { return ix })
}

// HandlerFor is Handler for a server that swaps its index: get is called
// on every request.
func HandlerFor(get func() *Index) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fail := func(code int, msg string, col int) {
			w.WriteHeader(code)
			json.NewEncoder(w).Encode(map[string]any{"error": msg, "column": col})
		}
		qv := r.URL.Query()
		opts := SearchOptions{Limit: 10, Facets: qv.Get("facets") == "1" || qv.Get("facets") == "true"}
		for _, p := range []struct {
			name string
			dst  *int
		}{{"limit", &opts.Limit}, {"offset", &opts.Offset}} {
			if s := qv.Get(p.name); s != "" {
				n, err := strconv.Atoi(s)
				if err != nil || n < 0 || n > 1000 {
					fail(http.StatusBadRequest, p.name+" must be a number from 0 to 1000", 0)
					return
				}
				*p.dst = n
			}
		}
		ix := get()
		if ix == nil {
			fail(http.StatusServiceUnavailable, "the search index is being built; retry in a moment", 0)
			return
		}
		res, err := ix.Search(r.Context(), qv.Get("q"), opts)
		var pe *ParseError
		switch {
		case errors.As(err, &pe):
			fail(http.StatusBadRequest, pe.Error(), pe.Col)
			return
		case err != nil:
			fail(http.StatusInternalServerError, err.Error(), 0)
			return
		}
		json.NewEncoder(w).Encode(res)
	})
}

// PageData is what the /search/ page template gets when the server
// renders results itself (serve answers /search/?q= without JavaScript).
// Hits' URLs are site-relative: prefix them with the page's path to the
// site root. Mark the results container data-server-rendered so search.js
// leaves it alone.
type PageData struct {
	// Query is the query as typed ("" when the page was opened without
	// one).
	Query string
	// Result is nil when there was no query or it could not be parsed.
	Result *Result
	// Error is the parse or search error ("" when none); ErrorCol is the
	// 1-based column of a parse error (0 otherwise).
	Error    string
	ErrorCol int
}

// Page runs q for the server-rendered search page with facets.
func (ix *Index) Page(ctx context.Context, q string, limit int) PageData {
	pd := PageData{Query: q}
	if strings.TrimSpace(q) == "" {
		return pd
	}
	res, err := ix.Search(ctx, q, SearchOptions{Limit: limit, Facets: true})
	var pe *ParseError
	switch {
	case errors.As(err, &pe):
		pd.Error, pd.ErrorCol = pe.Error(), pe.Col
	case err != nil:
		pd.Error = err.Error()
	default:
		pd.Result = res
	}
	return pd
}
