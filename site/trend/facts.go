package trend

import (
	"time"

	"github.com/hindsight-kb/hindsight/site/graph"
	"github.com/hindsight-kb/hindsight/site/postmortem"
)

// facts are what the reports read of each postmortem of the population
// (not a draft, with a start), read once by Compute and kept side by
// side: at 100,000 postmortems every field read through a *Postmortem is
// a cache miss, and the two reports and the term counts would each read
// every postmortem again. Text values are numbered (values), so counting
// them is indexing, not hashing.
type facts struct {
	list []fact
	// severity, category and detection number the values of those
	// fields (detection "not-recorded" when empty).
	severity, category, detection values
	// terms[k] numbers the slugs of root causes (k = 0) and systems (1);
	// fact i names terms[k] numbers nums[k][at[k][i]:at[k][i+1]], without
	// repeats.
	terms [2]values
	nums  [2][]int32
	at    [2][]int32
}

// termKinds are the taxonomies the reports count, in the order of
// facts.terms.
var termKinds = [2]string{graph.Causes, graph.Systems}

// fact is one postmortem of the population.
type fact struct {
	started time.Time
	// month is the month number (monthNumber) of started in the config
	// timezone.
	month                         int32
	severity, category, detection int32
	drill, nearMiss               bool
	durOK                         [3]bool
	dur                           [3]float64
	// acts are the indexes of the states of its actions: [acts[0],
	// acts[1]) (see actionRows).
	acts [2]int32
}

// values numbers distinct strings in the order met.
type values struct {
	num  map[string]int32
	list []string
}

func (v *values) of(s string) int32 {
	n, ok := v.num[s]
	if !ok {
		if v.num == nil {
			v.num = map[string]int32{}
		}
		n = int32(len(v.list))
		v.num[s] = n
		v.list = append(v.list, s)
	}
	return n
}

// inPopulation reports whether p counts in the trends: not a draft, and
// with a start.
func inPopulation(p *postmortem.Postmortem) bool { return !p.IsDraft() && !p.Started.IsZero() }

// readFacts reads the facts of the population of ps, in the order of ps
// (the files', and mostly their memory's). The states of their actions
// are numbered in that order too (see actionRows).
func readFacts(ps []*postmortem.Postmortem, loc *time.Location) *facts {
	f := &facts{list: make([]fact, 0, len(ps))}
	for k := range f.at {
		f.at[k] = make([]int32, 1, len(ps)+1)
		f.nums[k] = make([]int32, 0, 2*len(ps)) // a few terms each
	}
	act := int32(0)
	for _, p := range ps {
		if !inPopulation(p) {
			continue
		}
		lo := act
		act += int32(len(p.Actions))
		x := fact{started: p.Started, month: int32(monthNumber(p.Started.In(loc))), drill: p.Drill, nearMiss: p.NearMiss, acts: [2]int32{lo, act}}
		x.severity, x.category = f.severity.of(p.Severity), f.category.of(p.Category)
		src := p.Detection
		if src == "" {
			src = "not-recorded"
		}
		x.detection = f.detection.of(src)
		x.dur, x.durOK = durations(p)
		for k, kind := range termKinds {
			for _, s := range uniq(graph.Slugs(p, kind)) {
				f.nums[k] = append(f.nums[k], f.terms[k].of(s))
			}
			f.at[k] = append(f.at[k], int32(len(f.nums[k])))
		}
		f.list = append(f.list, x)
	}
	return f
}

// termsOf returns the numbers of the terms of kind k of fact i.
func (f *facts) termsOf(k, i int) []int32 { return f.nums[k][f.at[k][i]:f.at[k][i+1]] }

// termCounts counts the incidents (drills excluded) of each cause and
// system in a period: [k][n] for term n of termKinds[k].
func (f *facts) termCounts(per Period) [2][]int {
	var out [2][]int
	for k := range out {
		out[k] = make([]int, len(f.terms[k].list))
	}
	for i := range f.list {
		x := &f.list[i]
		if x.drill || !per.Contains(x.started) {
			continue
		}
		for k := range out {
			for _, n := range f.termsOf(k, i) {
				out[k][n]++
			}
		}
	}
	return out
}
