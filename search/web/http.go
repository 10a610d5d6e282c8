package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/search"
	"github.com/hindsight-kb/hindsight/search/query"
)

// Limits bound the work of the searches one server runs, whoever sends
// them (any web page can send requests to a local server).
type Limits struct {
	// Timeout bounds one search; 0 means 10 s.
	Timeout time.Duration
	// Concurrent is how many searches run at once; 0 means 4.
	Concurrent int
	// Wait is how long a search waits for a free slot before it is
	// refused with ErrBusy; 0 means 2 s.
	Wait time.Duration
}

// Errors of Limiter.Do.
var (
	// ErrBusy is the answer to a search that found every slot of its
	// Limiter taken for the whole wait.
	ErrBusy = errors.New("too many searches at once; retry in a moment")
	// ErrTimeout wraps the error of a search stopped by its timeout.
	ErrTimeout = errors.New("the search was stopped at its time limit")
	// errBuilding is the answer while a server has no index yet.
	errBuilding = errors.New("the search index is being built; retry in a moment")
)

// Limiter applies Limits: one per server, shared by everything of it that
// searches. Make one with NewLimiter.
type Limiter struct {
	slots   chan struct{}
	timeout time.Duration
	wait    time.Duration
}

// NewLimiter returns a Limiter for l, defaults filled in.
func NewLimiter(l Limits) *Limiter {
	if l.Timeout <= 0 {
		l.Timeout = 10 * time.Second
	}
	if l.Concurrent <= 0 {
		l.Concurrent = 4
	}
	if l.Wait <= 0 {
		l.Wait = 2 * time.Second
	}
	return &Limiter{slots: make(chan struct{}, l.Concurrent), timeout: l.Timeout, wait: l.Wait}
}

// Do runs fn in a free slot with a context that ends after the timeout.
// It returns ErrBusy when no slot came free in time, and an error
// wrapping ErrTimeout when fn ran past the timeout.
func (l *Limiter) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	wait := time.NewTimer(l.wait)
	defer wait.Stop()
	select {
	case l.slots <- struct{}{}:
	case <-wait.C:
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.slots }()
	tctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	err := fn(tctx)
	if err != nil && errors.Is(tctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		return fmt.Errorf("%w of %s; narrow the query", ErrTimeout, l.timeout)
	}
	return err
}

// HandlerFor serves /api/search for `hindsight serve`:
//
//	GET /api/search?q=QUERY[&limit=N][&offset=N][&facets=1]
//
// answers 200 with the Result JSON ({"total","hits","facets"}), 400 with
// {"error","column"} for a query that cannot be parsed or is over the
// limits (column 0 for other bad parameters), 503 when too many searches
// run at once or one runs past its timeout, and 500 when the search
// fails. An empty q gives an empty result. Its searches are bounded by a
// Limiter. get is called on every request (the server swaps its index);
// lim bounds the searches, shared with the server's other searches (nil:
// a Limiter of its own with the default Limits).
func HandlerFor(get func() *search.Index, lim *Limiter) http.Handler {
	if lim == nil {
		lim = NewLimiter(Limits{})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fail := func(code int, msg string, col int) {
			w.WriteHeader(code)
			json.NewEncoder(w).Encode(map[string]any{"error": msg, "column": col})
		}
		qv := r.URL.Query()
		opts := search.SearchOptions{Limit: 10, Facets: qv.Get("facets") == "1" || qv.Get("facets") == "true"}
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
		pq, err := query.Parse(qv.Get("q"))
		var pe *query.ParseError
		if errors.As(err, &pe) {
			fail(http.StatusBadRequest, pe.Error(), pe.Col)
			return
		}
		ix := get()
		if ix == nil {
			fail(http.StatusServiceUnavailable, errBuilding.Error(), 0)
			return
		}
		var res *search.Result
		if err == nil {
			err = lim.Do(r.Context(), func(ctx context.Context) (err error) {
				res, err = ix.SearchQuery(ctx, pq, opts)
				return err
			})
		}
		switch {
		case errors.Is(err, ErrBusy) || errors.Is(err, ErrTimeout):
			w.Header().Set("Retry-After", "1")
			fail(http.StatusServiceUnavailable, err.Error(), 0)
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
	Result *search.Result
	// Error is the parse or search error ("" when none); ErrorCol is the
	// 1-based column of a parse error (0 otherwise).
	Error    string
	ErrorCol int
	// Code is the HTTP status Error calls for: 400 for a query that
	// cannot be parsed or is over the limits, 503 for a search refused
	// as busy or stopped at its timeout, 500 otherwise.
	Code int
}

// Page runs q for the server-rendered search page with facets, bounded
// by lim (nil: unbounded). ix may be nil while a server's index is being
// built: a query that parses then gets an error saying so.
func Page(ctx context.Context, ix *search.Index, q string, limit int, lim *Limiter) PageData {
	pd := PageData{Query: q}
	if strings.TrimSpace(q) == "" {
		return pd
	}
	pq, err := query.Parse(q)
	if err == nil && ix == nil {
		err = errBuilding
	}
	var res *search.Result
	run := func(ctx context.Context) (err error) {
		res, err = ix.SearchQuery(ctx, pq, search.SearchOptions{Limit: limit, Facets: true})
		return err
	}
	switch {
	case err != nil:
	case lim != nil:
		err = lim.Do(ctx, run)
	default:
		err = run(ctx)
	}
	var pe *query.ParseError
	switch {
	case errors.As(err, &pe):
		pd.Error, pd.ErrorCol, pd.Code = pe.Error(), pe.Col, http.StatusBadRequest
	case errors.Is(err, ErrBusy) || errors.Is(err, ErrTimeout) || err == errBuilding:
		pd.Error, pd.Code = err.Error(), http.StatusServiceUnavailable
	case err != nil:
		pd.Error, pd.Code = err.Error(), http.StatusInternalServerError
	default:
		pd.Result = res
	}
	return pd
}
