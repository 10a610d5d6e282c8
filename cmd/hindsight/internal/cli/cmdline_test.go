package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hindsight-kb/hindsight/cmd/hindsight/internal/cli/skeleton"
	"gopkg.in/yaml.v3"
)

// This file checks that the hindsight command lines written in files that
// are not Go (the action, the workflows, pre-commit hooks, the docs) name
// commands and flags that exist: each is run through the cobra command
// tree's own parsing, without running it.

// testEnv is an env for tests that do not run commands for real.
func testEnv() *env {
	return &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, now: time.Now,
		ctx: context.Background(), getenv: func(string) string { return "" }, isTTY: func(io.Writer) bool { return false }}
}

// checkCommandLine checks args (without the leading "hindsight"): the
// command exists, its flags parse, the number of arguments fits, and the
// values of flags with a fixed list of values are in the list.
func checkCommandLine(args []string) error { return checkArgs(args, true) }

// checkArgs is checkCommandLine; with strict false, the number of
// positional arguments is not checked (a mention in prose such as
// "hindsight search --format json").
func checkArgs(args []string, strict bool) error {
	root := newRootCmd(testEnv())
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	c, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	if c == root {
		if len(args) > 0 && (args[0] == "--version" || args[0] == "--help") {
			return nil
		}
		return fmt.Errorf("no command in %q", args)
	}
	if err := c.ParseFlags(rest); err != nil {
		return fmt.Errorf("%s: %v", c.CommandPath(), err)
	}
	if !c.Runnable() {
		return fmt.Errorf("%s is a help topic, not a command", c.CommandPath())
	}
	if c.Name() == "help" {
		if t, _, err := root.Find(c.Flags().Args()); err != nil || t == root {
			return fmt.Errorf("no help topic or command %q", c.Flags().Args())
		}
		return nil
	}
	if err := c.ValidateArgs(c.Flags().Args()); err != nil && strict {
		return fmt.Errorf("%s: %v", c.CommandPath(), err)
	}
	for flag, vals := range fixedValues()[c.Name()] {
		f := c.Flags().Lookup(flag)
		if f == nil {
			return fmt.Errorf("%s has no --%s, but fixedValues lists it", c.CommandPath(), flag)
		}
		if !f.Changed {
			continue
		}
		for _, v := range strings.Split(strings.Trim(f.Value.String(), "[]"), ",") {
			if !slices.Contains(vals, v) {
				return fmt.Errorf("%s --%s %q: not one of %s", c.CommandPath(), flag, v, strings.Join(vals, ", "))
			}
		}
	}
	return nil
}

// shellWords splits a command line as a shell would for the simple cases
// written in workflows and docs: white space, single and double quotes.
// Expansions ($x, ${x}) are kept as words for the caller to drop.
func shellWords(s string) []string {
	var words []string
	var b strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			b.WriteByte(c)
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				words = append(words, b.String())
				b.Reset()
				in = false
			}
		default:
			b.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, b.String())
	}
	return words
}

// shellEnds are the words that end a simple command.
var shellEnds = map[string]bool{"|": true, "||": true, "&&": true, ";": true, ">": true, "2>": true, ">>": true, "<": true, "&": true, "#": true}

// redirectRE matches a redirection word (>x, 2>&1, <in).
var redirectRE = regexp.MustCompile(`^[0-9]*[<>]`)

// commandStarts are the words after which a command may start.
var commandStarts = map[string]bool{"exec": true, "then": true, "do": true, "else": true, "time": true, "!": true}

// hindsightLines finds the hindsight commands in a shell script: a word
// "hindsight" (or a path ending in /hindsight) in command position, and
// the words after it up to the end of the simple command. Words that are
// shell expansions ($x, ${x}) are dropped.
func hindsightLines(script string) [][]string {
	var out [][]string
	for _, line := range strings.Split(script, "\n") {
		words := shellWords(line)
		start := true
		for i := 0; i < len(words); i++ {
			w := words[i]
			if strings.HasPrefix(w, "#") {
				break // a comment
			}
			if shellEnds[w] {
				start = true
				continue
			}
			if !start {
				continue
			}
			if commandStarts[w] || strings.Contains(w, "=") && !strings.HasPrefix(w, "-") {
				continue // exec, or an environment assignment before the command
			}
			start = false
			if w != "hindsight" && !strings.HasSuffix(w, "/hindsight") {
				continue
			}
			var args []string
			for i++; i < len(words) && !shellEnds[words[i]] && !redirectRE.MatchString(words[i]) && !strings.HasPrefix(words[i], "#"); i++ {
				if !strings.HasPrefix(words[i], "$") {
					args = append(args, words[i])
				}
			}
			out = append(out, args)
			start = true
		}
	}
	return out
}

// exprRE matches a GitHub Actions expression; quotedFlagRE the quoted
// strings in it that hold flags.
var (
	exprRE       = regexp.MustCompile(`\$\{\{.*?\}\}`)
	quotedFlagRE = regexp.MustCompile(`'(--[^']*)'`)
)

// expandExpr replaces each ${{ }} expression of a workflow value by the
// flags it may produce ('--since origin/{0}' becomes --since origin/x), so
// every flag an expression can yield is checked.
func expandExpr(s string) string {
	return exprRE.ReplaceAllStringFunc(s, func(x string) string {
		var parts []string
		for _, m := range quotedFlagRE.FindAllStringSubmatch(x, -1) {
			parts = append(parts, strings.ReplaceAll(m[1], "{0}", "x"))
		}
		return strings.Join(parts, " ")
	})
}

// workflowCommands returns the hindsight command lines of a workflow or
// action file: the run: scripts of its steps, and the steps that use the
// hindsight action (with: command and args; command defaults to check).
func workflowCommands(name string, data []byte) ([][]string, error) {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	var out [][]string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if uses, ok := v["uses"].(string); ok && (strings.HasPrefix(uses, skeleton.ActionRepo+"@") || uses == "./") {
				with, _ := v["with"].(map[string]any)
				command, ok := with["command"].(string)
				if !ok {
					command = "check"
				}
				args, _ := with["args"].(string)
				if command != "" {
					out = append(out, append([]string{command}, shellWords(expandExpr(args))...))
				}
			}
			if run, ok := v["run"].(string); ok {
				out = append(out, hindsightLines(expandExpr(run))...)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	return out, nil
}

// alternativesRE matches a synopsis's a|b|c (a pipe between two words,
// not a shell pipe between commands).
var alternativesRE = regexp.MustCompile(`\w\|\w`)

// codeSpanRE matches an inline code span that starts with "hindsight ".
var codeSpanRE = regexp.MustCompile("`(hindsight [^`]+)`")

// markdownCommands returns the hindsight command lines of a Markdown file's
// code blocks (shell and YAML) and inline code spans. Synopsis lines with
// [optional] parts are left out.
func markdownCommands(src string) (lines [][]string, strict []bool) {
	var out [][]string
	in := false
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			in = !in
			continue
		}
		if !in {
			// Inline code spans outside code blocks: `hindsight check`.
			for _, m := range codeSpanRE.FindAllStringSubmatch(line, -1) {
				if !strings.ContainsAny(m[1], "[|…") {
					for _, l := range hindsightLines(m[1]) {
						out = append(out, l)
						strict = append(strict, false)
					}
				}
			}
			continue
		}
		if strings.Contains(line, "[--") || strings.Contains(line, "[PATH") || strings.Contains(line, "[DIR]") || alternativesRE.MatchString(line) {
			continue
		}
		l := strings.TrimSpace(line)
		l = strings.TrimPrefix(l, "- ")
		l = strings.TrimPrefix(l, "run: ")
		l = strings.TrimPrefix(l, "entry: ")
		for _, x := range hindsightLines(l) {
			out = append(out, x)
			strict = append(strict, true)
		}
	}
	return out, strict
}

// CheckCommandFile checks every hindsight command line in a workflow or
// action (.yml, .yaml) or a Markdown file; n is how many it found. The CLI
// scripts use it (command cmdlines).
func CheckCommandFile(name string, data []byte) (n int, errs []error) {
	var lines [][]string
	var strict []bool
	if strings.HasSuffix(name, ".md") {
		lines, strict = markdownCommands(string(data))
	} else {
		var err error
		if lines, err = workflowCommands(name, data); err != nil {
			return 0, []error{err}
		}
	}
	for i, args := range lines {
		if len(args) == 0 {
			continue
		}
		n++
		if err := checkArgs(args, strict == nil || strict[i]); err != nil {
			errs = append(errs, fmt.Errorf("%s: hindsight %s: %v", name, strings.Join(args, " "), err))
		}
	}
	return n, errs
}

// checkFile is CheckCommandFile for a test: errors and files without a
// command line fail it.
func checkFile(t *testing.T, name string, data []byte) {
	t.Helper()
	n, errs := CheckCommandFile(name, data)
	for _, err := range errs {
		t.Error(err)
	}
	if n == 0 && len(errs) == 0 {
		t.Errorf("%s runs no hindsight command", name)
	}
}

func readRepoFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../../../" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
