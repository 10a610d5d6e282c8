package postmortem

// Hooks for the external tests (package postmortem_test).

// SetAlwaysLinkify makes ps parse every body with linkify, as it did
// before mdNoLinkify.
func SetAlwaysLinkify(ps *Parser) { ps.alwaysLinkify = true }

// NoLinkify is noLinkify.
func NoLinkify(md []byte) bool { return noLinkify(md) }

// IsTimelineHeading is isTimelineHeading.
func IsTimelineHeading(title string, names []string) bool { return isTimelineHeading(title, names) }
