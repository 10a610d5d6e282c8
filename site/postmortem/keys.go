package postmortem

// FrontMatterKeys returns the top-level front matter keys a postmortem may
// have, in the order of the schema (SPEC §2).
func FrontMatterKeys() []string { return append([]string(nil), schemaKeys...) }

// ImpactKeys returns the keys of the impact map.
func ImpactKeys() []string { return append([]string(nil), impactKeys...) }

// ActionKeys returns the keys of one corrective action.
func ActionKeys() []string { return append([]string(nil), actionKeys...) }
