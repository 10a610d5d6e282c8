package trend

import (
	"math"
	"sort"
)

// Stats summarises a set of durations in minutes. Every field but N is
// zero when N is 0.
type Stats struct {
	N int
	// Median is the middle value, or the mean of the two middle values.
	Median float64
	// P90 is the ⌈0.9·n⌉-th smallest value (nearest rank).
	P90 float64
	// P25 and P75 are nearest-rank quartiles (⌈0.25·n⌉-th, ⌈0.75·n⌉-th),
	// Min and Max the extremes; they draw the box plots.
	P25, P75, Min, Max float64
}

// Summarize computes Stats of vs. vs is sorted in place.
func Summarize(vs []float64) Stats {
	n := len(vs)
	if n == 0 {
		return Stats{}
	}
	sort.Float64s(vs)
	return Stats{
		N:      n,
		Median: Median(vs),
		P90:    NearestRank(vs, 0.9),
		P25:    NearestRank(vs, 0.25),
		P75:    NearestRank(vs, 0.75),
		Min:    vs[0],
		Max:    vs[n-1],
	}
}

// Median returns the middle value of sorted vs, or the mean of the two
// middle values for an even count; 0 for none.
func Median(sorted []float64) float64 {
	n := len(sorted)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return sorted[n/2]
	default:
		return (sorted[n/2-1] + sorted[n/2]) / 2
	}
}

// NearestRank returns the ⌈q·n⌉-th smallest value of sorted vs (at least
// the first); 0 for none.
func NearestRank(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// Round q·n before the ceiling so 0.9·10 is 9, not 9.000000000000002.
	k := int(math.Ceil(math.Round(q*float64(n)*1e9) / 1e9))
	if k < 1 {
		k = 1
	}
	if k > n {
		k = n
	}
	return sorted[k-1]
}
