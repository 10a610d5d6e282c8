package serve

import (
	"encoding/json"
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

// hub fans events out to the open event streams. Each subscriber has a
// one-slot mailbox holding the newest event: a slow tab skips stale
// events, it never blocks a rebuild.
type hub struct {
	mu     sync.Mutex
	subs   map[chan Event]bool
	closed bool
	done   chan struct{}
}

func newHub() *hub { return &hub{subs: map[chan Event]bool{}, done: make(chan struct{})} }

func (h *hub) subscribe() (chan Event, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, false
	}
	c := make(chan Event, 1)
	h.subs[c] = true
	return c, true
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
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported", http.StatusInternalServerError)
		return
	}
	c, ok := s.hub.subscribe()
	if !ok {
		http.Error(w, "the server is shutting down", http.StatusServiceUnavailable)
		return
	}
	defer s.hub.unsubscribe(c)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if err := writeEvent(w, s.cur.Load().event("hello")); err != nil {
		return
	}
	fl.Flush()
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.hub.done:
			return
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
		case e := <-c:
			if err := writeEvent(w, e); err != nil {
				return
			}
		}
		fl.Flush()
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
