package site

import (
	"fmt"
	"testing"

	"github.com/hindsight-kb/hindsight/site/postmortem"
)

func TestSimilar(t *testing.T) {
	mk := func(id, title, body string) *postmortem.Postmortem {
		return &postmortem.Postmortem{ID: id, Title: title, Body: postmortem.Body{Text: body}}
	}
	ps := []*postmortem.Postmortem{
		mk("a", "Certificate expired on the edge proxy", "The TLS certificate expired; renewal was manual and nobody was paged."),
		mk("b", "Phishing email hit finance", "A phishing email with a macro attachment reached finance staff."),
		mk("c", "Certificate expiry again", "Another certificate expired because renewal was manual."),
		mk("d", "Database failover stalled", "Replication lag made the failover stall for minutes."),
		mk("e", "Finance phishing wave", "Staff in finance got phishing email with attachment links."),
		mk("f", "Failover game day", "Game day: database failover with replication lag checks."),
	}
	got := similar(ps, 1, 2)
	want := map[string]string{"a": "c", "c": "a", "b": "e", "e": "b", "d": "f", "f": "d"}
	for id, w := range want {
		if g := got[id]; len(g) == 0 || g[0] != w {
			t.Errorf("similar(%s) = %v, want %s first", id, g, w)
		}
	}
	if fmt.Sprint(similar(ps[:1], 3, 1)) != "map[]" {
		t.Error("one postmortem has no similar ones")
	}
}
