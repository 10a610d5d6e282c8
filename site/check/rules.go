package check

import "github.com/hindsight-kb/hindsight/site/diag"

// RuleInfo describes a rule for documentation and SARIF.
type RuleInfo struct {
	ID       string
	Severity diag.Severity
	Summary  string
}

// Rules lists every rule with its default severity and a one-line
// description, in SPEC §3's order.
func Rules() []RuleInfo {
	return []RuleInfo{
		{"frontmatter-syntax", diag.Error, "Front matter missing, unclosed or unparseable"},
		{"missing-field", diag.Error, "A required front matter key is absent or empty"},
		{"invalid-value", diag.Error, "A front matter value has the wrong type, is not in its enum, or is badly formatted"},
		{"unknown-field", diag.Error, "A front matter key is not in the schema"},
		{"date-order", diag.Error, "started <= detected <= contained <= resolved is broken"},
		{"duplicate-id", diag.Error, "Two postmortems have the same id"},
		{"unknown-related", diag.Error, "A related id names no postmortem"},
		{"missing-section", diag.Error, "A required H2 section is absent"},
		{"empty-section", diag.Error, "A section is empty or holds only a placeholder (TBD, TODO, N/A)"},
		{"duplicate-section", diag.Error, "A section appears twice"},
		{"timeline-time", diag.Error, "A timeline entry has no parsable time"},
		{"timeline-order", diag.Error, "A timeline entry is earlier than the one before it"},
		{"timeline-range", diag.Error, "A timeline entry is far outside started..resolved"},
		{"action-incomplete", diag.Error, "A corrective action lacks title, owner, priority or due, or has an unknown status"},
		{"action-overdue", diag.Warning, "An open corrective action is past its due date (error with --strict)"},
		{"unknown-cause", diag.Error, "A root cause is not in the configured vocabulary"},
		{"unknown-system", diag.Error, "A system is not in the configured vocabulary"},
		{"broken-link", diag.Error, "A relative link points to a file that does not exist"},
		{"secret", diag.Error, "Text looks like a credential (access key, private key, token, password), in a postmortem, a page, a text attachment or hindsight.yaml"},
		{UnsafeAttachment, diag.Error, "An attachment a browser runs script from (SVG, HTML, XHTML, JavaScript, active XML)"},
		{"blame-language", diag.Warning, "Phrasing that blames people rather than explaining conditions"},
		{"file-complexity", diag.Error, "The Markdown nests or marks up so much that parsing it would take too long"},
		{"file-encoding", diag.Error, "The file is not UTF-8"},
		{"file-size", diag.Error, "The file is larger than max_file_size"},
		{"file-unreadable", diag.Error, "The file or folder cannot be read"},
	}
}
