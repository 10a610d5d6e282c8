package page

import (
	"github.com/hindsight-kb/hindsight/site/render"
	"html/template"
	"strings"
	"sync"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// fragCache holds a Site's rendered fragments (see setupTheme). The
// rows and items of the Site's own postmortems sit in a slot per
// postmortem, found through a map that is only read once made, so a
// lookup is one pointer hash and one uncontended lock; partialCached
// keys and postmortems the Site does not know go to a sync.Map.
type fragCache struct {
	byPM  map[*postmortem.Postmortem]*pmFrags
	other sync.Map
}

// pmFrags are one postmortem's fragments; there are a few of each kind
// (one per page depth and variant), so a list beats a map.
type pmFrags struct {
	mu      sync.Mutex
	entries []fragEntry
}

type fragEntry struct {
	kind    fragKind
	root    string
	variant string // refitem: the shared slugs, joined
	compact bool
	html    template.HTML
}

type fragKind uint8

const (
	fragRow fragKind = iota
	fragRefItem
	fragPMItem
)

func newFragCache(ps []*postmortem.Postmortem) *fragCache {
	c := &fragCache{byPM: make(map[*postmortem.Postmortem]*pmFrags, len(ps))}
	for _, p := range ps {
		c.byPM[p] = &pmFrags{}
	}
	return c
}

// pm returns p's fragment of kind for (root, variant, compact), rendering
// it once.
func (c *fragCache) pm(p *postmortem.Postmortem, kind fragKind, root, variant string, compact bool, render func() (template.HTML, error)) (template.HTML, error) {
	slot := c.byPM[p]
	if slot == nil {
		return c.key(otherKey{kind, root, p, variant, compact}, render)
	}
	slot.mu.Lock()
	for i := range slot.entries {
		e := &slot.entries[i]
		if e.kind == kind && e.compact == compact && e.root == root && e.variant == variant {
			h := e.html
			slot.mu.Unlock()
			return h, nil
		}
	}
	slot.mu.Unlock()
	// Rendered outside the lock: two pages may render the same fragment
	// at once, which costs a render, never a wrong page.
	h, err := render()
	if err != nil {
		return "", err
	}
	slot.mu.Lock()
	slot.entries = append(slot.entries, fragEntry{kind, root, variant, compact, h})
	slot.mu.Unlock()
	return h, nil
}

// otherKey is the sync.Map key of a postmortem fragment outside byPM.
type otherKey struct {
	kind    fragKind
	root    string
	p       *postmortem.Postmortem
	variant string
	compact bool
}

// key returns the fragment stored under key, rendering it once.
func (c *fragCache) key(key any, render func() (template.HTML, error)) (template.HTML, error) {
	if h, ok := c.other.Load(key); ok {
		return h.(template.HTML), nil
	}
	h, err := render()
	if err != nil {
		return "", err
	}
	c.other.Store(key, h)
	return h, nil
}

// joinShared is a refitem's shared slugs as one cache variant, without
// allocating for the usual one slug.
func joinShared(shared []string) string {
	switch len(shared) {
	case 0:
		return ""
	case 1:
		return shared[0]
	}
	return strings.Join(shared, "\x00")
}

// tableRows writes n table rows (row writes row i) joined as a range
// over them in a table body of the default theme writes them: a line
// break and two spaces between rows.
func tableRows(n int, row func(w *htmlw, i int) error) (template.HTML, error) {
	w := &htmlw{render.HTMLWriter{B: make([]byte, 0, 768*n)}}
	for i := range n {
		if i > 0 {
			w.S("\n  ")
		}
		if err := row(w, i); err != nil {
			return "", err
		}
	}
	return template.HTML(w.B), nil
}
