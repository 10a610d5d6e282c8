package check_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hindsight-kb/hindsight/site/check"
	"github.com/hindsight-kb/hindsight/site/config"
	"github.com/hindsight-kb/hindsight/site/diag"
	"github.com/hindsight-kb/hindsight/site/kb"
)

// runBoth writes files into a temporary KB and checks it twice, with Run
// and with a Stream (as `hindsight check` does); both must agree.
func runBoth(t *testing.T, files map[string]string) []diag.Diagnostic {
	t.Helper()
	ds := runKB(t, files, check.Options{})
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, _, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	s := check.NewStream(check.Options{Now: now})
	k, err := kb.Load(root, cfg, s.KBOptions(kb.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Finish(k); !reflect.DeepEqual(got, ds) {
		t.Errorf("stream: %v\nrun: %v", got, ds)
	}
	return ds
}

// TestSecuritySecretProviders: for each provider, a credential in a
// postmortem's code block is reported at its line with the provider's
// name, and the same credential redacted is not.
func TestSecuritySecretProviders(t *testing.T) {
	cases := []struct {
		name, leaked, redacted, kind string
	}{
		{"azure storage key",
			"DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=PtYgjmUhBel31iEl2hpChYgCfrL1spNxnyVmihA/2O76UMFxFkM/R5Kjp1vRt+1fjORS/6ilI8ihN5KXSc7Tvo==",
			"DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx==",
			"Azure storage account key"},
		{"azure sas signature",
			"https://acmelogs.blob.core.windows.net/c?sv=2022-11-02&sp=rl&sig=FdnXsiVpzz63FfkCzJr4i0B3JrTAwR4y9ojfljoQ%2BoaF1L%3D",
			"https://acmelogs.blob.core.windows.net/c?sv=2022-11-02&sp=rl&sig=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX%3D",
			"shared access signature"},
		{"redis url without user", "cache: redis://:eZ6dqmVe5Mvxrv99@cache.internal:6379/0", "cache: redis://:****@cache.internal:6379/0", "password in a URL"},
		{"slack app token",
			"app xapp-1-ALQSAJ08XUI-8907866661760-626e53a13043b026c48bbf33feff9243a8f506b40928b5b7a767c76fb008f86b",
			"app xapp-1-xxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxx", "Slack app token"},
		{"gitlab token", "glpat-5SUkCnD8zRA9a9SkpXz9 in the runner log", "glpat-xxxxxxxxxxxxxxxxxxxx in the runner log", "GitLab token"},
		{"npm token", "//registry.npmjs.org/:_authToken npm_4lBYOvfZ8UzDzV8fUkkibjL5DZPjN0MEQ7wj", "//registry.npmjs.org/:_authToken npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "npm token"},
		{"sendgrid key", "mailer 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", "mailer SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "SendGrid"},
		{"openai key",
			"llm sk-proj-BMptUsGr7CmY_uCu3ZR1zTOlUcR64cXQLioDnkHIfxIq2HZt-PlJhx2jIclHkCiHp6bR1IqfEoT3BlbkFJuHgxzNNAL5wIScGebcy8F5n3",
			"llm sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "OpenAI"},
		{"anthropic key",
			"llm sk-ant-api03-HlsZfYcMMDktXP-tKsf2rcDkdfrUnW5gcF_Ha6ili8GjHEAD6-Wj9KfzjsQGMrb9h_ImB_LK777pzNk8cL6j5IXAAjlsHAA",
			"llm sk-ant-api03-************************************************", "Anthropic"},
		{"vault token",
			"vault hvs.UqJoUD-_Ydua_5ZMs1SWOpQaPRYpzbLGViYXjU2JgJngKtFI3OyV2dZAkg05rK_gqv81RKMGHZEM9YpvujA-C5Q52r",
			"vault hvs.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "Vault"},
		{"twilio key", "sms SK6725a2a7b860dcd6c8a1f8b46287cced", "sms SK00000000000000000000000000000000", "Twilio"},
		{"bearer header", `curl -H "Authorization: Bearer Ncqe28.ajY75FnCttn6kfaqDeMqG3omjMyXHCabM" https://api.internal/`,
			`curl -H "Authorization: Bearer REDACTED" https://api.internal/`, "Authorization header"},
		{"basic header", "Authorization: Basic Dr9uP14pEHpJpb9ATPtdbmF4==", "Authorization: Basic xxxxxxxxxxxxxxxx", "Authorization header"},
		{"pypi token", "twine pypi-AgEIcHlwaS5vcmc1kGD2VD-eR1UYzaLiA-zNyD7CHLn-xC_1hsYgBds1ghxY5OokvQyx7eNWVQ4",
			"twine pypi-AgEIcHlwaS5vcmcxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "PyPI"},
		{"shopify token", "shop 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", "shop shpat_00000000000000000000000000000000", "Shopify"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			block := func(line string) map[string]string {
				return one(edit(t, base, "Renewal was manual.", "```\n"+line+"\n```"))
			}
			ds := runBoth(t, block(tc.leaked))
			if got := where(ds, "secret"); len(got) != 1 || !strings.HasPrefix(got[0], pmA+":34:") {
				t.Fatalf("leaked: got %v, want one secret on line 34", ds)
			}
			for _, d := range ds {
				if d.Rule == "secret" && !strings.Contains(d.Message, tc.kind) {
					t.Errorf("leaked: message %q does not name %q", d.Message, tc.kind)
				}
			}
			if got := where(runBoth(t, block(tc.redacted)), "secret"); len(got) > 0 {
				t.Errorf("redacted: got %v, want none", got)
			}
		})
	}
}

// TestSecurityPlaceholderMustBeWhole: filler inside a value ("xxx",
// "REDACTED") no longer makes it pass; only a value that is entirely a
// placeholder does.
func TestSecurityPlaceholderMustBeWhole(t *testing.T) {
	cases := []struct {
		name, text string
		want       bool
	}{
		{"x's before a real token", "GITHUB_TOKEN=ghp_xxx5oFA6Qd8Mj7zdnbMjAdTdlzC5T4uUhf7k", true},
		{"x's in an access key id", "key AKIAXXXXZ3MSJV4WWNKW", true},
		{"x's before a password", `db_password: "xxxhX9kq2LmP4vR7tWz"`, true},
		{"redacted beside a real key", "key AKIAZ3MSJV4WWNKWW5FG (REDACTED in the ticket)", true},
		{"a private key with a redaction note", "-----BEGIN RSA PRIVATE KEY-----\n# REDACTED: rotated on 2025-03-14\nMIIEowIBAAKCAQEA7bq1jTNfQ2d2xZ8q9fK3mN4pL6sR8tU1vW3yX5zA7bC9dE\n-----END RSA PRIVATE KEY-----", true},
		{"all x's", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", false},
		{"x's around REDACTED", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxREDACTEDxxxxxxxxxxxxxx", false},
		{"stars", "postgres://app:********@db.internal/app", false},
		{"a bracketed word", "postgres://app:<redacted>@db.internal/app", false},
		{"a variable", "postgres://app:${DB_PASSWORD}@db.internal/app", false},
		{"AWS documentation key", "key AKIAIOSFODNN7EXAMPLE", false},
		{"an elided private key", "-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----", false},
		{"a private key of x's", "-----BEGIN PRIVATE KEY-----\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END PRIVATE KEY-----", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ds := runBoth(t, one(edit(t, base, "Renewal was manual.", "```\n"+tc.text+"\n```")))
			if got := len(where(ds, "secret")) > 0; got != tc.want {
				t.Errorf("reported = %v, want %v: %v", got, tc.want, ds)
			}
		})
	}
}

// TestSecuritySecretOutsidePostmortems: text attachments, whatever their
// extension, and hindsight.yaml are scanned, with file:line:col; binary
// attachments are not.
func TestSecuritySecretOutsidePostmortems(t *testing.T) {
	const log = "2025-03-14T09:00:01Z INFO deploy started\n" +
		"2025-03-14T09:00:02Z DEBUG env AWS_ACCESS_KEY_ID=AKIAZ3MSJV4WWNKWW5FG\n" +
		"2025-03-14T09:00:02Z DEBUG env AWS_SECRET_ACCESS_KEY=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\n"
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"log attachment", map[string]string{"content/postmortems/2025/app.log": log},
			[]string{"content/postmortems/2025/app.log:2:50", "content/postmortems/2025/app.log:3:54"}},
		{"env attachment", map[string]string{"content/prod.env": "\nTOKEN=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\n"},
			[]string{"content/prod.env:2:7"}},
		{"json attachment", map[string]string{"content/a/sa.json": `{"private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7bq1jTNfQ2d2x\n-----END PRIVATE KEY-----\n"}`},
			[]string{"content/a/sa.json:1:18"}},
		{"text without an extension", map[string]string{"content/notes": "see\nhttps://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnop12345678\n"},
			[]string{"content/notes:2:1"}},
		{"text under another extension", map[string]string{"content/dump.dat": "key=AKIAZ3MSJV4WWNKWW5FG\n"},
			[]string{"content/dump.dat:1:5"}},
		{"binary under another extension", map[string]string{"content/dump.dat": "\x00\x01key=AKIAZ3MSJV4WWNKWW5FG\n"}, nil},
		{"image", map[string]string{"content/shot.png": "\x89PNG key=AKIAZ3MSJV4WWNKWW5FG\n"}, nil},
		{"hindsight.yaml", map[string]string{"hindsight.yaml": "title: Postmortems\nrepo_url: https://deploy:Hunter2Deploy9@git.example.com/acme/kb\n"},
			[]string{"hindsight.yaml:2:26"}},
		{"text attachment over the size limit", map[string]string{"content/big.log": strings.Repeat("INFO nothing to see\n", 100), "hindsight.yaml": "max_file_size: 1KiB\n"},
			[]string{"content/big.log"}},
		{"secret rule off", map[string]string{"content/postmortems/2025/app.log": log, "hindsight.yaml": "rules: {secret: off}\n"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{pmA: base}
			for k, v := range tc.files {
				files[k] = v
			}
			ds := runBoth(t, files)
			if got := where(ds, "secret"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			for _, d := range ds {
				if d.Rule == "secret" && !strings.HasSuffix(d.File, ".md") && strings.Contains(d.Message, "hindsight-ignore") {
					t.Errorf("%s: a comment cannot be put in this file: %s", d.File, d.Message)
				}
				if d.Rule == "secret" && d.Pos.Line == 0 && (d.Severity != diag.Warning || !strings.Contains(d.Message, "not scanned")) {
					t.Errorf("%v: an attachment that cannot be scanned is a warning saying so", d)
				}
			}
		})
	}
}

// TestSecurityUnsafeAttachment: attachments a browser runs script from are
// errors; other attachments, and these with the rule switched off, are not.
func TestSecurityUnsafeAttachment(t *testing.T) {
	cases := []struct {
		name, file, content string
		config              string
		want                bool
	}{
		{"svg", "content/diagram.svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "", true},
		{"svg without script", "content/postmortems/2025/graph.SVG", `<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>`, "", true},
		{"html", "content/guide.html", "<!doctype html><script>alert(1)</script>", "", true},
		{"htm", "content/guide.htm", "<p>hi", "", true},
		{"xhtml", "content/a.xhtml", "<html/>", "", true},
		{"js", "content/app.js", "alert(1)", "", true},
		{"mjs", "content/app.mjs", "export {}", "", true},
		{"xml with script", "content/feed.xml", `<x><script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script></x>`, "", true},
		{"xml with a style sheet", "content/feed.xml", "<?xml-stylesheet type=\"text/xsl\" href=\"s.xsl\"?><x/>", "", true},
		{"plain xml", "content/data.xml", "<rows><row>1</row></rows>", "", false},
		{"png", "content/shot.png", "\x89PNG\x00", "", false},
		{"text", "content/notes.txt", "<script>alert(1)</script>", "", false},
		{"switched off", "content/diagram.svg", "<svg/>", "rules: {unsafe-attachment: off}\n", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{pmA: base, tc.file: tc.content}
			if tc.config != "" {
				if !containsRule(config.RuleIDs(), check.UnsafeAttachment) {
					t.Skip("config does not know the unsafe-attachment rule id yet")
				}
				files["hindsight.yaml"] = tc.config
			}
			ds := runBoth(t, files)
			got := where(ds, check.UnsafeAttachment)
			if tc.want != (len(got) == 1 && got[0] == tc.file) || !tc.want && len(got) > 0 {
				t.Fatalf("got %v, want an error on %s: %v", got, tc.file, tc.want)
			}
			for _, d := range ds {
				if d.Rule == check.UnsafeAttachment && (d.Severity != diag.Error || !strings.Contains(d.Message, "PNG") || !strings.Contains(d.Message, "download")) {
					t.Errorf("diagnostic %v should be an error saying how to fix it", d)
				}
			}
		})
	}
}

func containsRule(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// TestSecurityFileProblemsNotHidden: switching a file-level rule off (or
// down) still reports the file, as a warning saying it is left out of the
// site.
func TestSecurityFileProblemsNotHidden(t *testing.T) {
	big := "---\ntitle: big\n---\n" + strings.Repeat("padding line\n", 100)
	cases := []struct {
		name, rule, config string
		files              map[string]string
		sev                diag.Severity
	}{
		{"encoding off", "file-encoding", "rules: {file-encoding: off}\n", one("---\ntitle: caf\xe9\n"), diag.Warning},
		{"encoding warning", "file-encoding", "rules: {file-encoding: warning}\n", one("---\ntitle: caf\xe9\n"), diag.Warning},
		{"encoding default", "file-encoding", "", one("---\ntitle: caf\xe9\n"), diag.Error},
		{"size off", "file-size", "rules: {file-size: off}\nmax_file_size: 1KiB\n", one(big), diag.Warning},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range tc.files {
				files[k] = v
			}
			if tc.config != "" {
				files["hindsight.yaml"] = tc.config
			}
			ds := runBoth(t, files)
			var found []diag.Diagnostic
			for _, d := range ds {
				if d.Rule == tc.rule {
					found = append(found, d)
				}
			}
			if len(found) != 1 || found[0].File != pmA || found[0].Severity != tc.sev {
				t.Fatalf("got %v, want one %v on %s", ds, tc.sev, pmA)
			}
			if left := strings.Contains(found[0].Message, "left out of the site"); left != (tc.sev == diag.Warning) {
				t.Errorf("message %q: says left out = %v", found[0].Message, left)
			}
		})
	}
}
