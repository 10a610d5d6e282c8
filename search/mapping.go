package search

import (
	"time"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/hindsight-kb/hindsight/search/analysis"
)

// MappingVersion changes whenever the mapping or the indexed document
// changes shape; an index written with another version is rebuilt.
const MappingVersion = "hindsight-search-12"

// Analyzer is the name of the bleve analyzer used for text: analysis.English, which
// gives the tokens of bleve's "en" analyzer (tokenize on Unicode word
// boundaries, possessive, lower case, English stop words, Porter
// stemmer), faster, plus compound tokens for identifiers (whole and by
// parts). The static search reproduces it in JavaScript.
// (hindsight-search-8: "en" → English; the terms are the same.
// hindsight-search-9: no empty _all field.
// hindsight-search-10: started is a number, see startedValue.
// hindsight-search-11: compound tokens (see analysis.English), the id field, the
// id in keywords.
// hindsight-search-12: no id field (id: filters match bleve's _id; the id
// is in keywords), ISO 8601 date-times give no compound tokens.)
const Analyzer = analysis.EnglishName

// Index field names.
const (
	fTitle      = "title"
	fBody       = "body"
	fKeywords   = "keywords"
	fSeverity   = "severity"
	fCategory   = "category"
	fStatus     = "status"
	fCauses     = "causes"
	fSystems    = "systems"
	fData       = "data"
	fTechniques = "techniques"
	fStarted    = "started"
	fURL        = "url"
)

// textFields are the analysed fields words and phrases are matched in.
var textFields = [...]string{fTitle, fBody, fKeywords}

// filterIndexFields are the index fields of the query filters, by their
// documented names (query.Clause.Field).
var filterIndexFields = map[string]string{
	"cause":     "causes",
	"system":    "systems",
	"severity":  "severity",
	"category":  "category",
	"status":    "status",
	"data":      "data",
	"technique": "techniques",
	"id":        "_id",
}

// filterIndexField maps a query filter name to its index field.
func filterIndexField(name string) string { return filterIndexFields[name] }

// NewMapping returns the explicit, static index mapping: analysis.English text for
// title, body and keywords, with term vectors (positions, for phrases);
// keyword fields for the taxonomy and enums; a number for started (see
// startedValue).
// Nothing goes into _all. Only what results show (title, severity,
// started, url) and causes and systems are stored: the
// body is not (it would add 40% to the index); snippets are made from the
// text the index was given in this process or, for an index kept on disk
// by SyncKB, from the postmortem file (see Index.bodiesOf).
func NewMapping() mapping.IndexMapping {
	text := func(store bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = Analyzer
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = true // positions for phrases
		f.DocValues = false
		return f
	}
	kw := func(store, facet bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = facet
		return f
	}
	dm := mapping.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fTitle, text(true))
	dm.AddFieldMappingsAt(fBody, text(false))
	dm.AddFieldMappingsAt(fKeywords, text(false))
	dm.AddFieldMappingsAt(fSeverity, kw(true, true))
	dm.AddFieldMappingsAt(fCategory, kw(false, true))
	dm.AddFieldMappingsAt(fStatus, kw(false, true))
	dm.AddFieldMappingsAt(fCauses, kw(true, true))
	dm.AddFieldMappingsAt(fSystems, kw(true, true))
	dm.AddFieldMappingsAt(fData, kw(false, true))
	dm.AddFieldMappingsAt(fTechniques, kw(false, false))
	started := mapping.NewNumericFieldMapping()
	started.Store = true
	started.IncludeInAll = false
	started.DocValues = true
	dm.AddFieldMappingsAt(fStarted, started)
	url := mapping.NewTextFieldMapping()
	url.Index = false
	url.Store = true
	url.IncludeInAll = false
	url.DocValues = false
	url.IncludeTermVectors = false
	dm.AddFieldMappingsAt(fURL, url)
	// No _all composite at all: with every field left out of it, bleve
	// still builds and indexes an empty one per document (5% of a cold
	// index's CPU).
	dm.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())

	im := mapping.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = Analyzer
	im.DefaultField = fBody
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	return im
}

// indexDoc is the shape handed to bleve.
// (The id is the document's bleve id, matched by id: filters, and in
// Keywords.)
type indexDoc struct {
	Title      string   `json:"title"`
	Body       string   `json:"body"`
	Keywords   string   `json:"keywords"`
	Severity   string   `json:"severity"`
	Category   string   `json:"category"`
	Status     string   `json:"status"`
	Causes     []string `json:"causes"`
	Systems    []string `json:"systems"`
	Data       []string `json:"data"`
	Techniques []string `json:"techniques"`
	Started    any      `json:"started,omitempty"`
	URL        string   `json:"url"`
}

func toIndexDoc(d *Doc) indexDoc {
	x := indexDoc{
		Title: d.Title, Body: d.Body, Keywords: d.Keywords,
		Severity: d.Severity, Category: d.Category, Status: d.Status,
		Causes: d.Causes, Systems: d.Systems, Data: d.Data,
		Techniques: TechniqueTerms(d.Techniques),
		URL:        d.URL,
	}
	if !d.Started.IsZero() {
		x.Started = startedValue(d.Started)
	}
	return x
}

// startedValue is the indexed value of a start time: its Unix time in
// whole seconds (rounded down), as a number. bleve's datetime fields hold
// only the years 1677–2262 (int64 nanoseconds); a float64 holds the
// seconds of every year a postmortem may have (0000–9999) exactly, so
// after:/before: work on the oldest incidents too.
func startedValue(t time.Time) float64 { return float64(t.Unix()) }

// TechniqueTerms returns the values indexed for ATT&CK technique ids: each
// id and, for a sub-technique (T1566.001), its parent (T1566), so that
// technique:T1566 finds both.
func TechniqueTerms(ts []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, t := range ts {
		add(t)
		if i := indexByte(t, '.'); i > 0 {
			add(t[:i])
		}
	}
	return out
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}
