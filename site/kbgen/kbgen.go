package kbgen

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Version changes whenever the generator's output for the same Options
// changes; Cached uses it to invalidate cached knowledge bases.
const Version = "3"

// Options say what Generate produces. The zero value of every field but N
// has a sensible default.
type Options struct {
	// N is the number of postmortems.
	N int
	// Seed selects the knowledge base: the same seed gives the same files.
	Seed int64
	// Now is the generator's "today": every incident is resolved at least
	// three weeks before it, and action statuses are chosen relative to
	// it. Zero means DefaultNow. Generate never reads the clock.
	Now time.Time
	// Start is the earliest possible incident start. Zero means
	// DefaultStart.
	Start time.Time
	// Revision changes the body text of every file (front matter, ids and
	// paths stay the same) so benchmarks can rewrite a file with different
	// content: GenerateFile(i, opts with Revision r) is a plausible edit of
	// revision 0.
	Revision int
}

// Defaults for Options.Now and Options.Start.
var (
	DefaultNow   = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	DefaultStart = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
)

func (o Options) norm() Options {
	if o.Now.IsZero() {
		o.Now = DefaultNow
	}
	if o.Start.IsZero() {
		o.Start = DefaultStart
	}
	o.Now = o.Now.UTC()
	o.Start = o.Start.UTC()
	if !o.Start.Before(o.Now.AddDate(0, 0, -60)) {
		o.Start = o.Now.AddDate(-1, 0, 0)
	}
	return o
}

// Generate writes a knowledge base of opts.N postmortems into dir:
// hindsight.yaml, content/about.md and content/postmortems/<year>/<id>.md.
// Existing files with the same names are overwritten; nothing else is
// removed.
func Generate(dir string, opts Options) error {
	if opts.N < 0 {
		return fmt.Errorf("kbgen: N must be zero or more, got %d", opts.N)
	}
	g := newGen(opts)
	if err := os.MkdirAll(filepath.Join(dir, "content", "postmortems"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "hindsight.yaml"), g.config(), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "about.md"), about(g.opts), 0o644); err != nil {
		return err
	}
	made := map[string]bool{}
	for i := 0; i < opts.N; i++ {
		p, data := g.file(i)
		full := filepath.Join(dir, filepath.FromSlash(p))
		if d := filepath.Dir(full); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// GenerateFile returns the slash path (relative to the KB root) and the
// content of postmortem i (0 <= i < opts.N) exactly as Generate writes it.
func GenerateFile(i int, opts Options) (path string, content []byte) {
	return newGen(opts).file(i)
}

// Config returns the hindsight.yaml that Generate writes.
func Config(opts Options) []byte { return newGen(opts).config() }

// Cached returns a folder holding the knowledge base of n postmortems for
// seed, generating it under os.TempDir()/hindsight-bench-<n>-<seed> the
// first time (or when Version changed). Benchmarks use it so repeated runs
// skip generation. The folder is written under a temporary name and renamed
// into place, so a half-written cache is never used.
func Cached(n int, seed int64) (string, error) {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("hindsight-bench-%d-%d", n, seed))
	stamp := filepath.Join(dir, ".kbgen-version")
	current := func() bool {
		b, err := os.ReadFile(stamp)
		return err == nil && string(b) == Version
	}
	if current() {
		return dir, nil
	}
	tmp, err := os.MkdirTemp(os.TempDir(), fmt.Sprintf("hindsight-bench-%d-%d-tmp", n, seed))
	if err != nil {
		return "", err
	}
	if err := Generate(tmp, Options{N: n, Seed: seed}); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, ".kbgen-version"), []byte(Version), 0o644); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	// Another process may have finished first: use its copy rather than
	// deleting a folder it may be reading.
	if current() {
		os.RemoveAll(tmp)
		return dir, nil
	}
	if err := os.RemoveAll(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if current() {
			return dir, nil
		}
		return "", err
	}
	return dir, nil
}

// gen holds the derived, read-only tables for one Options.
type gen struct {
	opts Options
	// byCat lists cause indexes per category, most typical first.
	byCat map[string][]int
	span  time.Duration
}

func newGen(opts Options) *gen {
	g := &gen{opts: opts.norm(), byCat: map[string][]int{}}
	for _, cw := range categoryWeights {
		for rank := 0; rank < 3; rank++ {
			for ci, c := range causes {
				if rank < len(c.cats) && c.cats[rank] == cw.name {
					g.byCat[cw.name] = append(g.byCat[cw.name], ci)
				}
			}
		}
	}
	// Incidents end at least three weeks before Now (durations are capped
	// at 14 days), so none is "resolved in the future".
	g.span = g.opts.Now.AddDate(0, 0, -21).Sub(g.opts.Start)
	return g
}

// Random streams of one file: meta feeds the identity (id, dates, causes),
// front the rest of the front matter, body the prose.
const (
	streamMeta = iota
	streamFront
	streamBody
)

func (g *gen) rng(i, stream int) *rand.Rand {
	hi := uint64(g.opts.Seed)
	lo := uint64(i)<<20 | uint64(stream)<<16
	if stream == streamBody {
		lo |= uint64(g.opts.Revision) & 0xffff
	}
	return rand.New(rand.NewPCG(hi, lo))
}

// meta is what other files need to know about file i (for related links),
// computed from its own stream only.
type meta struct {
	i                    int
	id, path, title      string
	category, severity   string
	status               string
	drill, nearMiss      bool
	started, detected    time.Time
	contained, resolved  time.Time
	hasContained, hasRes bool
	causes, systems      []int
	symptom              string
}

func weighted[T any](r *rand.Rand, items []T, weight func(T) int) T {
	total := 0
	for _, it := range items {
		total += weight(it)
	}
	n := r.IntN(total)
	for _, it := range items {
		n -= weight(it)
		if n < 0 {
			return it
		}
	}
	return items[len(items)-1]
}

// zipfIndex draws an index in [0,n) with a Zipf-like skew: index 0 is the
// most likely.
func zipfIndex(r *rand.Rand, n int, s float64) int {
	if n <= 1 {
		return 0
	}
	z := rand.NewZipf(r, s, 2, uint64(n-1))
	return int(z.Uint64())
}

// pickDistinct draws k distinct indexes below n with a Zipf skew, in the
// order drawn.
func pickDistinct(r *rand.Rand, k, n int, s float64) []int {
	if k > n {
		k = n
	}
	out := make([]int, 0, k)
	for tries := 0; len(out) < k && tries < 100; tries++ {
		x := zipfIndex(r, n, s)
		dup := false
		for _, o := range out {
			dup = dup || o == x
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

// logNormalMinutes draws a log-normal duration with the given median (in
// minutes) and shape.
func logNormalMinutes(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

func minutes(m float64) time.Duration {
	if m < 0 {
		m = 0
	}
	return time.Duration(math.Round(m)) * time.Minute
}

// meta draws the metadata of file i: its start, kind, causes and
// systems, durations, title, id and path.
func (g *gen) meta(i int) *meta {
	r := g.rng(i, streamMeta)
	m := &meta{i: i}
	n := max(g.opts.N, i+1)
	// Starts grow with i (so "earlier" files are earlier incidents), a
	// little denser in recent years, with jitter inside each slot.
	x := (float64(i) + r.Float64()) / float64(n)
	off := time.Duration(math.Pow(x, 0.85) * float64(g.span))
	m.started = g.opts.Start.Add(off).Truncate(time.Minute)

	kind(r, m)
	g.pickCauses(r, m)
	durations(r, m)
	c, s := titled(r, m)
	short := c.slug
	if parts := strings.Split(short, "-"); len(parts) > 2 {
		short = strings.Join(parts[:2], "-")
	}
	m.id = fmt.Sprintf("%s-%s-%s-%d", m.started.Format("2006-01-02"), s.slug, short, i)
	m.path = path.Join("content/postmortems", m.started.Format("2006"), m.id+".md")
	return m
}

// kind draws whether m is a drill or a near miss, its status, category
// and severity.
func kind(r *rand.Rand, m *meta) {
	switch p := r.IntN(100); {
	case p < 3:
		m.drill = true
	case p < 8:
		m.nearMiss = true
	}
	switch p := r.IntN(100); {
	case p < 3:
		m.status = "draft"
	case p < 8:
		m.status = "in-review"
	default:
		m.status = "published"
	}
	m.category = weighted(r, categoryWeights, func(c struct {
		name   string
		weight int
	}) int {
		return c.weight
	}).name
	sevs := []struct {
		s string
		w int
	}{{"SEV1", 4}, {"SEV2", 14}, {"SEV3", 40}, {"SEV4", 42}}
	if m.drill || m.nearMiss {
		sevs = sevs[2:]
	}
	m.severity = weighted(r, sevs, func(s struct {
		s string
		w int
	}) int {
		return s.w
	}).s
}

// pickCauses draws m's causes and systems.
func (g *gen) pickCauses(r *rand.Rand, m *meta) {
	// Causes: mostly the category's typical ones, Zipf-skewed so a few
	// causes recur often; sometimes any cause.
	nc := 1 + weightedInt(r, []int{55, 33, 12})
	typical := g.byCat[m.category]
	for _, k := range pickDistinct(r, nc, len(typical), 1.2) {
		m.causes = append(m.causes, typical[k])
	}
	if r.IntN(100) < 15 {
		extra := zipfIndex(r, len(causes), 1.1)
		if !containsInt(m.causes, extra) {
			m.causes = append(m.causes, extra)
		}
	}
	if len(m.causes) > 3 {
		m.causes = m.causes[:3]
	}
	ns := 1 + weightedInt(r, []int{50, 35, 15})
	m.systems = pickDistinct(r, ns, len(systems), 1.15)
}

// durations draws when m's incident was detected, contained and resolved.
func durations(r *rand.Rand, m *meta) {
	// Durations (minutes), log-normal: security incidents are detected
	// later (dwell time) and take longer to resolve.
	sec := security(m.category)
	var det, con, res float64
	switch {
	case m.drill:
		det = float64(r.IntN(6))
		con = det + 10 + float64(r.IntN(50))
		res = con + 60 + float64(r.IntN(180))
	case m.nearMiss:
		det = logNormalMinutes(r, 15, 1.0)
		con = det + logNormalMinutes(r, 20, 0.8)
		res = con + logNormalMinutes(r, 90, 1.0)
	case sec:
		det = logNormalMinutes(r, 180, 1.8)
		con = det + logNormalMinutes(r, 60, 1.1)
		res = con + logNormalMinutes(r, 900, 1.2)
	default:
		det = logNormalMinutes(r, 12, 1.2)
		con = det + logNormalMinutes(r, 35, 1.0)
		res = con + logNormalMinutes(r, 150, 1.3)
	}
	const capMin = 14 * 24 * 60
	if res > capMin {
		scale := capMin / res
		det, con, res = det*scale, con*scale, capMin
	}
	m.detected = m.started.Add(minutes(det))
	m.contained = m.started.Add(minutes(con))
	m.resolved = m.started.Add(minutes(res))
	m.hasContained = sec || m.drill || r.IntN(100) < 70
	m.hasRes = true
	if m.status == "draft" && r.IntN(2) == 0 {
		m.hasRes = false
	}
}

// titled draws m's symptom and title; it returns m's first cause and
// system.
func titled(r *rand.Rand, m *meta) (cause, system) {
	syms := symptoms[m.category]
	m.symptom = syms[r.IntN(len(syms))]
	c := causes[m.causes[0]]
	s := systems[m.systems[0]]
	switch {
	case m.drill:
		t := []string{"Game day: %s on the %s", "Tabletop exercise: %s through the %s", "Red team exercise: %s via the %s"}
		m.title = fmt.Sprintf(t[r.IntN(len(t))], m.symptom, s.title)
	case m.nearMiss:
		m.title = fmt.Sprintf("Near miss: %s on the %s caught before %s", lowerFirst(c.title), s.title, m.symptom)
	default:
		switch r.IntN(4) {
		case 0:
			m.title = fmt.Sprintf("%s on the %s caused %s", c.title, s.title, m.symptom)
		case 1:
			m.title = fmt.Sprintf("%s on the %s after %s", upperFirst(m.symptom), s.title, c.phrase)
		case 2:
			m.title = fmt.Sprintf("%s: %s traced to %s", s.title, m.symptom, lowerFirst(c.title))
		default:
			m.title = fmt.Sprintf("%s in the %s led to %s", c.title, s.title, m.symptom)
		}
	}
	return c, s
}

func weightedInt(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		n -= w
		if n < 0 {
			return i
		}
	}
	return len(weights) - 1
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func lowerFirst(s string) string {
	// Keep acronyms (DNS, SQL, MFA) as they are.
	if len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z' {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// yq quotes s as a YAML double-quoted scalar.
func yq(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	b.WriteByte('"')
	return b.String()
}

func (g *gen) config() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Generated by kbgen (version %s, seed %d); do not edit.\n", Version, g.opts.Seed)
	b.WriteString("title: Generated postmortems\nbase_url: https://kb.example.com/\ntimezone: UTC\nrepo_url: https://git.example.com/acme/postmortems\n")
	b.WriteString("causes:\n")
	for _, c := range causes {
		fmt.Fprintf(&b, "  - slug: %s\n    title: %s\n    description: %s\n", c.slug, yq(c.title), yq(c.desc))
	}
	b.WriteString("systems:\n")
	for _, s := range systems {
		fmt.Fprintf(&b, "  - slug: %s\n    title: %s\n    description: %s\n    owner: %s\n", s.slug, yq(s.title), yq(s.desc), s.owner)
	}
	return b.Bytes()
}

func about(opts Options) []byte {
	return []byte(fmt.Sprintf(`---
title: About this knowledge base
description: A generated knowledge base for benchmarks and scale tests.
---

# About this knowledge base

Every postmortem here was generated by kbgen (seed %d) from word banks and
templates. The incidents, systems and people are fictional; the structure
follows the team's incident-response standard: timeline, root cause
analysis, impact assessment, corrective actions, communication and lessons
learned.
`, opts.Seed))
}
