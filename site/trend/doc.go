// Package trend computes the aggregates behind the trend pages
// (SPEC §4): incidents per month by severity and category, durations per
// quarter (median, p90 and their spread), top causes and systems with the
// change against the previous 12 months, detection sources, corrective
// action health, recurrences, drills and near misses. It also builds the
// view models of /trends/, /actions/ and the small per-term charts; the
// /trends/data.json document is built from its reports by package
// site/trend/datajson.
//
// Compute is a pure function of the published postmortems, the graph, the
// config and a clock; the Trends it returns is immutable and safe for
// concurrent use by the renderers.
//
// Definitions (SPEC §4, docs in /work/notes/readme-trends.md):
//   - population: every postmortem that is not a draft; drills are counted
//     only as drills, near misses count as incidents but are left out of
//     durations;
//   - period: the month and quarter of started, in the config timezone;
//   - durations: detected, contained, resolved minus started, in minutes;
//   - median: the middle value, or the mean of the two middle values;
//     p90: the ⌈0.9·n⌉-th smallest value (nearest rank);
//   - overdue: status open or in-progress and due before today (config
//     timezone).
//
// Charts over time draw at most MaxBuckets bars: a long history is
// charted by quarter, year, decade… with long empty runs drawn as one gap
// (buckets.go); a Report keeps every month and quarter for data.json.
package trend
