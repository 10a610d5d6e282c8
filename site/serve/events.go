package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Event is what the live reload script receives, as the data of a
// Server-Sent Event.
type Event struct {
	// Kind is "hello" (sent on connect), "reload" (the site changed),
	// "css" (only theme style sheets changed: swap them, keep the page)
	// or "status" (a rebuild failed; the last good site is still served).
	Kind string `json:"kind"`
	// Version names the served state; a tab that reconnects and sees
	// another version than its page was loaded with reloads.
	Version string `json:"version"`
	// Problems are the errors of the files changed in this session: the
	// overlay shows them, and hides when there are none.
	Problems []Problem `json:"problems"`
	// Failure is why the last rebuild could not run, if it could not.
	Failure string `json:"failure,omitempty"`
}

func (st *state) event(kind string) Event {
	ps := st.problems
	if ps == nil {
		ps = []Problem{}
	}
	return Event{Kind: kind, Version: st.version, Problems: ps, Failure: st.failure}
}

// hub fans events out to the open event streams, at most max of them.
// Each subscriber has a one-slot mailbox holding the newest event: a
// slow tab skips stale events, it never blocks a rebuild.
type hub struct {
	mu     sync.Mutex
	subs   map[chan Event]bool
	max    int
	closed bool
	done   chan struct{}
}

func newHub(max int) *hub {
	return &hub{subs: map[chan Event]bool{}, max: max, done: make(chan struct{})}
}

// subscribe opens a mailbox; it fails when the server shuts down or max
// streams are open.
func (h *hub) subscribe() (chan Event, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errors.New("the server is shutting down")
	}
	if len(h.subs) >= h.max {
		return nil, fmt.Errorf("too many live-reload connections: %d are open, the limit; close some preview tabs (this tab will not reload by itself)", len(h.subs))
	}
	c := make(chan Event, 1)
	h.subs[c] = true
	return c, nil
}

func (h *hub) unsubscribe(c chan Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, c)
}

func (h *hub) publish(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.subs {
		select {
		case <-c: // drop the stale event
		default:
		}
		c <- e
	}
}

// close ends every event stream (on shutdown).
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// Clients returns the number of open event streams.
func (s *Server) Clients() int {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return len(s.hub.subs)
}

// serveEvents streams events to one tab until it goes away or the server
// shuts down. The first event ("hello") carries the current state, so a
// tab opened on a broken site shows the overlay at once.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	if _, ok := w.(http.Flusher); !ok {
		http.Error(w, "streaming is not supported", http.StatusInternalServerError)
		return
	}
	c, err := s.hub.subscribe()
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer s.hub.unsubscribe(c)
	// The stream outlives the server's read and write timeouts: no read
	// deadline (the request has no body; a closed connection still ends
	// the request), and a write deadline for each event.
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{})
	write := func(f func() error) error {
		rc.SetWriteDeadline(time.Now().Add(s.opts.Limits.WriteTimeout))
		if err := f(); err != nil {
			return err
		}
		return rc.Flush()
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	if err := write(func() error {
		w.WriteHeader(http.StatusOK)
		return writeEvent(w, s.cur.Load().event("hello"))
	}); err != nil {
		return
	}
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case <-s.hub.done:
			return
		case <-ping.C:
			err = write(func() error {
				_, err := fmt.Fprint(w, ": ping\n\n")
				return err
			})
		case e := <-c:
			err = write(func() error { return writeEvent(w, e) })
		}
		if err != nil {
			return
		}
	}
}

func writeEvent(w http.ResponseWriter, e Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	// retry: reconnect quickly after a server restart.
	_, err = fmt.Fprintf(w, "retry: 500\nevent: %s\ndata: %s\n\n", e.Kind, b)
	return err
}
