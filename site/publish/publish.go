package publish

import (
	"sort"
	"strings"

	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Audiences: who a build is for.
const (
	// Internal builds show every postmortem (drafts only when asked)
	// with all its fields and sections.
	Internal = "internal"
	// Public builds show only public, published postmortems, stripped.
	Public = "public"
)

// Postmortems is the publication policy for postmortems, the one place
// that decides which a build shows: drafts only with drafts; for the
// Public audience only public, published ones, each a stripped copy
// (Strip) without links to what is not published and without related ids
// of it. Every later stage (graph, trends, search, pages, feeds, JSON)
// reads only what it returns. Postmortems with front matter that could
// not be read (no id or title) are left out: check reports them; of two
// with one id, the first is kept.
//
// stripped, when not nil, holds public copies already made (by KB path);
// the others are made here. The result is sorted newest first (the
// graph's order). all is not modified: for the Public audience every
// change is made on the copies.
func Postmortems(all []*postmortem.Postmortem, cfg *config.Config, audience string, drafts bool, stripped map[string]*postmortem.Postmortem) []*postmortem.Postmortem {
	out := make([]*postmortem.Postmortem, 0, len(all))
	seen := map[string]bool{}
	for _, p := range all {
		if p.ID == "" || p.Title == "" {
			continue
		}
		if seen[p.URLID()] { // duplicate-id is a check error; keep the first
			continue
		}
		if audience == Public {
			if !p.IsPublic() {
				continue
			}
			if c := stripped[p.Path]; c != nil {
				p = c
			} else {
				p = Strip(p, cfg)
			}
		} else if p.IsDraft() && !drafts {
			continue
		}
		seen[p.URLID()] = true
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Newer(out[j]) })
	if audience == Public {
		unlinkHidden(all, out)
		dropHiddenRelated(out)
	}
	return out
}

// dropHiddenRelated removes, from the related lists of the published
// copies, the ids of postmortems the build does not publish (internal,
// unpublished or drafts): every output that shows related ids (the API
// JSON, the pages) then names only published ones.
func dropHiddenRelated(published []*postmortem.Postmortem) {
	shown := make(map[string]bool, len(published))
	for _, p := range published {
		shown[p.URLID()] = true
	}
	for _, p := range published {
		var kept []string
		for _, id := range p.Related {
			if shown[strings.ToLower(id)] {
				kept = append(kept, id)
			}
		}
		if len(kept) != len(p.Related) {
			p.Related = kept // a new slice: the copy shares the original's
		}
	}
}

// hiddenIDs maps the KB path of every postmortem of all that the build
// does not publish to its URL id.
func hiddenIDs(all, published []*postmortem.Postmortem) map[string]string {
	shown := make(map[string]bool, len(published))
	for _, p := range published {
		shown[p.Path] = true
	}
	hidden := map[string]string{}
	for _, p := range all {
		if !shown[p.Path] && p.ID != "" {
			hidden[p.Path] = p.URLID()
		}
	}
	return hidden
}

// unlinkHidden removes, from the bodies of the published copies, the links
// to postmortems the build does not publish: such a link would be broken
// and would name the internal postmortem's id in the page. The link text
// stays; its href becomes empty (as goldmark does for javascript: URLs).
func unlinkHidden(all, published []*postmortem.Postmortem) {
	hidden := hiddenIDs(all, published)
	for _, p := range published {
		unlinkBody(&p.Body, p.Path, hidden)
	}
}

// unlinkBody empties, in b's HTML, the href of each link of b (written
// in file from) that points at a hidden postmortem (see hiddenIDs), at
// the offsets the parser recorded (postmortem.Body.Unlink).
func unlinkBody(b *postmortem.Body, from string, hidden map[string]string) {
	if len(hidden) == 0 {
		return
	}
	*b = b.Unlink(func(l postmortem.Link) bool {
		t, _, ok := kb.Target(from, l.Dest)
		_, isHidden := hidden[t]
		return ok && isHidden
	})
}

// Pages is the publication policy for the content pages: for the Public
// audience, copies without the internal sections (at any heading level)
// and without links to the postmortems the build does not publish; the
// pages themselves otherwise. all are every postmortem read, published
// the result of Postmortems.
func Pages(pages []*postmortem.Page, all, published []*postmortem.Postmortem, cfg *config.Config, audience string) []*postmortem.Page {
	if audience != Public {
		return pages
	}
	hidden := hiddenIDs(all, published)
	out := make([]*postmortem.Page, len(pages))
	for i, pg := range pages {
		c := *pg
		c.Body = pg.Body.Without(func(title string) bool { return isInternalSection(cfg, title) })
		unlinkBody(&c.Body, c.Path, hidden)
		out[i] = &c
	}
	return out
}

// Strip returns a copy of p without cfg's internal fields (internal_fields)
// and sections (internal_sections, at any heading level), and without
// its source lines and problems. p is not modified. Postmortems calls it
// for each public postmortem it is not given a copy of; a build that
// frees bodies as it goes calls it first, while the sections are there.
func Strip(p *postmortem.Postmortem, cfg *config.Config) *postmortem.Postmortem {
	c := *p
	c.Source, c.Lines = nil, nil
	c.Problems = nil
	c.Fields = make(map[string]diag.Pos, len(p.Fields))
	for k, v := range p.Fields {
		c.Fields[k] = v
	}
	c.Actions = append([]postmortem.Action(nil), p.Actions...)
	for _, f := range cfg.InternalFields {
		stripField(&c, f)
	}
	// Internal sections at any heading level, cut on the parsed
	// structure before anything is made from the body.
	c.Body = p.Body.Without(func(title string) bool { return isInternalSection(cfg, title) })
	return &c
}

// stripField removes one internal field (a key path as in config
// internal_fields) from c.
func stripField(c *postmortem.Postmortem, f string) {
	f = strings.TrimSpace(f)
	// Field positions: drop the key and everything below it
	// ("actions.owner" matches "actions[3].owner").
	for k := range c.Fields {
		if fieldMatches(k, f) {
			delete(c.Fields, k)
		}
	}
	switch f {
	case "impact":
		c.Impact = postmortem.Impact{}
	case "impact.cost_usd":
		c.Impact.CostUSD = nil
	case "impact.users_affected":
		c.Impact.UsersAffected = nil
	case "impact.records_exposed":
		c.Impact.RecordsExposed = nil
	case "impact.downtime_minutes":
		c.Impact.DowntimeMinutes = nil
	case "impact.reputation":
		c.Impact.Reputation = ""
	case "actions":
		c.Actions = nil
	case "actions.owner":
		for i := range c.Actions {
			c.Actions[i].Owner = ""
		}
	case "actions.ticket":
		for i := range c.Actions {
			c.Actions[i].Ticket = ""
		}
	case "actions.title":
		for i := range c.Actions {
			c.Actions[i].Title = ""
		}
	case "authors":
		c.Authors = nil
	case "tags":
		c.Tags = nil
	case "detection":
		c.Detection = ""
	case "data_involved":
		c.DataInvolved = nil
	case "attack_techniques":
		c.AttackTechniques = nil
	case "related":
		c.Related = nil
	case "root_causes":
		c.RootCauses = nil
	case "systems":
		c.Systems = nil
	}
}

// fieldMatches reports whether a recorded field path k ("actions[2].owner")
// is f ("actions.owner") or below it.
func fieldMatches(k, f string) bool {
	// Remove list indexes: actions[2].owner → actions.owner.
	var b strings.Builder
	skip := false
	for _, r := range k {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	n := b.String()
	return n == f || strings.HasPrefix(n, f+".")
}

// isInternalSection reports whether a heading title (any level) is
// listed in internal_sections.
func isInternalSection(cfg *config.Config, title string) bool {
	t := config.NormalizeHeading(title)
	for _, s := range cfg.InternalSections {
		if config.NormalizeHeading(s) == t {
			return true
		}
	}
	return false
}
