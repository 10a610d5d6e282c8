// Package kbgen owns the deterministic generator of large, realistic
// knowledge bases used by benchmarks and scale tests. Generate writes N
// postmortems (valid under SPEC §2 and §3: every required key and section,
// ordered dates, a parsable timeline, vocabulary slugs, no credential-like
// text, no blaming phrases) plus hindsight.yaml with a controlled
// vocabulary and content/about.md. The same Options always give
// byte-identical files: every random draw comes from a PCG stream seeded by
// Options.Seed and the file's index, and no clock or map order is read.
//
// Causes and systems are drawn with a Zipf-like skew so recurrences exist;
// durations are log-normal; prose is assembled from word banks with a long
// tail of rarer terms so full-text search sees realistic term frequencies.
package kbgen
