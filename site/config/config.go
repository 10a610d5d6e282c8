package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/tree"
)

// FileName is the config file's name at the KB root.
const FileName = "hindsight.yaml"

// Config is the site configuration with every default filled in.
type Config struct {
	Title    string
	BaseURL  string
	Timezone string
	// Location is Timezone loaded; never nil.
	Location *time.Location
	RepoURL  string
	// RepoBranch is the branch "edit this page" links point at.
	RepoBranch       string
	Severities       []string
	Categories       []string
	Priorities       []string
	RequiredSections []Section
	// RecommendedSections are sections a scaffold includes and the
	// renderer knows, but whose absence is not an error.
	RecommendedSections []Section
	// Causes and Systems are the controlled vocabularies; nil means any
	// slug is allowed.
	Causes  []Term
	Systems []Term
	// Rules re-levels or switches off rules by id.
	Rules            map[string]diag.Severity
	InternalFields   []string
	InternalSections []string
	MaxFileSize      int64
	Theme            string
	// TimelineSlack is how far outside started..resolved a timeline entry
	// may be before timeline-range fires.
	TimelineSlack time.Duration
	// Search tunes the search (hindsight.yaml's search: key).
	Search Search
	// File is the config file's path, "" when there is none.
	File string
}

// Search is the search: key of hindsight.yaml.
type Search struct {
	// Synonyms are groups of words or phrases that a query treats as one:
	// a query word of a group matches any word or phrase of the group.
	// DefaultSynonyms unless the config lists its own (an empty list
	// switches synonyms off).
	Synonyms [][]string
}

// DefaultSynonyms returns the synonym groups used when hindsight.yaml has
// no search.synonyms: security and SRE vocabulary.
func DefaultSynonyms() [][]string {
	return [][]string{
		{"tls", "ssl"},
		{"ddos", "dos", "denial of service"},
		{"cert", "certificate"},
		{"expired", "expiry", "expiration"},
		{"db", "database"},
		{"k8s", "kubernetes"},
		{"auth", "authentication"},
		{"authz", "authorization"},
		{"2fa", "mfa", "two-factor", "multi-factor"},
		{"creds", "credentials"},
		{"vuln", "vulnerability"},
		{"pwd", "password"},
		{"dns", "domain name system"},
		{"cdn", "content delivery network"},
		{"waf", "web application firewall"},
		{"vpn", "virtual private network"},
		{"sso", "single sign-on"},
		{"xss", "cross-site scripting"},
		{"csrf", "cross-site request forgery"},
		{"ssrf", "server-side request forgery"},
		{"sqli", "sql injection"},
		{"rce", "remote code execution"},
		{"lb", "load balancer"},
		{"config", "configuration"},
		{"env", "environment"},
		{"prod", "production"},
		{"infra", "infrastructure"},
		{"perf", "performance"},
		{"oom", "out of memory"},
		{"cve", "vulnerability"},
		{"outage", "downtime"},
		{"latency", "slowness"},
		{"repo", "repository"},
		{"s3", "object storage"},
		{"secret", "api key", "access key"},
	}
}

// Section is a required (or recommended) H2 section and its aliases.
type Section struct {
	Name    string
	Aliases []string
}

// Matches reports whether a heading names this section (case-insensitive,
// aliases included).
func (s Section) Matches(heading string) bool {
	h := NormalizeHeading(heading)
	if h == NormalizeHeading(s.Name) {
		return true
	}
	for _, a := range s.Aliases {
		if h == NormalizeHeading(a) {
			return true
		}
	}
	return false
}

// NormalizeHeading lower-cases a heading and folds its white space and
// trailing punctuation, for section matching.
func NormalizeHeading(h string) string {
	h = strings.ToLower(strings.Join(strings.Fields(h), " "))
	h = strings.TrimRight(h, " :.")
	// A note in parentheses at the end is not the section's name:
	// "Timeline (all times PT)", "Impact (customer-facing)".
	if strings.HasSuffix(h, ")") {
		if i := strings.LastIndex(h, " ("); i > 0 {
			h = strings.TrimRight(h[:i], " :.")
		}
	}
	return h
}

// Term is one entry of a controlled vocabulary (a cause or a system).
type Term struct {
	Slug        string
	Title       string
	Description string
	Owner       string
}

// Default returns the configuration used when hindsight.yaml is absent.
func Default() *Config {
	return &Config{
		Title:      "Postmortems",
		Timezone:   "UTC",
		Location:   time.UTC,
		RepoBranch: "main",
		Severities: []string{"SEV1", "SEV2", "SEV3", "SEV4"},
		Categories: []string{"breach", "intrusion", "malware", "data-leak", "phishing",
			"denial-of-service", "account-compromise", "vulnerability", "misconfiguration", "outage", "other"},
		Priorities: []string{"P0", "P1", "P2", "P3"},
		RequiredSections: []Section{
			{Name: "Summary", Aliases: []string{"Executive Summary", "TL;DR"}},
			{Name: "Timeline"},
			{Name: "Root Cause Analysis", Aliases: []string{"Root Cause", "Root Causes", "RCA"}},
			{Name: "Impact Assessment", Aliases: []string{"Impact"}},
			{Name: "Corrective Actions", Aliases: []string{"Action Items", "Remediation"}},
			{Name: "Communication", Aliases: []string{"Communications", "Stakeholder Communication"}},
		},
		RecommendedSections: []Section{
			{Name: "Lessons Learned"}, {Name: "Follow-up", Aliases: []string{"Follow up", "Followup"}},
			{Name: "Detection"}, {Name: "Response"},
		},
		Rules:            map[string]diag.Severity{},
		InternalFields:   []string{"impact.cost_usd", "actions.owner", "authors"},
		InternalSections: []string{"Internal Notes"},
		MaxFileSize:      1 << 20,
		Theme:            "default",
		TimelineSlack:    7 * 24 * time.Hour,
		Search:           Search{Synonyms: DefaultSynonyms()},
	}
}

// Load reads hindsight.yaml at root. A missing file gives the defaults.
// Problems in the file are returned as diagnostics (rule "config"); err is
// only for a file that exists but cannot be read (see ReadFile).
func Load(root string) (*Config, []diag.Diagnostic, error) {
	data, err := ReadFile(root)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	cfg, ds := Parse(FileName, data)
	return cfg, ds, nil
}

// MaxConfigSize bounds the size of hindsight.yaml. The sample KB's config
// is a few KiB; a vocabulary of a thousand causes and systems, each with a
// title and a one-line description, is about 200 KiB.
const MaxConfigSize = 1 << 20

// ReadFile returns the content of hindsight.yaml at root, read as the KB's
// untrusted input is: only a regular file inside root (a symlink to a file
// inside root is followed; one that leaves root, a FIFO, a device or a
// folder is an error naming the file), of at most MaxConfigSize bytes. The
// file is examined before it is opened, so a FIFO never blocks the read. A
// missing file gives an error that matches fs.ErrNotExist.
func ReadFile(root string) ([]byte, error) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", FileName, err)
	}
	defer r.Close()
	fi, err := r.Stat(FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w; it must be a regular file inside the KB root %s", FileName, err, root)
	}
	if err := regularConfig(fi); err != nil {
		return nil, err
	}
	f, err := r.Open(FileName)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", FileName, err)
	}
	defer f.Close()
	// Check what was opened too: the file may have been replaced since.
	if fi, err = f.Stat(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", FileName, err)
	}
	if err := regularConfig(fi); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", FileName, err)
	}
	if len(data) > MaxConfigSize {
		return nil, tooBig()
	}
	return data, nil
}

// regularConfig says why the file fi describes cannot be hindsight.yaml.
func regularConfig(fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (its mode is %v); make it a plain YAML file", FileName, fi.Mode().Type())
	}
	if fi.Size() > MaxConfigSize {
		return tooBig()
	}
	return nil
}

func tooBig() error {
	return fmt.Errorf("%s is larger than %d KiB; keep the config small (long descriptions belong in content/)", FileName, MaxConfigSize>>10)
}

// Rule is the rule id config diagnostics carry.
const Rule = "config"

// Parse decodes a config file's content. name is used in diagnostics.
func Parse(name string, data []byte) (*Config, []diag.Diagnostic) {
	cfg := Default()
	cfg.File = name
	d := &decoder{file: name}
	root, err := tree.FromYAML(data, 1)
	if err != nil {
		var se *tree.SyntaxError
		if errors.As(err, &se) {
			d.errorf(se.Pos, "%s; fix the YAML syntax of %s", se.Msg, name)
		} else {
			d.errorf(diag.Pos{}, "%v", err)
		}
		return cfg, d.ds
	}
	if root.Kind != tree.Map {
		d.errorf(root.Pos, "%s must be a YAML mapping of keys to values, got %s", name, root.Describe())
		return cfg, d.ds
	}
	for _, e := range root.Entries {
		v := e.Value
		switch e.Key {
		case "title":
			d.str(&cfg.Title, e)
		case "base_url":
			d.str(&cfg.BaseURL, e)
			if cfg.BaseURL != "" && !strings.HasPrefix(cfg.BaseURL, "http://") && !strings.HasPrefix(cfg.BaseURL, "https://") {
				d.errorf(v.Pos, "base_url must be an absolute http(s) URL such as https://kb.example.com/, got %q", cfg.BaseURL)
			} else if why := baseURLProblem(cfg.BaseURL); cfg.BaseURL != "" && why != "" { // "" is unset
				d.errorf(v.Pos, "base_url %q %s: the sitemap, the feed and search's JSON put it in front of every page's path", cfg.BaseURL, why)
			}
			if cfg.BaseURL != "" && !strings.HasSuffix(cfg.BaseURL, "/") {
				cfg.BaseURL += "/"
			}
		case "timezone":
			var tz string
			if d.str(&tz, e) {
				loc, err := time.LoadLocation(tz)
				if err != nil {
					d.errorf(v.Pos, "timezone %q is not a known IANA zone; use a name such as UTC or Europe/Berlin", tz)
				} else {
					cfg.Timezone, cfg.Location = tz, loc
				}
			}
		case "repo_url":
			d.str(&cfg.RepoURL, e)
			cfg.RepoURL = strings.TrimRight(cfg.RepoURL, "/")
		case "repo_branch":
			d.str(&cfg.RepoBranch, e)
		case "severities":
			d.enum(&cfg.Severities, e)
		case "categories":
			d.enum(&cfg.Categories, e)
		case "priorities":
			d.enum(&cfg.Priorities, e)
		case "required_sections":
			cfg.RequiredSections = d.sections(e)
		case "recommended_sections":
			cfg.RecommendedSections = d.sections(e)
		case "causes":
			cfg.Causes = d.terms(e)
		case "systems":
			cfg.Systems = d.terms(e)
		case "rules":
			d.rules(cfg, e)
		case "internal_fields":
			d.list(&cfg.InternalFields, e)
		case "internal_sections":
			d.list(&cfg.InternalSections, e)
		case "max_file_size":
			d.size(&cfg.MaxFileSize, e)
		case "theme":
			d.str(&cfg.Theme, e)
			if strings.ContainsAny(cfg.Theme, `/\`) || cfg.Theme == ".." {
				d.errorf(v.Pos, "theme must be a folder name under themes/, got %q", cfg.Theme)
				cfg.Theme = "default"
			}
		case "timeline_slack":
			var s string
			if d.str(&s, e) {
				dur, err := parseDuration(s)
				switch {
				case err != nil:
					d.errorf(v.Pos, "timeline_slack: %v; write a duration from 0 to %dd, such as 48h or 7d", err, MaxTimelineSlack/(24*time.Hour))
				case dur < 0 || dur > MaxTimelineSlack:
					d.errorf(v.Pos, "timeline_slack %q is out of range; write a duration from 0 to %dd, such as 48h or 7d", s, MaxTimelineSlack/(24*time.Hour))
				default:
					cfg.TimelineSlack = dur
				}
			}
		case "search":
			d.search(cfg, e)
		default:
			d.errorf(e.KeyPos, "unknown key %q in %s%s; see the configuration reference in the README", e.Key, name, diag.DidYouMean(e.Key, keys))
		}
	}
	return cfg, d.ds
}

// keys are the top-level keys of hindsight.yaml, in the README's order.
var keys = []string{"title", "base_url", "timezone", "repo_url", "repo_branch", "severities", "categories",
	"priorities", "required_sections", "recommended_sections", "causes", "systems", "rules",
	"internal_fields", "internal_sections", "max_file_size", "theme", "timeline_slack", "search"}

// Keys returns the top-level keys of hindsight.yaml (the init skeleton's
// config is tested against them).
func Keys() []string { return append([]string(nil), keys...) }

// RuleIDs lists every rule id; config keys under rules: must be one of them.
var ruleIDs = []string{
	"frontmatter-syntax", "missing-field", "invalid-value", "unknown-field", "date-order",
	"duplicate-id", "unknown-related", "missing-section", "empty-section", "duplicate-section",
	"timeline-time", "timeline-order", "timeline-range", "action-incomplete", "action-overdue",
	"unknown-cause", "unknown-system", "broken-link", "secret", "blame-language",
	"file-encoding", "file-size", "file-unreadable", "unsafe-attachment", "file-complexity",
}

// RuleIDs returns every stable rule id hindsight knows.
func RuleIDs() []string { return append([]string(nil), ruleIDs...) }

type decoder struct {
	file string
	ds   []diag.Diagnostic
}

// baseURLProblem says what keeps an http(s) base_url from being the
// start of a valid absolute URL (RFC 3986, as sitemaps.org and Atom
// require): no host, a query, a fragment or user info, or a character
// that must be percent-encoded. It returns "" for a good one.
func baseURLProblem(s string) string {
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r >= 0x80 || strings.ContainsRune(`"<>\^`+"`"+`{|}`, r) {
			return fmt.Sprintf("has %q, which a URL must percent-encode (a space is %%20; a non-ASCII host is written in its xn-- form)", r)
		}
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "is not a URL"
	case u.Host == "" || u.Hostname() == "":
		return "has no host"
	case u.User != nil:
		return "has user info (user@), which would be published"
	case u.RawQuery != "" || u.ForceQuery:
		return "has a query (?…), which cannot come before a page's path"
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "has a fragment (#…), which cannot come before a page's path"
	}
	return ""
}

func (d *decoder) errorf(pos diag.Pos, format string, args ...any) {
	d.ds = append(d.ds, diag.Diagnostic{File: d.file, Pos: pos, Severity: diag.Error, Rule: Rule, Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) str(dst *string, e tree.Entry) bool {
	s, ok := e.Value.AsString()
	if !ok {
		d.errorf(e.Value.Pos, "%s must be a text value, got %s", e.Key, e.Value.Describe())
		return false
	}
	*dst = s
	return true
}

func (d *decoder) list(dst *[]string, e tree.Entry) bool {
	ss, _, bad := e.Value.AsStrings(false)
	if bad != nil {
		d.errorf(bad.Pos, "%s must be a list of text values, got %s", e.Key, bad.Describe())
		return false
	}
	*dst = ss
	return true
}

func (d *decoder) enum(dst *[]string, e tree.Entry) {
	var ss []string
	if !d.list(&ss, e) {
		return
	}
	if len(ss) == 0 {
		d.errorf(e.Value.Pos, "%s must list at least one value", e.Key)
		return
	}
	seen := map[string]bool{}
	for i, s := range ss {
		if seen[s] {
			d.errorf(e.Value.Items[i].Pos, "%s lists %q twice", e.Key, s)
		}
		seen[s] = true
	}
	*dst = ss
}

// MaxSlugLen is the longest slug accepted, in bytes. Slugs become URL
// segments (causes/<slug>/); those of the sample KB have at most 30.
const MaxSlugLen = 100

// IsSlug reports whether s is a slug: groups of lower-case ASCII letters
// and digits joined by one '-', '_' or '.' (so no '/', no "..", no
// separator at either end), at most MaxSlugLen bytes. A slug is a safe URL
// segment.
func IsSlug(s string) bool {
	if s == "" || len(s) > MaxSlugLen {
		return false
	}
	sep := true // at the start, as after a separator: a letter or digit must follow
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			sep = false
		case c == '-' || c == '_' || c == '.':
			if sep {
				return false
			}
			sep = true
		default:
			return false
		}
	}
	return !sep
}

func (d *decoder) sections(e tree.Entry) []Section {
	if e.Value.Kind != tree.List {
		d.errorf(e.Value.Pos, "%s must be a list of {name, aliases} entries, got %s", e.Key, e.Value.Describe())
		return nil
	}
	var out []Section
	for _, it := range e.Value.Items {
		if s, ok := it.AsString(); ok {
			out = append(out, Section{Name: s})
			continue
		}
		if it.Kind != tree.Map {
			d.errorf(it.Pos, "each entry of %s must be a name or {name: …, aliases: […]}, got %s", e.Key, it.Describe())
			continue
		}
		var s Section
		for _, f := range it.Entries {
			switch f.Key {
			case "name":
				d.str(&s.Name, f)
			case "aliases":
				d.list(&s.Aliases, f)
			default:
				d.errorf(f.KeyPos, "unknown key %q in %s entry%s; use name and aliases", f.Key, e.Key, diag.DidYouMean(f.Key, []string{"name", "aliases"}))
			}
		}
		if s.Name == "" {
			d.errorf(it.Pos, "an entry of %s has no name", e.Key)
			continue
		}
		out = append(out, s)
	}
	return out
}

func (d *decoder) terms(e tree.Entry) []Term {
	if e.Value.Kind != tree.List {
		d.errorf(e.Value.Pos, "%s must be a list of {slug, title, description} entries, got %s", e.Key, e.Value.Describe())
		return nil
	}
	out := []Term{}
	seen := map[string]bool{}
	fields := []string{"slug", "title", "description", "owner"}
	for _, it := range e.Value.Items {
		var t Term
		if s, ok := it.AsString(); ok {
			t.Slug = s
		} else if it.Kind == tree.Map {
			for _, f := range it.Entries {
				switch f.Key {
				case "slug":
					d.str(&t.Slug, f)
				case "title":
					d.str(&t.Title, f)
				case "description":
					d.str(&t.Description, f)
				case "owner":
					d.str(&t.Owner, f)
				default:
					d.errorf(f.KeyPos, "unknown key %q in %s entry%s; use slug, title, description and owner", f.Key, e.Key, diag.DidYouMean(f.Key, fields))
				}
			}
		} else {
			d.errorf(it.Pos, "each entry of %s must be a slug or {slug: …, title: …}, got %s", e.Key, it.Describe())
			continue
		}
		if t.Slug == "" {
			d.errorf(it.Pos, "an entry of %s has no slug", e.Key)
			continue
		}
		if !IsSlug(t.Slug) {
			d.errorf(it.Pos, "%s slug %q must be lower-case letters, digits and hyphens, e.g. %q", e.Key, t.Slug, Slugify(t.Slug))
		}
		if seen[t.Slug] {
			d.errorf(it.Pos, "%s lists %q twice", e.Key, t.Slug)
		}
		seen[t.Slug] = true
		if t.Title == "" {
			t.Title = TitleFromSlug(t.Slug)
		}
		out = append(out, t)
	}
	return out
}

func (d *decoder) rules(cfg *Config, e tree.Entry) {
	if e.Value.Kind != tree.Map {
		d.errorf(e.Value.Pos, "rules must map rule ids to off, warning or error, got %s", e.Value.Describe())
		return
	}
	for _, f := range e.Value.Entries {
		known := false
		for _, id := range ruleIDs {
			if id == f.Key {
				known = true
			}
		}
		if !known {
			d.errorf(f.KeyPos, "unknown rule %q%s; rule ids are listed in the README", f.Key, diag.DidYouMean(f.Key, ruleIDs))
			continue
		}
		s, _ := f.Value.AsString()
		if b, ok := f.Value.AsBool(); ok && f.Value.Tag == tree.TagBool {
			// YAML reads a bare off as false.
			if !b {
				s = "off"
			} else {
				s = "error"
			}
		}
		sev, ok := diag.ParseSeverity(s)
		if !ok {
			d.errorf(f.Value.Pos, "rule %s: level must be off, warning or error, got %s", f.Key, f.Value.Describe())
			continue
		}
		cfg.Rules[f.Key] = sev
	}
}

// Limits of search.synonyms: each query word of a group becomes a
// disjunction of the group's members, so they bound a query's work.
const (
	// MaxSynonymGroup is the most words and phrases one group may hold.
	MaxSynonymGroup = 20
	// MaxSynonyms is the most words and phrases all groups may hold.
	MaxSynonyms = 2000
	// MaxSynonymBytes is the longest word or phrase of a group.
	MaxSynonymBytes = 100
)

// search decodes search: {synonyms: [[a, b], …]}.
func (d *decoder) search(cfg *Config, e tree.Entry) {
	if e.Value.Kind != tree.Map {
		d.errorf(e.Value.Pos, "search must be a mapping such as {synonyms: [[tls, ssl]]}, got %s", e.Value.Describe())
		return
	}
	for _, f := range e.Value.Entries {
		if f.Key != "synonyms" {
			d.errorf(f.KeyPos, "unknown key %q in search%s; the only key is synonyms", f.Key, diag.DidYouMean(f.Key, []string{"synonyms"}))
			continue
		}
		if f.Value.Kind != tree.List {
			d.errorf(f.Value.Pos, "search.synonyms must be a list of groups such as [[tls, ssl], [cert, certificate]], got %s", f.Value.Describe())
			continue
		}
		groups := [][]string{}
		total := 0
		for _, it := range f.Value.Items {
			g, _, bad := it.AsStrings(false)
			if bad != nil {
				d.errorf(bad.Pos, "each group of search.synonyms must be a list of words or phrases such as [ddos, denial of service], got %s", bad.Describe())
				continue
			}
			var words []string
			for i, w := range g {
				w = strings.Join(strings.Fields(w), " ")
				switch {
				case w == "":
					d.errorf(it.Items[i].Pos, "search.synonyms: an empty word in a group; remove it")
					continue
				case len(w) > MaxSynonymBytes:
					d.errorf(it.Items[i].Pos, "search.synonyms: %q is longer than %d bytes; use a word or a short phrase", w[:20]+"…", MaxSynonymBytes)
					continue
				}
				words = append(words, w)
			}
			if len(words) < 2 {
				d.errorf(it.Pos, "a group of search.synonyms needs at least two words or phrases, got %d", len(words))
				continue
			}
			if len(words) > MaxSynonymGroup {
				d.errorf(it.Pos, "a group of search.synonyms has %d words or phrases, over the limit of %d; split it by meaning", len(words), MaxSynonymGroup)
				continue
			}
			if total += len(words); total > MaxSynonyms {
				d.errorf(it.Pos, "search.synonyms holds more than %d words and phrases in all, the limit; keep the groups that matter", MaxSynonyms)
				break
			}
			groups = append(groups, words)
		}
		cfg.Search.Synonyms = groups
	}
}

var sizeRE = regexp.MustCompile(`(?i)^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$`)

// MaxFileSizeLimit is the largest max_file_size accepted. Every file is
// read into memory and parsed whole, so the limit bounds the memory and
// time one file may take; a postmortem is text, and 64 MiB is sixty-four
// times the default.
const MaxFileSizeLimit = 64 << 20

// MaxTimelineSlack is the largest timeline_slack accepted: a year. A
// timeline entry further than that outside its incident is a typo; to
// stop timeline-range reports, switch the rule off instead.
const MaxTimelineSlack = 365 * 24 * time.Hour

func (d *decoder) size(dst *int64, e tree.Entry) {
	s, _ := e.Value.AsString()
	m := sizeRE.FindStringSubmatch(s)
	if m == nil {
		d.errorf(e.Value.Pos, "max_file_size must be a size such as 1MiB or 512KiB, got %s", e.Value.Describe())
		return
	}
	f, _ := strconv.ParseFloat(m[1], 64)
	mult := map[string]float64{"": 1, "b": 1, "k": 1 << 10, "kb": 1000, "kib": 1 << 10, "m": 1 << 20, "mb": 1e6, "mib": 1 << 20, "g": 1 << 30, "gb": 1e9, "gib": 1 << 30}[strings.ToLower(m[2])]
	// Compared as floats, before any conversion: 2^63 bytes and more
	// do not fit in an int64.
	if n := f * mult; n < 1 || n > MaxFileSizeLimit {
		d.errorf(e.Value.Pos, "max_file_size %q is out of range; use a size from 1B to %dMiB, such as 1MiB or 512KiB", s, MaxFileSizeLimit>>20)
		return
	}
	*dst = int64(f * mult)
}

// parseDuration reads a Go duration (48h, 90m) or a number of days (7d).
func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		// Bounded before multiplying: a large count would wrap around.
		if err != nil || n < -36500 || n > 36500 {
			return 0, fmt.Errorf("bad duration %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// Slugify turns a title into a lower-case slug.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// TitleFromSlug turns "expired-certificate" into "Expired certificate".
func TitleFromSlug(slug string) string {
	s := strings.ReplaceAll(strings.ReplaceAll(slug, "-", " "), "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Level returns the severity a rule reports at: its configured level, or
// def when config does not mention it.
func (c *Config) Level(rule string, def diag.Severity) diag.Severity {
	if s, ok := c.Rules[rule]; ok {
		return s
	}
	return def
}

// Term returns the vocabulary entry for slug in kind ("causes" or
// "systems"); for an unknown slug or no vocabulary it returns a Term with
// a title made from the slug.
func (c *Config) Term(kind, slug string) Term {
	var list []Term
	switch kind {
	case "causes":
		list = c.Causes
	case "systems":
		list = c.Systems
	}
	for _, t := range list {
		if t.Slug == slug {
			return t
		}
	}
	return Term{Slug: slug, Title: TitleFromSlug(slug)}
}
