package postmortem

import "github.com/hindsight-kb/hindsight/site/diag"

// Hooks for the external tests (package postmortem_test).

// SetAlwaysLinkify makes ps parse every body with linkify, as it did
// before mdNoLinkify.
func SetAlwaysLinkify(ps *Parser) { ps.alwaysLinkify = true }

// NoLinkify is noLinkify.
func NoLinkify(md []byte) bool { return noLinkify(md) }

// WalkerPos is walker.pos on a walker over lines, asked for each offset
// in turn.
func WalkerPos(lines []int, base int, offs []int) []diag.Pos {
	w := &walker{lines: lines, base: base}
	out := make([]diag.Pos, len(offs))
	for i, o := range offs {
		out[i] = w.pos(o)
	}
	return out
}
