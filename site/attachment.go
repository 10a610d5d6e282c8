package site

// IsAttachment reports whether the output path p is a content attachment:
// a file copied from content/ as it is, not a page or file the site
// makes. `hindsight serve` sends attachments sandboxed (an HTML or SVG
// file from a pull request must not run script on the preview's origin).
func (s *Site) IsAttachment(p string) bool {
	rt, ok := s.routes[p]
	return ok && rt.kind == "asset"
}
