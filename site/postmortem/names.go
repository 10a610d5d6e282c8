package postmortem

// Names that become URLs: ids (postmortems/<id>/) and the slugs of the
// taxonomies (causes/<slug>/, systems/<slug>/, data/<slug>/,
// techniques/<id>/). The parser checks every one of them (slugs with
// config.IsSlug) as it reads the front matter, whatever the rule
// settings: a name that is not a safe URL segment is reported
// (invalid-value) and dropped, so it never reaches a path of the output.

// MaxIDLen is the longest id accepted, in bytes: ids are often a date and
// a few words (2024-03-12-edge-certificate-expiry, 33 bytes).
const MaxIDLen = 128

// IsID reports whether s may be a postmortem id: ASCII letters of either
// case (URLs lower-case them), digits, '-', '_' and '.', starting with a
// letter or digit, with no "..", at most MaxIDLen bytes.
func IsID(s string) bool {
	if len(s) > MaxIDLen || s == "" || !isAlnum(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlnum(c) || c == '-' || c == '_':
		case c == '.':
			if i > 0 && s[i-1] == '.' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// IsTechniqueID reports whether s is a MITRE ATT&CK technique id, T1566
// or T1566.001.
func IsTechniqueID(s string) bool {
	if len(s) != 5 && len(s) != 9 || s[0] != 'T' || !allDigits(s[1:5]) {
		return false
	}
	return len(s) == 5 || s[5] == '.' && allDigits(s[6:])
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// allDigits reports whether s is made of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
