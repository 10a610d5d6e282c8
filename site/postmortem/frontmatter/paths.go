package frontmatter

import (
	"fmt"
	"strconv"
)

// Paths makes the paths by which a front matter's values are known (the
// keys of Decoder.Fields): "tags[2]" for an item of a list,
// "actions[1].owner" for a key of a list of mappings, "impact.cost_usd"
// for a key of a mapping. The paths of the keys and first items of the
// schema it is made for are made once, when it is: a Paths is not
// modified afterwards and may be shared.
type Paths struct {
	index map[string]*[tableSize]string
	items map[string]*[tableSize]map[string]string
	subs  map[string]map[string]string
}

// tableSize is how many items of each list have their paths made once.
const tableSize = 16

// NewPaths returns the Paths of a schema: the keys whose values are lists
// (lists), those whose values are lists of mappings with the given keys
// (items), and those whose values are mappings with the given keys
// (subs).
func NewPaths(lists []string, items, subs map[string][]string) *Paths {
	p := &Paths{index: map[string]*[tableSize]string{}, items: map[string]*[tableSize]map[string]string{},
		subs: map[string]map[string]string{}}
	for _, k := range lists {
		var t [tableSize]string
		for i := range t {
			t[i] = fmt.Sprintf("%s[%d]", k, i)
		}
		p.index[k] = &t
	}
	for k, keys := range items {
		var t [tableSize]map[string]string
		for i := range t {
			base := fmt.Sprintf("%s[%d]", k, i)
			t[i] = map[string]string{"": base}
			for _, sub := range keys {
				t[i][sub] = base + "." + sub
			}
		}
		p.items[k] = &t
	}
	for k, keys := range subs {
		p.subs[k] = map[string]string{}
		for _, sub := range keys {
			p.subs[k][sub] = k + "." + sub
		}
	}
	return p
}

// Index returns "key[i]".
func (p *Paths) Index(key string, i int) string {
	if t := p.index[key]; t != nil && i < tableSize {
		return t[i]
	}
	return key + "[" + strconv.Itoa(i) + "]"
}

// Item returns "key[i]" for sub "", else "key[i].sub".
func (p *Paths) Item(key string, i int, sub string) string {
	if t := p.items[key]; t != nil && i < tableSize {
		if s, ok := t[i][sub]; ok {
			return s
		}
	}
	base := key + "[" + strconv.Itoa(i) + "]"
	if sub == "" {
		return base
	}
	return base + "." + sub
}

// Sub returns "key.sub".
func (p *Paths) Sub(key, sub string) string {
	if s, ok := p.subs[key][sub]; ok {
		return s
	}
	return key + "." + sub
}
