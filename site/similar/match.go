package similar

import (
	"math"
	"slices"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// Match is one postmortem of a similar-incident list and why it is there.
type Match struct {
	// ID is the postmortem's URL id.
	ID string
	// Terms are the distinctive words the two share that scored it, as
	// the search analyzer gives them (lower case, stemmed), heaviest in
	// the queried postmortem first. Root causes and systems, which also
	// score, are not listed: they are the postmortems' own fields.
	Terms []string
}

// MatchesFor returns ListFor(p), each postmortem with the distinctive
// words it shares with p (for "why is this similar?").
func (m *Model) MatchesFor(p *postmortem.Postmortem) []Match {
	self, tops, N := m.query(p)
	ids := m.best(self, tops, &simScorer{score: make([]float64, len(m.docs))}, math.Log(float64(N)/2))
	out := make([]Match, len(ids))
	for i, id := range ids {
		out[i].ID = id
		j := m.byID[id]
		for _, x := range tops {
			if x.term >= m.words { // a root cause or a system
				continue
			}
			shared := slices.ContainsFunc(m.postings[x.term], func(s simPosting) bool { return s.doc == j })
			if !shared && m.df[x.term] == 1 && m.uniq != nil && m.uniq[x.term].doc == j {
				shared = true
			}
			if shared {
				out[i].Terms = append(out[i].Terms, m.terms[x.term])
			}
		}
	}
	return out
}
