// Package datajson builds the /trends/data.json document of a trend
// period (SPEC §4): the numbers behind the charts of /trends/ and
// /trends/12m/ — incidents per month by severity and category, durations
// per quarter, the period's duration stats and histogram, causes,
// systems, detection sources, recurrences and corrective-action health.
//
// It owns the document's shape (its types and JSON keys) and nothing
// else: every number is read from the trend.Report that trend.Compute
// made, and unlike the charts (see trend.MaxBuckets) the document keeps
// every month and quarter of the period. Empty lists are [] and unknown
// stats null, never NaN.
package datajson
