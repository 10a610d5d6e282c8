package markdown

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
)

// convertBoth renders src with the library's converter (want) and with
// ours (got), for the tests that require the same HTML.
func convertBoth(t *testing.T, want, got goldmark.Markdown, src string) (w, g string) {
	t.Helper()
	var wb, gb bytes.Buffer
	if err := want.Convert([]byte(src), &wb); err != nil {
		t.Fatal(err)
	}
	if err := got.Convert([]byte(src), &gb); err != nil {
		t.Fatal(err)
	}
	return wb.String(), gb.String()
}
