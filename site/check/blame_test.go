package check_test

import (
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/check"
)

// blameCases are sentences written as postmortems are: blame is whatever
// puts a person at fault; the rest names things, quotes someone, or
// argues for guard rails.
var blameCases = []struct {
	text  string
	blame bool
}{
	// People at fault.
	{"The engineer was careless when running the migration.", true},
	{"It was human error by the on-call.", true},
	{"Bob should have known that the flag was global.", true},
	{"The outage was caused by negligence of the operator.", true},
	{"Ultimately this was human error.", true},
	{"The root cause was human error during the failover.", true},
	{"We should have caught this in review before merging.", true},
	{"The on-call engineer failed to notice the disk filling up.", true},
	{"Alice failed to follow the runbook step for draining the node.", true},
	{"A careless engineer pushed the change straight to production.", true},
	{"The deploy went out because the release manager was sloppy with the checklist.", true},
	{"Whoever approved the pull request is to blame.", true},
	{"Honestly, it was their fault for skipping the canary.", true},
	{"The contractor was incompetent and ignored the warnings.", true},
	{"The developer carelessly deleted the production bucket.", true},
	{"He messed up the DNS record while cleaning up old entries.", true},
	{"The SRE did not bother to check the replication lag.", true},
	{"Gross negligence by the database team left the backups untested.", true},
	{"The admin was reckless with the root credentials.", true},
	{"Our team was lazy about rotating the keys.", true},
	{"The incident commander made a stupid decision to restart everything at once.", true},
	{"The operator did not read the alert and it was human error.", true},
	{"In the end, the carelessness of the reviewer let the bug through.", true},
	{"The responder should have noticed the error rate climbing.", true},
	{"It was a careless mistake, plain and simple.", true},
	{"Whoever wrote this config was an idiot.", true},
	{"Mark failed to verify the backup before the upgrade.", true},
	{"The analyst should have checked the sender's address.", true},
	{"The bucket was carelessly left open to the internet.", true},
	{"The engineer *failed to notice* the alert.", true},
	{"The engineer [Bob](https://example.com/bob) failed to check the diff.", true},
	{"| 09:00 | the operator was careless |", true},

	// Things, quotes, negations and guard rails.
	{`The vendor's support engineer described the script's behavior as "really, really stupid".`, false},
	{"Inadequate testing procedures that failed to catch the issue were the main factor.", false},
	{"We are adding mechanisms to prevent human error during manual failovers.", false},
	{"This was not human error: the runbook pointed at the wrong cluster.", false},
	{"Two-person review will reduce the chance of human error in DNS changes.", false},
	{"We looked at the conditions rather than blame human error.", false},
	{"The integration tests should have caught the regression but skip on forks.", false},
	{"The alert failed to notice the slow leak because its window was one hour.", false},
	{"The monitoring should have noticed the queue depth long before customers did.", false},
	{"The cleanup script failed to check whether the path was empty.", false},
	{"`cleanup.sh` failed to check whether the path was empty.", false},
	{"The rollout was reckless: it shipped to every region at once.", false},
	{"The config is to blame: it set the timeout to zero.", false},
	{"The health check failed to verify that the database answered queries.", false},
	{"Images are now loaded with lazy loading, which hid the failure.", false},
	{"The old deploy pipeline was sloppy about cleaning temporary files.", false},
	{"The outage was the fault of the load balancer's health checks.", false},
	{"Nobody was careless; the interface made the wrong choice the easy one.", false},
	{"No one is to blame for this incident.", false},
	{"Human error is never a root cause; it is where the investigation starts.", false},
	{"Human error was not a factor in the delay.", false},
	{"Guard rails should make the system tolerant of human error.", false},
	{"The customer wrote “your engineers are incompetent” in the ticket.", false},
	{"The on-call quoted the old runbook, which said \"careless restarts corrupt the index\".", false},
	{"The canary should have caught the crash loop, but it only checked the health endpoint.", false},
	{"Our process failed to check the certificate chain on renewal.", false},
	{"The migration messed up the foreign keys on the orders table.", false},
	{"The dashboard was stupidly slow to load during the incident.", false},
	{"A checklist step would have avoided human error when copying the keys.", false},
	{"Through no fault of their own, the support team had no status page access.", false},
	{"Runbooks with copy-paste commands make human error less likely.", false},
	{"Blaming human error is a dead end; we look at the tools.", false},
	{"The on-call engineer's script failed to check the return code.", false},
}

func TestBlamePrecision(t *testing.T) {
	blames, fine := 0, 0
	for _, tc := range blameCases {
		if tc.blame {
			blames++
		} else {
			fine++
		}
		ds := runKB(t, one(edit(t, base, "Renewal was manual.", tc.text)), check.Options{})
		got := where(ds, "blame-language")
		if tc.blame && len(got) != 1 {
			t.Errorf("%q: blames a person, reported %d times, want once", tc.text, len(got))
		}
		if !tc.blame && len(got) != 0 {
			for _, d := range ds {
				if d.Rule == "blame-language" {
					t.Errorf("%q: blames nobody, reported: %s", tc.text, d.Message)
				}
			}
		}
	}
	if blames < 25 || fine < 25 {
		t.Fatalf("%d true positives and %d true negatives: keep at least 25 of each", blames, fine)
	}
}

// TestBlameOverLineBreaks: a blaming sentence is still reported when a
// line break takes the place of any one of its spaces (prose runs end at
// line breaks, and a phrase may span two).
func TestBlameOverLineBreaks(t *testing.T) {
	for _, tc := range blameCases {
		if !tc.blame || strings.HasPrefix(tc.text, "|") {
			continue // (a table row is one line)
		}
		for i := range len(tc.text) {
			if tc.text[i] != ' ' {
				continue
			}
			text := tc.text[:i] + "\n" + tc.text[i+1:]
			ds := runKB(t, one(edit(t, base, "Renewal was manual.", text)), check.Options{})
			if got := where(ds, "blame-language"); len(got) != 1 {
				t.Errorf("%q: reported %d times, want once", text, len(got))
			}
		}
	}
}
